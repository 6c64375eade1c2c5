/** What the worker and the API both build from the configuration: database, renderer, link signer. */
import { openDatabase, type Database } from './db/connect.js';
import { loadConfig, type AppConfig } from './config.js';
import { LinkSigner } from './links.js';
import { createMailer, type Mailer } from './mailer.js';
import { Views } from './views.js';
import { dataConverter } from './temporal/data-converter.js';
import { databaseKeyStore, EncryptionCodec } from './temporal/payload-codec.js';
import type { DataConverter } from '@temporalio/common';
import { temporalConfig, type TemporalConfig } from '../temporal.config.js';

export interface Shared {
  db: Database;
  views: Views;
  signer: LinkSigner;
  codec: EncryptionCodec;
  dataConverter: DataConverter;
}

export async function openShared(config: AppConfig, log: (line: string) => void): Promise<Shared> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
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
  const config = loadConfig();
  const temporal = temporalConfig();
  if (!temporal.address || !config.databaseUrl) {
    console.error(
      `${command} needs TEMPORAL_ADDRESS and DATABASE_URL; \`npm start\` runs everything on one machine.`,
    );
    process.exit(2);
  }
  return { config, temporal };
}
