/** What the worker and the API both build from the configuration: database, renderer, link signer. */
import { openDatabase, type Database } from '../db/connect.js';
import type { AppConfig } from './config.js';
import { LinkSigner } from './links.js';
import { createMailer, type Mailer } from './mailer.js';
import { Views } from './views.js';
import type { ActivityDeps } from '../activities/index.js';

export interface Shared {
  db: Database;
  views: Views;
  signer: LinkSigner;
}

export async function openShared(config: AppConfig, log: (line: string) => void): Promise<Shared> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  return { db, views: new Views(), signer: new LinkSigner(config.linkSecret) };
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
