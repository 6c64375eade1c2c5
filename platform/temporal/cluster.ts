/**
 * A Temporal cluster the way operators run one, on one machine: the server built from its Go module
 * (pinned), its Temporal and visibility databases created on a PostgreSQL server with the server's own
 * schema tool, and frontend, history, matching and worker started as four processes with four history
 * shards. `npm run cluster` runs it; the cluster drill restarts its services one by one.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { projectRoot } from '../project.js';
import { addMissingSearchAttributes } from './search-attributes.js';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes.js';

/** The server release the cluster runs; its schemas and sample configs ship in the same module. */
export const SERVER_MODULE = 'go.temporal.io/server';
export const SERVER_VERSION = 'v1.32.2';
export const clusterToolsDir = join(projectRoot, '.tools', 'temporal-server', SERVER_VERSION);

export const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type Service = (typeof SERVICES)[number];

/** Port offsets from the frontend's gRPC port: gRPC, membership (gossip) and Prometheus per service. */
const OFFSETS: Record<Service, { grpc: number; membership: number; metrics: number }> = {
  frontend: { grpc: 0, membership: 10, metrics: 20 },
  history: { grpc: 1, membership: 11, metrics: 21 },
  matching: { grpc: 2, membership: 12, metrics: 22 },
  worker: { grpc: 3, membership: 13, metrics: 23 },
};

export interface ClusterOptions {
  /** An account on a PostgreSQL server that may create databases: postgres://user:password@host:port */
  databaseUrl: string;
  /** The Temporal database; the visibility database is this name with `_visibility`. */
  database: string;
  /** The frontend's gRPC port; the other services take the 23 ports just above it (all below 32,768). */
  port: number;
  /** Config, logs: one folder per cluster. */
  dir: string;
  namespace: string;
  /** The keyword search attributes the application's workflows publish, registered at start. */
  searchAttributes: SearchAttributeKey<SearchAttributeType>[];
  log: (line: string) => void;
}

export interface Cluster {
  address: string;
  /** Each service's Prometheus endpoint. */
  metricsUrls: Record<Service, string>;
  /** Stops one service process (SIGTERM, as an orchestrator would) and starts it again. */
  restart(service: Service): Promise<void>;
  stop(): Promise<void>;
}

function goModCache(): string {
  return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
}

/** Builds the server and its SQL schema tool into `.tools/` unless they are there already (a few minutes). */
export function buildServer(log: (line: string) => void): { server: string; sqlTool: string } {
  const server = join(clusterToolsDir, 'server');
  const sqlTool = join(clusterToolsDir, 'sql');
  if (existsSync(server) && existsSync(sqlTool)) return { server, sqlTool };
  mkdirSync(clusterToolsDir, { recursive: true });
  for (const cmd of ['cmd/server', 'cmd/tools/sql']) {
    log(`cluster: building ${SERVER_MODULE}/${cmd}@${SERVER_VERSION} (once; a few minutes)`);
    execFileSync('go', ['install', `${SERVER_MODULE}/${cmd}@${SERVER_VERSION}`], {
      // The module asks for a newer Go than the machine's may be: the proxy serves that toolchain too.
      env: { ...process.env, GOTOOLCHAIN: 'auto', GOBIN: clusterToolsDir },
      stdio: 'inherit',
    });
  }
  return { server, sqlTool };
}

/** The server's PostgreSQL schemas, from the module the server was built from. */
function schemaDir(kind: 'temporal' | 'visibility'): string {
  return join(
    goModCache(),
    `${SERVER_MODULE}@${SERVER_VERSION}`,
    'schema',
    'postgresql',
    'v12',
    kind,
    'versioned',
  );
}

/** Creates the two databases if they are missing and brings their schemas to this release (idempotent). */
export function prepareDatabases(
  sqlTool: string,
  opts: Pick<ClusterOptions, 'databaseUrl' | 'database' | 'log'>,
) {
  const url = new URL(opts.databaseUrl);
  const common = [
    '--plugin',
    'postgres12',
    '--ep',
    url.hostname,
    '-p',
    url.port || '5432',
    '-u',
    decodeURIComponent(url.username),
    '--pw',
    decodeURIComponent(url.password),
  ];
  for (const [db, kind] of [
    [opts.database, 'temporal'],
    [`${opts.database}_visibility`, 'visibility'],
  ] as const) {
    const run = (...args: string[]) =>
      execFileSync(sqlTool, [...common, '--db', db, ...args], { encoding: 'utf8', stdio: 'pipe' });
    // Each step is idempotent in the schema tool: a second start finds the database and only updates it.
    run('create-database');
    run('setup-schema', '-v', '0.0');
    run('update-schema', '-d', schemaDir(kind));
    opts.log(`cluster: database ${db} on the schema of ${SERVER_VERSION}`);
  }
}

