/**
 * How every bench and drill script runs: progress to stderr, the table or verdict to stdout, a
 * non-zero exit when the verdict fails, and every process and temporary folder it made cleaned up
 * even when it fails or is interrupted (Ctrl-C, SIGTERM, an exception).
 */

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers what to undo at exit; undone last-registered first, like nested try/finally blocks. */
export function atExit(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const next = cleanups.pop()!;
      // A step that never settles (a server waiting for a killed client's connection) must not leave
      // the rest undone; its timer also keeps Node from exiting half-way through.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          progress('cleanup: a step did not finish within 20 s; going on');
          resolve();
        }, 20_000);
      });
      try {
        await Promise.race([Promise.resolve().then(next), stuck]);
      } catch (err) {
        progress(`cleanup: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  })();
  return cleaning;
}

export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** `--short` is the CI version of a drill or bench: fewer participants, shorter outages. */
export const short = process.argv.includes('--short');

/** A numeric option such as `--count 200`, for running a drill bigger or smaller by hand. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

/**
 * Runs a script's body: its result is the verdict (true passes). Signals and errors still clean up,
 * and a second Ctrl-C is not needed.
 */
export function main(body: () => Promise<boolean>): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      progress(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  // An error nobody awaits (a client's retry timer firing after its connection closed at cleanup, a
  // server's socket reset) must not end the script before its processes and folders are removed.
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (err: unknown) => {
      progress(`${event}: ${err instanceof Error ? err.message : String(err)}`);
      if (cleaning) return;
      process.exitCode = 2;
      void cleanUp().finally(() => process.exit(2));
    });
  }
  body()
    .then(
      (ok) => (process.exitCode = ok ? 0 : 1),
      (err: unknown) => {
        progress(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exitCode = 2;
      },
    )
    .finally(async () => {
      await cleanUp();
      // Open handles of the SDK's native runtime must not keep a finished script alive.
      process.exit(process.exitCode ?? 0);
    });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The value at quantile q (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Runs `work` for each item with at most `concurrency` at a time. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}
