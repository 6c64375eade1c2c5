/**
 * The project's own entry points (`worker/main.ts`, `api/main.ts`) as separate OS processes, the way
 * an operator runs them, so a drill can kill -9 one and a bench can read its memory. Their output goes
 * to a log file whose tail is printed when something fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../platform/project.js';
import { atExit, progress } from './run.js';

export interface NodeProcess {
  name: string;
  pid: number;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<number | null>;
  /** kill -9: no shutdown hook, no grace time, as a machine losing power. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  alive(): boolean;
  /** Resident memory in bytes, from /proc. */
  rssBytes(): number;
  logTail(lines?: number): string;
}

export function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  logDir: string,
  args: string[] = [],
): NodeProcess {
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  // `CPU_PROFILE_DIR=<dir>` profiles every process a bench or drill starts (`--cpu-prof`, written when it
  // exits), to see where a path's time goes; Node refuses the flag in NODE_OPTIONS.
  const profile = process.env.CPU_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    // Through the project's launcher: the sources under tsx, or the build when NODE_ENV=production.
    [...profile, join(projectRoot, 'cli', 'run.mjs'), script.replace(/\.ts$/, ''), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const handle: NodeProcess = {
    name,
    pid: child.pid!,
    exited,
    alive,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
  atExit(() => handle.stop(5_000));
  progress(`${name}: started (pid ${handle.pid})`);
  return handle;
}

/** Waits until a line in the process's log matches, or throws with the log's tail. */
export async function waitForLog(proc: NodeProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.logTail(200))) {
    if (!proc.alive()) throw new Error(`${proc.name} exited before it was ready:\n${proc.logTail()}`);
    if (Date.now() > deadline)
      throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.logTail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
