/**
 * One way to reach PostgreSQL: postgres.js. With DATABASE_URL it talks to that server; without it, an
 * embedded PGlite persisted in the data folder is served over the wire protocol on a Unix socket, so
 * the same driver, SQL and migrations run in both cases.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import postgres from 'postgres';
import shift from 'postgres-shift';

export type Sql = postgres.Sql;

export interface Database {
  sql: Sql;
  /**
   * Where the database is; for the embedded one a libpq URL of its socket folder, which `psql "$url"`
   * opens for the same user (postgres.js reads no socket from a URL: this process connects by options).
   */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files when no databaseUrl is given; in memory when absent. */
  dataDir?: string;
  max?: number;
  log?: (line: string) => void;
  /**
   * Bring the schema to this release first (the default). A function instance does not: it would do so
   * on a person's request, so a release migrates once before its functions serve (`npm run prepare-release`).
   */
  migrate?: boolean;
}

// Read from the sources' folder, also by the build (dist/ holds no SQL).
const migrationsDir = join(projectRoot, 'platform', 'db', 'migrations');
/** Any constant; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK = 72_021_001;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const log = opts.log ?? (() => {});
  let url = opts.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let socket: { path: string } | undefined;
  if (!url) {
    const embedded = await startEmbedded(opts.dataDir);
    url = embedded.url;
    socket = { path: embedded.socketPath };
    stopEmbedded = embedded.stop;
    log(`database: embedded PGlite ${opts.dataDir ? `in ${opts.dataDir}` : 'in memory'}, served on ${url}`);
  }
  const options = {
    // PGlite is one session: statements of two connections could interleave inside the socket server
    // (one connection's Bind, another's Execute), so this process talks to it over a single connection.
    max: opts.max ?? (stopEmbedded ? 1 : 10),
    onnotice: () => {},
    connection: { application_name: 'mentorflow' },
  };
  // postgres.js reads no socket path from a URL: the embedded database is reached by options alone.
  const sql = socket
    ? postgres({ ...options, ...socket, user: 'postgres', database: 'postgres' })
    : postgres(url, options);
  try {
    if (opts.migrate !== false) await migrate(sql, log, !stopEmbedded);
  } catch (err) {
    await sql.end({ timeout: 1 });
    await stopEmbedded?.();
    throw err;
  }
  return {
    sql,
    url,
    embedded: !!stopEmbedded,
    async close() {
      await sql.end({ timeout: 5 });
      await stopEmbedded?.();
    },
  };
}

/**
 * PGlite answers any user and any password, so it is never served on TCP, where every local user and
 * process could reach it: it listens on a Unix socket in a folder of its own that only this user may
 * enter (mkdtemp makes it 0700), the socket itself 0600.
 */
async function startEmbedded(
  dataDir: string | undefined,
): Promise<{ url: string; socketPath: string; stop(): Promise<void> }> {
  // Production configures DATABASE_URL (platform/config.ts); this is the last guard should a caller not.
  if (process.env.NODE_ENV === 'production')
    throw new Error('the embedded PGlite is for development: production needs DATABASE_URL');
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? join(dataDir, 'pgdata') : undefined);
  // The temporary folder keeps the path short: a socket path may not exceed about 100 bytes.
  const socketDir = mkdtempSync(join(tmpdir(), 'mentorflow-db-'));
  chmodSync(socketDir, 0o700);
  // libpq's name for a socket in a folder, so `psql -h <folder>` finds it too.
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  // PGlite is one session; the socket server queues statements and keeps a transaction's statements together.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 100 });
  try {
    await server.start();
    chmodSync(socketPath, 0o600);
  } catch (err) {
    await server.stop();
    await db.close();
    rmSync(socketDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgresql:///postgres?${new URLSearchParams({ host: socketDir, user: 'postgres' })}`,
    socketPath,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/** Runs pending migrations; concurrent starters of several processes wait on an advisory lock. */
async function migrate(sql: Sql, log: (line: string) => void, shared: boolean): Promise<void> {
  const run = () =>
    shift({ sql, path: migrationsDir, after: (m: { name: string }) => log(`database: migrated ${m.name}`) });
  // An embedded database belongs to this process alone (and its one connection cannot be reserved apart).
  if (!shared) return run();
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await run();
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    lock.release();
  }
}
