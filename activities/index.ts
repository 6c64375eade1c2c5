/**
 * Every side effect the workflows need, built from injected dependencies so the worker decides which
 * database, mailer and secrets they use (and tests pass real ones of their own).
 */
import type { AppConfig } from '../platform/config.js';
import type { Sql } from '../platform/db/connect.js';
import type { LinkSigner } from '../platform/links.js';
import type { Mailer } from '../platform/mailer.js';
import type { Shared } from '../platform/shared.js';
import type { Views } from '../platform/views.js';
import { createAnswerActivities } from './answers.js';
import { createArchiveActivities } from './archive.js';
import { createCohortActivities } from './cohorts.js';
import { createEmailActivities } from './email.js';
import { createMatchingActivities } from './matching.js';
import { createRetentionActivities } from './retention.js';
import { createRoundActivities } from './rounds.js';

export interface ActivityDeps {
  sql: Sql;
  mailer: Mailer;
  views: Views;
  signer: LinkSigner;
  publicUrl: URL;
  statusLinkTtlDays: number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnswerActivities(deps),
    ...createEmailActivities(deps),
    ...createRoundActivities(deps),
    ...createMatchingActivities(deps),
    ...createRetentionActivities(deps),
    ...createArchiveActivities(deps),
    ...createCohortActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The activities' dependencies, from the configuration and what the processes share. */
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
