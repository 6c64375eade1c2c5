/**
 * A PostgreSQL cluster of the script's own: initdb into a temporary folder, started on a free loopback
 * port, so a drill can stop and start it without touching any other server on the machine. Uses the
 * server binaries of Debian's `postgresql` package (what .ci/run installs). PostgreSQL refuses to run
 * as root, so as root the cluster belongs to the `postgres` user and its commands run through runuser.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../platform/temporal/dev-server.js';
import { atExit, progress } from './run.js';

export interface Postgres {
  port: number;
  /** The URL of a database on this cluster (`postgres` by default). */
  url(database?: string): string;
  stop(): void;
  start(): void;
  running(): boolean;
}

export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export const NO_POSTGRES =
  'needs the PostgreSQL server binaries (Debian: apt-get install postgresql, as .ci/run does)';

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(NO_POSTGRES);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'mentorflow-pg-'));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const data = join(dir, 'data');
  // Trust on loopback: the cluster lives for one script, on 127.0.0.1 and a socket in its own folder.
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  let up = false;
  const pg: Postgres = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      run('pg_ctl', [
        'start',
        '-w',
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      ]);
      up = true;
    },
    stop() {
      // "fast": connections are cut and open transactions rolled back, as when a server is stopped for maintenance.
      run('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]);
      up = false;
    },
    running: () => up,
  };
  pg.start();
  atExit(() => {
    if (up) pg.stop();
  });
  progress(`postgres: private cluster on 127.0.0.1:${port} (${dir})`);
  return pg;
}
