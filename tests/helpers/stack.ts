/**
 * The whole app as `npm start` wires it, on real components: the run's Temporal dev server, a fresh
 * database (a new database on the real PostgreSQL server, or an embedded PGlite), a loopback SMTP
 * server, a worker on its own task queue and the API listening on a free port.
 */
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { AdminRoute } from '../../api/admin/index.js';
import { buildApi, type ApiOptions } from '../../api/app.js';
import { grantRole } from '../../services/accounts.js';
import { loadConfig, type AppConfig } from '../../platform/config.js';
import { freePort } from '../../platform/temporal/dev-server.js';
import { activityDeps } from '../../activities/index.js';
import { apiServices } from '../../api/services.js';
import { mailerFor, openShared, type Shared } from '../../platform/shared.js';
import { temporalConfig } from '../../temporal.config.js';
import { dataConverter } from '../../platform/temporal/data-converter.js';
import { databaseKeyStore, EncryptionCodec, parseMasterKeys } from '../../platform/temporal/payload-codec.js';
import { createWorker } from '../../worker/create.js';
import type { Versioning } from '../../platform/temporal/deployment.js';
import { Browser, hiddenValue } from './http.js';
import { startSmtp, type Mailbox } from './smtp.js';

export type Backend = 'pglite' | 'postgres';
export type WorkerPolls = 'both' | 'workflows' | 'activities';

/** Both databases when a real server is configured (CI always), else the embedded one. */
export function backends(): Backend[] {
  return inject('postgresUrl') ? ['postgres', 'pglite'] : ['pglite'];
}

export const COORDINATOR_EMAIL = 'coordinator@example.org';
/**
 * The test programme's settings: a real programme has applicants confirm their address before their
 * manager is written to; most tests follow other steps and leave that out (tests/public-forms.test.ts
 * and the journeys keep it on).
 */
/** The deployment the test stacks' workers poll as (tests of a rollout use deployments of their own). */
export const TEST_DEPLOYMENT = {
  deploymentName: 'mentorflow-test',
  buildId: undefined,
  rollout: 'current',
} as const satisfies Versioning;

export const TEST_PROGRAMME_SETTINGS = { confirmAddress: false };

export interface Stack {
  baseUrl: string;
  /** The running API instance (replaced by a restart). */
  app: FastifyInstance;
  /** The running worker (replaced by a restart). */
  worker: Worker;
  /** A programme of this stack's own, so searches over the shared dev server see only this stack's workflows. */
  programId: string;
  taskQueue: string;
  config: AppConfig;
  shared: Shared;
  sql: Shared['db']['sql'];
  client: Client;
  smtp: Mailbox;
  adminRoutes: AdminRoute[];
  /** Stops the worker (letting running activities finish) and starts a fresh one on the same task queue. */
  restartWorker(): Promise<void>;
  /**
   * Stops the worker and starts one that polls for only one kind of task, so a test can let activities
   * finish while no workflow task runs (or the reverse); `'both'` is the worker `npm start` runs.
   */
  replaceWorker(polls: WorkerPolls): Promise<void>;
  /** Stops the stack's worker for good: another one (a Lambda worker, a new build) takes the task queue. */
  stopWorker(): Promise<void>;
  /** The database's URL, for another process; PostgreSQL only (the embedded one is this process's). */
  databaseUrl: string | undefined;
  /**
   * Restarts the worker and the API with other payload master keys (`PAYLOAD_KEYS`), as an operator
   * rotating the key would; the database, the mailbox and the running workflows stay.
   */
  restartWithPayloadKeys(keys: string): Promise<void>;
  close(): Promise<void>;
}

async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('postgresUrl')!;
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      // The server's own workers (autovacuum) may be in the database a moment; this role may not end
      // them, so a refused drop is tried again, and a database left behind harms no later test.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.unsafe(`drop database if exists ${name} with (force)`);
          break;
        } catch (err) {
          if (attempt === 5) {
            console.warn(`test database ${name} left behind: ${String(err)}`);
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      await admin.end();
    },
  };
}

