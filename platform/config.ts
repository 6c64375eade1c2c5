/**
 * The app's settings, read once from the environment and checked, so a typo fails at start-up with a
 * message rather than at the first email.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { newMasterKey, parseMasterKeys, type MasterKeys } from './temporal/payload-codec.js';
import { projectRoot } from './project.js';
import { TrustProxy } from './trust-proxy.js';

interface Secrets {
  linkSecret: string;
  sessionSecret: string;
  payloadKeys: string;
}

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default(join(projectRoot, 'data')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Mentoring programme <no-reply@localhost>'),
  LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Master keys for Temporal payloads: `id:base64key,…`, the first encrypts (see docs/privacy.md, key rotation). */
  PAYLOAD_KEYS: z.string().optional(),
  /** Web origins (the Temporal Web UI) allowed to call the codec endpoint from a browser. */
  CODEC_CORS_ORIGINS: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ADMIN_IDLE_MINUTES: z.coerce.number().positive().default(30),
  ADMIN_SESSION_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: TrustProxy,
  /** Read by temporal.config.ts; here only to refuse production without it. */
  TEMPORAL_ADDRESS: z.string().optional(),
  STATUS_LINK_TTL_DAYS: z.coerce.number().int().positive().default(120),
  /** Applications one address may send to one programme's public forms in an hour (each emails someone). */
  PUBLIC_FORM_LIMIT: z.coerce.number().int().positive().default(20),
  /** Bearer token Prometheus sends to an API instance's /metrics; without it, production serves no metrics. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Seconds an API instance keeps serving, with /readyz failing, after SIGTERM (load balancers notice). */
  DRAIN_SECONDS: z.coerce.number().min(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Every link we email or redirect to is built from this, never from the request's Host header. */
  publicUrl: URL;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  linkSecret: string;
  sessionSecret: string;
  payloadKeys: MasterKeys;
  codecCorsOrigins: string[];
  admin: { email: string; password: string } | undefined;
  /** Admin sessions end after this much inactivity, and in any case this long after sign-in. */
  adminSession: { idleMs: number; absoluteMs: number };
  statusLinkTtlDays: number;
  publicFormLimit: number;
  /**
   * Behind a TLS-terminating reverse proxy: the addresses and ranges of the proxies whose
   * X-Forwarded-* headers (client address, https) are believed; `false` believes none.
   */
  trustProxy: false | string[];
  logLevel: string;
  metricsToken: string | undefined;
  drainSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') refuseDevelopmentDefaults(e);
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const secrets =
    e.LINK_SECRET && e.SESSION_SECRET && e.PAYLOAD_KEYS ? undefined : developmentSecrets(e.NODE_ENV, dataDir);
  let payloadKeys: MasterKeys;
  try {
    payloadKeys = parseMasterKeys(e.PAYLOAD_KEYS ?? secrets!.payloadKeys);
  } catch (err) {
    throw new Error(`Invalid environment:\n  PAYLOAD_KEYS: ${(err as Error).message}`, { cause: err });
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new Error('Invalid environment:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    linkSecret: e.LINK_SECRET ?? secrets!.linkSecret,
    sessionSecret: e.SESSION_SECRET ?? secrets!.sessionSecret,
    payloadKeys,
    codecCorsOrigins: e.CODEC_CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    admin:
      e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    adminSession: { idleMs: e.ADMIN_IDLE_MINUTES * 60_000, absoluteMs: e.ADMIN_SESSION_HOURS * 3_600_000 },
    statusLinkTtlDays: e.STATUS_LINK_TTL_DAYS,
    publicFormLimit: e.PUBLIC_FORM_LIMIT,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    drainSeconds: e.DRAIN_SECONDS,
  };
}

/**
 * Each unset variable here has a development default that production must not run on: the embedded
 * PGlite and the Temporal dev server ask for no password, the development mailbox sends nothing and
 * keeps every link in the database, and generated secrets differ between instances.
 */
const PRODUCTION_REQUIRES = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'SMTP_URL',
  'LINK_SECRET',
  'SESSION_SECRET',
  'PAYLOAD_KEYS',
] as const;

function refuseDevelopmentDefaults(e: z.infer<typeof Env>): void {
  const missing = PRODUCTION_REQUIRES.filter((name) => !e[name]);
  if (missing.length === 0) return;
  const lines = missing.map((name) => `  ${name}: required in production`);
  throw new Error(`Invalid environment:\n${lines.join('\n')}\n(see docs/configuration.md)`);
}

/**
 * Outside production a missing secret is generated once and kept in the data folder, so links and
 * sessions survive a restart of `npm start`. Production must configure them: several API instances
 * have to agree on them.
 */
function developmentSecrets(nodeEnv: string, dataDir: string): Secrets {
  if (nodeEnv === 'production') {
    throw new Error(
      'Invalid environment:\n  LINK_SECRET, SESSION_SECRET and PAYLOAD_KEYS are required in production',
    );
  }
  const file = join(dataDir, 'secrets.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>) : {};
  if (kept.linkSecret && kept.sessionSecret && kept.payloadKeys) return kept as Secrets;
  // A data folder from before payload encryption gets its payload key added; the other secrets stay.
  const secrets: Secrets = {
    linkSecret: kept.linkSecret ?? randomBytes(32).toString('base64url'),
    sessionSecret: kept.sessionSecret ?? randomBytes(32).toString('base64url'),
    payloadKeys: kept.payloadKeys ?? newMasterKey('dev-1'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** The development mailbox page exists only where mail goes nowhere else, and never in production. */
export function devMailboxEnabled(config: AppConfig): boolean {
  return !config.smtpUrl && config.env !== 'production';
}
