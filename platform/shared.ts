/** What the worker and the API both build from the configuration: database, renderer, link signer. */
import { openDatabase, type Database, type OpenOptions } from './db/connect.js';
import { loadConfig, type AppConfig } from './config.js';
import { LinkSigner } from './links.js';
import { createMailer, type Mailer } from './mailer.js';
import { Views } from './views.js';
import { dataConverter } from './temporal/data-converter.js';
import { databaseKeyStore, EncryptionCodec } from './temporal/payload-codec.js';
import type { DataConverter } from '@temporalio/common';
import { temporalConfig, type TemporalConfig } from '../temporal.config.js';
import { loadSecrets } from './secrets.js';

export interface Shared {
  db: Database;
  views: Views;
  signer: LinkSigner;
  codec: EncryptionCodec;
  dataConverter: DataConverter;
}

export async function openShared(
  config: AppConfig,
  log: (line: string) => void,
  database: Pick<OpenOptions, 'migrate' | 'max'> = {},
): Promise<Shared> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log,
    ...database,
  });
  const codec = new EncryptionCodec(databaseKeyStore(db.sql), config.payloadKeys);
  return {
    db,
    views: new Views({ linkBase: config.publicUrl }),
    signer: new LinkSigner(config.linkSecret),
    codec,
    dataConverter: dataConverter(codec),
  };
}

export function mailerFor(config: AppConfig, log: (line: string) => void): Mailer {
  return createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
}

/**
 * Settings for `npm run worker` and `npm run api`, which join a shared cluster and database: unlike
 * `npm start` they start neither, so both must be configured.
 */
export function scaleOutConfig(command: string): { config: AppConfig; temporal: TemporalConfig } {
  try {
    return joiningConfig(command);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}

/**
 * Settings of a function instance (the API or a worker on AWS Lambda): its secrets first, read from
 * Secrets Manager at the cold start (platform/secrets.ts), then as `npm run api` and `npm run worker`.
 */
export async function functionConfig(name: string): Promise<{ config: AppConfig; temporal: TemporalConfig }> {
  await loadSecrets();
  return joiningConfig(name);
}

function joiningConfig(command: string): { config: AppConfig; temporal: TemporalConfig } {
  const config = loadConfig();
  const temporal = temporalConfig();
  if (!temporal.address || !config.databaseUrl)
    throw new Error(
      `${command} needs TEMPORAL_ADDRESS and DATABASE_URL; \`npm start\` runs everything on one machine.`,
    );
  return { config, temporal };
}
