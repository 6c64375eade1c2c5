/**
 * Starts `temporal server start-dev` as a child process when no TEMPORAL_ADDRESS is configured, and
 * stops it with the app. Falls back to the SDK's own download only when no binary is found and the
 * project-local install is impossible.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes.js';
import { findTemporalCli, installProjectLocalTools } from './temporal-cli.js';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  namespace: string;
  port: number;
  uiPort?: number;
  /** SQLite file for persistence; in-memory when absent (tests). */
  dbFilename?: string;
  log?: (line: string) => void;
  /** The keyword search attributes the application's workflows publish, registered at start. */
  searchAttributes: SearchAttributeKey<SearchAttributeType>[];
  /** Server settings other than the defaults (`--dynamic-config-value`), values as JSON. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * A port free now, for a server started a moment later (tests, drills, benches). Chosen below the
 * kernel's ephemeral range (32,768 and up on Linux), from which every outgoing connection takes its
 * local port: a port from that range can be taken by any client between this check and the server's
 * bind, or between a server's stop and its restart on the same port.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The file's journal: write-ahead, synced at checkpoints rather than at every commit. A crash of the
 * server process loses nothing; a power cut or a crash of the machine can lose the last moments' writes,
 * never the file. It about halves the time a burst of applications takes (the 500-at-once drill),
 * which the default journal spends waiting for the disk. Production runs on a Temporal cluster, not this.
 */
const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

const dynamicConfigArgs = (opts: DevServerOptions) =>
  Object.entries(opts.dynamicConfig ?? {}).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  // It asks for no credentials. Production configures TEMPORAL_ADDRESS (platform/config.ts); this is the
  // last guard should a caller not.
  if (process.env.NODE_ENV === 'production')
    throw new Error('the Temporal dev server is for development: production needs TEMPORAL_ADDRESS');
  const log = opts.log ?? console.log;
  let cli = findTemporalCli();
  if (!cli && installProjectLocalTools(log)) cli = findTemporalCli();
  if (!cli) return startDownloadedDevServer(opts, log);

  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...(opts.dbFilename
      ? ['--db-filename', opts.dbFilename, ...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p])]
      : []),
    ...opts.searchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...dynamicConfigArgs(opts),
  ];
  log(`temporal: starting dev server (${cli.source}: ${cli.path}) on ${address}`);
  const child = spawn(cli.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The first lines say why it stopped (a Go panic's stack follows them), the last what it did last.
  let head = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (head.length < 1000) head = (head + chunk.toString()).slice(0, 1000);
    stderr = (stderr + chunk.toString()).slice(-3000);
  });
  // 'close', not 'exit': the process can end before its last stderr lines are read, and those say why.
  const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  try {
    await Promise.race([
      waitUntilServing(address, opts.namespace),
      exited.then((code) => {
        const said = stderr.startsWith(head) ? stderr : `${head}\n…\n${stderr}`;
        throw new Error(`temporal dev server exited with code ${code} before it was ready:\n${said}`);
      }),
    ]);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => stopChild(child, exited),
  };
}

async function waitUntilServing(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`temporal dev server at ${address} not ready`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Last resort where the internet is reachable: the SDK downloads and runs the CLI itself. */
async function startDownloadedDevServer(
  opts: DevServerOptions,
  log: (line: string) => void,
): Promise<DevServer> {
  log('temporal: no CLI found; trying the SDK download');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: '127.0.0.1',
      port: opts.port,
      namespace: opts.namespace,
      dbFilename: opts.dbFilename,
      ui: !!opts.uiPort,
      uiPort: opts.uiPort,
      searchAttributes: opts.searchAttributes,
      extraArgs: dynamicConfigArgs(opts),
    },
  });
  return {
    address: env.address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