export async function startStack(
  backend: Backend,
  env: Record<string, string> = {},
  /** Another Temporal server than the run's dev server (the time-skipping test server, say). */
  temporalAddress: string = inject('temporalAddress'),
): Promise<Stack> {
  const smtp = await startSmtp();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorflow-test-'));
  const pg = backend === 'postgres' ? await freshPostgresDatabase() : undefined;
  // The embedded database starts as a copy of the run's migrated one (tests/helpers/global-setup.ts).
  if (!pg) cpSync(inject('pgliteTemplate'), join(dataDir, 'pgdata'), { recursive: true });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    LINK_SECRET: randomBytes(32).toString('hex'),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    // Tests apply from one address many times; the limit's own test sets it low.
    PUBLIC_FORM_LIMIT: '10000',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    ...env,
  });
  const runServer = temporalAddress === inject('temporalAddress');
  const temporal = {
    ...temporalConfig({}),
    address: temporalAddress,
    taskQueue: `test-${randomBytes(4).toString('hex')}`,
    // Every stack's worker is a version of one test deployment (the run's one bundle, so one build),
    // each on its task queue; the time-skipping test server has no worker versioning.
    versioning: runServer
      ? { ...TEST_DEPLOYMENT, deploymentName: env.TEMPORAL_DEPLOYMENT_NAME ?? TEST_DEPLOYMENT.deploymentName }
      : undefined,
  };
  const shared = await openShared(config, () => {});
  const programId = `test-${randomBytes(4).toString('hex')}`;
  await shared.db.sql`
    insert into programs (id, name, coordinator_email, settings)
    values (${programId}, 'Test programme', ${COORDINATOR_EMAIL}, ${shared.db.sql.json(TEST_PROGRAMME_SETTINGS)})`;

  const mailer = mailerFor(config, () => {});
  const startWorker = async (polls: WorkerPolls = 'both') => {
    const { worker, connection, start } = await createWorker({
      temporal,
      deps: activityDeps(config, shared, mailer),
      dataConverter: shared.dataConverter,
      workflowBundle: { code: inject('workflowBundleCode') },
      polls,
    });
    const { stopped: run, rollout } = start();
    await rollout;
    let stopping: Promise<void> | undefined;
    return {
      worker,
      stop() {
        stopping ??= (async () => {
          worker.shutdown();
          await run;
          await connection.close();
        })();
        return stopping;
      },
    };
  };
  let running = await startWorker();
  const adminRoutes: AdminRoute[] = [];
  const startApi = async () => {
    const api = await apiServices(config, temporal, shared);
    // Errors only: a 500 in a test shows its cause.
    const app = await buildApi(api.services, { devMailbox: false, logger: { level: 'error' }, adminRoutes });
    await app.listen({ host: '127.0.0.1', port });
    return { api, app };
  };
  let { api, app } = await startApi();

  const stack: Stack = {
    baseUrl: `http://127.0.0.1:${port}`,
    get app() {
      return app;
    },
    get worker() {
      return running.worker;
    },
    programId,
    taskQueue: temporal.taskQueue,
    config,
    shared,
    sql: shared.db.sql,
    client: api.services.temporal,
    smtp,
    adminRoutes,
    async restartWorker() {
      await running.stop();
      running = await startWorker();
    },
    async stopWorker() {
      await running.stop();
    },
    databaseUrl: pg?.url,
    async replaceWorker(polls) {
      await running.stop();
      running = await startWorker(polls);
    },
    async restartWithPayloadKeys(keys: string) {
      await app.close();
      await running.stop();
      await api.close();
      config.payloadKeys = parseMasterKeys(keys);
      shared.codec = new EncryptionCodec(databaseKeyStore(shared.db.sql), config.payloadKeys);
      shared.dataConverter = dataConverter(shared.codec);
      running = await startWorker();
      ({ api, app } = await startApi());
      stack.client = api.services.temporal;
    },
    async close() {
      // The tests are over: a connection a test left half-read must not hold the server's close.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await running.stop();
      await api.close();
      mailer.close();
      await shared.db.close();
      await pg?.drop();
      await smtp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Creates an admin account with the given roles and returns its credentials. */
export async function makeUser(
  stack: Stack,
  email: string,
  roles: { role: 'administrator' | 'coordinator' | 'auditor'; programId?: string }[],
): Promise<{ email: string; password: string }> {
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  if (roles.length === 0) {
    const { hashPassword } = await import('../../services/accounts.js');
    await stack.sql`insert into users (email, password_hash) values (${email}, ${await hashPassword(password)})`;
  }
  for (const r of roles) await grantRole(stack.sql, { email, password, ...r });
  return { email, password };
}

/** A browser session signed in to the admin pages as `account`. */
export async function signIn(
  baseUrl: string,
  account: { email: string; password: string },
): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.get(`${baseUrl}/admin/login`);
  const res = await browser.post(`${baseUrl}/admin/login`, {
    ...account,
    _csrf: hiddenValue(login, '_csrf'),
  });
  if (res.status !== 303) throw new Error(`sign-in of ${account.email} answered ${res.status}: ${res.text}`);
  return browser;
}

/**
 * Another API instance on the stack's database and Temporal, with config changes of its own and a fresh
 * memory (rate limits, sweeps); the caller closes it.
 */
export async function extraApi(stack: Stack, patch: Partial<AppConfig> = {}) {
  const app = await anotherApp(stack, patch);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** The app once more on the stack's database, Temporal and task queue, not listening (a Lambda's, say). */
export function anotherApp(stack: Stack, patch: Partial<AppConfig> = {}, options: Partial<ApiOptions> = {}) {
  return buildApi(
    {
      config: { ...stack.config, ...patch },
      sql: stack.sql,
      temporal: stack.client,
      taskQueue: stack.taskQueue,
      views: stack.shared.views,
      signer: stack.shared.signer,
      codec: stack.shared.codec,
    },
    { devMailbox: false, logger: false, ...options },
  );
}
