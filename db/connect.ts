/**
 * One way to reach PostgreSQL: postgres.js. With DATABASE_URL it talks to that server; without it, an
 * embedded PGlite persisted in the data folder is served over the wire protocol on loopback, so the
 * same driver, SQL and migrations run in both cases.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import shift from 'postgres-shift';

export type Sql = postgres.Sql;

export interface Database {
  sql: Sql;
  /** The URL other processes (a second worker, say) can use to reach the same database. */
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
}

const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));
/** Any constant; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK = 72_021_001;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const log = opts.log ?? (() => {});
  let url = opts.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbedded(opts.dataDir);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    log(`database: embedded PGlite ${opts.dataDir ? `in ${opts.dataDir}` : 'in memory'}, served on ${url}`);
  }
  const sql = postgres(url, {
    // PGlite is one session: statements of two connections could interleave inside the socket server
    // (one connection's Bind, another's Execute), so this process talks to it over a single connection.
    max: opts.max ?? (stopEmbedded ? 1 : 10),
    onnotice: () => {},
    connection: { application_name: 'mentorflow' },
  });
  try {
    await migrate(sql, log, !stopEmbedded);
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

async function startEmbedded(dataDir: string | undefined): Promise<{ url: string; stop(): Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? join(dataDir, 'pgdata') : undefined);
  // PGlite is one session; the socket server queues statements and keeps a transaction's statements together.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
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
