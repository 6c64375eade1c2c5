/**
 * The whole app as an operator runs it at scale, on this machine, for one script: a Temporal dev server
 * (persisted to a file, so it can be restarted), a PostgreSQL cluster of its own, a loopback SMTP
 * server, `worker/main.ts` and `api/main.ts` as separate processes, and, in this process, a database
 * connection and a Temporal client with the project's data converter (the coordinator's side).
 * Like tests/helpers/stack.ts, without vitest.
 */
import { searchAttributes } from '../../workflows/search-attributes.js';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../platform/config.js';
import { freePort, startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { newMasterKey } from '../../platform/temporal/payload-codec.js';
import { apiServices } from '../../api/services.js';
import { openShared, type Shared } from '../../platform/shared.js';
import { temporalConfig } from '../../temporal.config.js';
import { startCluster, type Cluster } from '../../platform/temporal/cluster.js';
import { startBalancer } from './balancer.js';
import { startMailbox, type Mailbox } from './mailbox.js';
import { startPostgres, type Postgres } from './postgres.js';
import { spawnNode, waitForLog, type NodeProcess } from './processes.js';
import { atExit, progress, until } from './run.js';

export const COORDINATOR_EMAIL = 'coordinator@example.org';

export interface StackOptions {
  /**
   * The programme's settings (compressed durations); see workflows/program-settings.ts. Applicants'
   * address confirmation is off unless a drill turns it on: the drills' people answer managers' forms.
   */
  settings: Record<string, unknown>;
  /** Start no API process (a bench that drives Temporal directly). */
  noApi?: boolean;
  /** Extra environment for the worker process (WORKER_SHUTDOWN_GRACE, say). */
  workerEnv?: Record<string, string>;
  /** Another entry point for the API process (a bench's, which adds a baseline route). */
  apiScript?: string;
  apiEnv?: Record<string, string>;
  /** False: emails go to the development mailbox (the outbox table) instead of the SMTP server. */
  smtp?: boolean;
  /**
   * False: the dev server keeps its state in memory, as the tests run it (and cannot be restarted).
   * By default it persists to a SQLite file, as `npm start` runs it.
   */
  persist?: boolean;
  /**
   * A Temporal cluster on the drill's PostgreSQL (frontend, history, matching and worker processes,
   * platform/temporal/cluster.ts) instead of the dev server.
   */
  cluster?: boolean;
  /** API instances behind a load balancer (drills/support/balancer.ts) at PUBLIC_URL; one by default, without. */
  apis?: number;
  /** The processes run the build (`npm run build`, dist/) with NODE_ENV=production, as a deployment does. */
  production?: boolean;
}

export interface Stack {
  dir: string;
  baseUrl: string;
  programId: string;
  taskQueue: string;
  linkSecret: string;
  env: Record<string, string>;
  sql: Shared['db']['sql'];
  client: Client;
  mailbox: Mailbox;
  pg: Postgres;
  worker: NodeProcess;
  api: NodeProcess | undefined;
  /** Every API instance, in order; `api` is the first. */
  apis: (NodeProcess | undefined)[];
  /** Each API instance's own address (behind the balancer, when there are several). */
  apiUrls: string[];
  /** The cluster, when the stack runs on one. */
  cluster: Cluster | undefined;
  /** Starts a new worker process (after a kill, say) and waits until it polls. */
  startWorker(env?: Record<string, string>): Promise<NodeProcess>;
  /** Starts API instance `n` (0 by default) again, on its own port, and waits until it is ready. */
  startApi(n?: number): Promise<NodeProcess>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** The last lines of each process's log, for a failure report. */
  logs(): string;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'mentorflow-drill-'));
  atExit(() => {
    // DRILL_LOGS=<folder> keeps the processes' whole logs of a failed run there, for the diagnosis.
    const keep = process.env.DRILL_LOGS;
    if (keep && process.exitCode) {
      mkdirSync(keep, { recursive: true });
      // The dev server's database too: a dev server started on a copy of it (`--db-filename`) shows a
      // failed run's history, to replay in a test.
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.log') || f === 'temporal.db'))
        copyFileSync(join(dir, file), join(keep, file));
      // A cluster's services, each its own log.
      const clusterLogs = join(dir, 'cluster', 'logs');
      if (existsSync(clusterLogs))
        for (const file of readdirSync(clusterLogs))
          copyFileSync(join(clusterLogs, file), join(keep, `cluster-${file}`));
      progress(`logs kept in ${keep}`);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const pg = await startPostgres();
  const mailbox = await startMailbox();

  let temporalPort = await freePort();
  let devServer: DevServer | undefined;
  let cluster: Cluster | undefined;
  const startTemporal = async () => {
    devServer = await startDevServer({
      searchAttributes,
      namespace: 'default',
      port: temporalPort,
      // Persisted, as `npm start` runs it: a restart finds every workflow where it was.
      dbFilename: opts.persist === false ? undefined : join(dir, 'temporal.db'),
      log: progress,
    });
  };
  if (opts.cluster) {
    // Its services take the ports just above the frontend's: a free range, found by trying, below
    // 32,768 (the server keeps membership ports as a smallint).
    temporalPort = 20_000 + Math.floor(Math.random() * 12_000);
    cluster = await startCluster({
      databaseUrl: pg.url(),
      database: 'temporal',
      port: temporalPort,
      dir: join(dir, 'cluster'),
      namespace: 'default',
      searchAttributes,
      log: progress,
    });
    atExit(() => cluster?.stop());
  }
  // The dev server binds more ports than the one it is given (its services' own, next to it); one of
  // them taken by another process makes it panic at start, so a first start tries other ports.
  for (let attempt = 1; !cluster; attempt++) {
    try {
      await startTemporal();
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      progress(
        `temporal: did not start on ${temporalPort} (${(err as Error).message.split('\n')[0]}); another port`,
      );
      temporalPort = await freePort();
    }
  }
  atExit(() => devServer?.stop());

  const port = await freePort();
  const linkSecret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: opts.production ? 'production' : 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dir,
    DATABASE_URL: pg.url(),
    ...(opts.smtp === false ? {} : { SMTP_URL: mailbox.url }),
    LINK_SECRET: linkSecret,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_KEYS: newMasterKey('drill-1'),
    LOG_LEVEL: 'warn',
    // Drills and benchmarks apply from one address many times: the public forms' hourly limit would end them.
    PUBLIC_FORM_LIMIT: '1000000',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `drill-${randomBytes(4).toString('hex')}`,
  };

  // This process migrates the database first, so the worker and the API find it ready.
  const config = loadConfig(env);
  const shared = await openShared(config, () => {});
  atExit(() => shared.db.close());
  const temporal = temporalConfig(env);
  const api = await apiServices(config, temporal, shared);
  atExit(() => api.close());
  const programId = `drill-${randomBytes(3).toString('hex')}`;
  await shared.db.sql`
    insert into programs (id, name, coordinator_email, settings)
    values (${programId}, 'Drill programme', ${COORDINATOR_EMAIL}, ${shared.db.sql.json({ confirmAddress: false, ...opts.settings } as never)})`;

  let workers = 0;
  const startWorker = async (extra: Record<string, string> = {}) => {
    const proc = spawnNode(
      `worker-${++workers}`,
      'worker/main.ts',
      { ...env, ...opts.workerEnv, ...extra },
      dir,
    );
    // From the sources the worker bundles the workflow code before it polls; that takes a while on a busy machine.
    await waitForLog(proc, /worker: polling/, 180_000);
    return proc;
  };
  // One instance answers at PUBLIC_URL itself; several have ports of their own behind a balancer there.
  const apiCount = opts.noApi ? 0 : (opts.apis ?? 1);
  const apiPorts =
    apiCount > 1 ? await Promise.all(Array.from({ length: apiCount }, () => freePort())) : [port];
  const balancer = apiCount > 1 ? await startBalancer(port) : undefined;
  if (balancer) atExit(() => balancer.close());
  const apiProcs: (NodeProcess | undefined)[] = [];
  let apis = 0;
  const startApi = async (n = 0) => {
    const apiPort = apiPorts[n]!;
    const proc = spawnNode(
      `api-${++apis}`,
      opts.apiScript ?? 'api/main.ts',
      { ...env, PORT: String(apiPort), ...opts.apiEnv },
      dir,
    );
    await until(
      'the API to answer',
      async () => {
        if (!proc.alive()) throw new Error(`the API exited:\n${proc.logTail()}`);
        return fetch(`http://127.0.0.1:${apiPort}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      60_000,
    );
    apiProcs[n] = proc;
    balancer?.targets.add(apiPort);
    return proc;
  };
  const [worker] = await Promise.all([
    startWorker(),
    ...Array.from({ length: apiCount }, (_, n) => startApi(n)),
  ]);
  const stack: Stack = {
    dir,
    baseUrl: env.PUBLIC_URL!,
    programId,
    taskQueue: env.TEMPORAL_TASK_QUEUE!,
    linkSecret,
    env,
    sql: shared.db.sql,
    client: api.services.temporal,
    mailbox,
    pg,
    worker,
    get api() {
      return apiProcs[0];
    },
    apis: apiProcs,
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    cluster,
    startWorker,
    startApi,
    stopTemporal: async () => {
      if (cluster) throw new Error('a cluster restarts service by service: stack.cluster.restart()');
      await devServer?.stop();
      devServer = undefined;
    },
    startTemporal,
    logs: () =>
      [stack.worker, ...stack.apis]
        .filter((p): p is NodeProcess => !!p)
        .map((p) => `--- ${p.name} (last lines)\n${p.logTail(20)}`)
        .join('\n'),
  };
  // Registered last, so it runs first at exit: a failed script shows what its processes said last.
  atExit(() => {
    if (process.exitCode) progress(stack.logs());
  });
  return stack;
}
