/** Drives an instance of the worker function in a child process (tests/helpers/lambda-worker-child.ts). */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../platform/project.js';

export interface Invocation {
  ms: number;
  /** Time left before the invocation's deadline when the handler returned. */
  remainingMs: number;
}

export async function lambdaWorkerInstance(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/lambda-worker-child.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const results: Record<string, unknown>[] = [];
  const waiting: ((r: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('@@')) return;
    const result = JSON.parse(line.slice(2)) as Record<string, unknown>;
    const next = waiting.shift();
    if (next) next(result);
    else results.push(result);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the worker function exited (${code}):\n${stderr}`))),
  );
  const nextResult = () =>
    Promise.race([
      exited,
      new Promise<Record<string, unknown>>((resolve) => {
        const ready = results.shift();
        if (ready) resolve(ready);
        else waiting.push(resolve);
      }),
    ]);
  const { coldStartMs } = (await nextResult()) as { coldStartMs: number };
  return {
    coldStartMs,
    /** One invocation whose deadline is `seconds` away; resolves when the handler has returned. */
    async invoke(seconds: number): Promise<Invocation> {
      child.stdin.write(`invoke ${seconds}\n`);
      const result = await nextResult();
      if ('error' in result) throw new Error(`${String(result.error)}\n${stderr}`);
      return result as unknown as Invocation;
    },
    close() {
      exited.catch(() => {});
      child.stdin.end();
      child.kill();
    },
  };
}
