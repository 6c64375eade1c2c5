/** What the worker and the API both build from the configuration: database, renderer, link signer. */
import { openDatabase, type Database } from '../db/connect.js';
import { loadConfig, type AppConfig } from './config.js';
import { LinkSigner } from './links.js';
import { createMailer, type Mailer } from './mailer.js';
import { Views } from './views.js';
import { dataConverter } from './data-converter.js';
import { databaseKeyStore, EncryptionCodec } from './payload-codec.js';
import type { DataConverter } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import type { ActivityDeps } from '../activities/index.js';
import type { Services } from '../api/types.js';
import { connectionOptions, temporalConfig, type TemporalConfig } from '../temporal.config.js';

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

export function activityDeps(config: AppConfig, shared: Shared, mailer: Mailer): ActivityDeps {
  return {
    sql: shared.db.sql,
    mailer,
    views: shared.views,
    signer: shared.signer,
    publicUrl: config.publicUrl,
    statusLinkTtlDays: config.statusLinkTtlDays,
  };
}

export function mailerFor(config: AppConfig, log: (line: string) => void): Mailer {
  return createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
}

/** The API's view of the world: a Temporal client on the configured cluster plus the shared pieces. */
export async function apiServices(
  config: AppConfig,
  temporal: TemporalConfig,
  shared: Shared,
  address = temporal.address,
): Promise<{ services: Services; close(): Promise<void> }> {
  const connection = await Connection.connect(connectionOptions(temporal, address));
  const client = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: shared.dataConverter,
  });
  return {
    services: {
      config,
      sql: shared.db.sql,
      temporal: client,
      taskQueue: temporal.taskQueue,
      views: shared.views,
      signer: shared.signer,
      codec: shared.codec,
    },
    close: () => connection.close(),
  };
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