function configFor(service: Service, opts: ClusterOptions, dynamicConfig: string): string {
  const url = new URL(opts.databaseUrl);
  const store = (db: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "${url.hostname}:${url.port || '5432'}"
        connectProtocol: tcp
        user: ${JSON.stringify(decodeURIComponent(url.username))}
        password: ${JSON.stringify(decodeURIComponent(url.password))}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const services = SERVICES.map(
    (s) => `
  ${s}:
    rpc:
      grpcPort: ${opts.port + OFFSETS[s].grpc}
      membershipPort: ${opts.port + OFFSETS[s].membership}
      bindOnLocalHost: true`,
  ).join('');
  return `# Written by npm run cluster for the ${service} service; every service reads the same but for its metrics port.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(opts.database, 10)}
    visibility:${store(`${opts.database}_visibility`, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${opts.port + OFFSETS[service].metrics}"
services:${services}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${opts.port}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(dynamicConfig)}
  pollInterval: 10s
`;
}

const DYNAMIC_CONFIG = `# Written by npm run cluster.
# Search attributes registered a moment ago are known at once (as on the dev server).
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

async function until<T>(what: string, attempt: () => Promise<T>, ms: number): Promise<T> {
  const giveUpAt = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > giveUpAt)
        throw new Error(`cluster: ${what} did not happen within ${ms / 1000} s`, { cause: err });
      await sleep(500);
    }
  }
}

/** The project's namespace and its search attributes, made once (both calls are idempotent here). */
export async function registerNamespace(
  address: string,
  namespace: string,
  searchAttributes: ClusterOptions['searchAttributes'],
  log: (line: string) => void,
) {
  const connection = await Connection.connect({ address });
  try {
    const known = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!known) {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('7 days'),
      });
      log(`cluster: registered namespace ${namespace}`);
    }
    // The frontend learns of a new namespace on its next cache refresh (about ten seconds).
    await until(
      `namespace ${namespace} to be served`,
      () => connection.operatorService.listSearchAttributes({ namespace }),
      60_000,
    );
    return await addMissingSearchAttributes(connection, namespace, searchAttributes);
  } finally {
    await connection.close();
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const { server, sqlTool } = buildServer(opts.log);
  prepareDatabases(sqlTool, opts);
  mkdirSync(join(opts.dir, 'logs'), { recursive: true });
  const dynamicConfig = join(opts.dir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
  const address = `127.0.0.1:${opts.port}`;
  const processes = new Map<Service, ChildProcess>();
  const logOf = (service: Service) => join(opts.dir, 'logs', `${service}.log`);

  const launch = (service: Service) => {
    const configFile = join(opts.dir, `${service}.yaml`);
    writeFileSync(configFile, configFor(service, opts, dynamicConfig));
    const out = createWriteStream(logOf(service), { flags: 'a' });
    const child = spawn(
      server,
      ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    processes.set(service, child);
  };
  const halt = async (service: Service) => {
    const child = processes.get(service);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  };
  const serving = () =>
    until(
      'the frontend to answer',
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.getSystemInfo({});
        } finally {
          await connection.close();
        }
      },
      120_000,
    );

  for (const service of SERVICES) launch(service);
  await serving().catch(async (err: unknown) => {
    // What the services said is the diagnosis: a taken port, a refused database, a bad config.
    const tails = SERVICES.map((s) => {
      const text = existsSync(logOf(s)) ? readFileSync(logOf(s), 'utf8') : '';
      const lines = text.split('\n').slice(-4);
      return `--- ${s}\n${lines.map((l) => l.slice(0, 400)).join('\n')}`;
    });
    for (const service of SERVICES) await halt(service);
    throw new Error(`${(err as Error).message}\n${tails.join('\n')}`, { cause: err });
  });
  const added = await registerNamespace(address, opts.namespace, opts.searchAttributes, opts.log);
  opts.log(`cluster: namespace ${opts.namespace} with its search attributes (${added} added)`);

  return {
    address,
    metricsUrls: Object.fromEntries(
      SERVICES.map((s) => [s, `http://127.0.0.1:${opts.port + OFFSETS[s].metrics}/metrics`]),
    ) as Record<Service, string>,
    async restart(service) {
      await halt(service);
      launch(service);
      if (service === 'frontend') await serving();
    },
    async stop() {
      // Front door first, so nothing new arrives while the rest stops.
      for (const service of SERVICES) await halt(service);
    },
  };
}
