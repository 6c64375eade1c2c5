/**
 * A drill's verdict line on stdout (`drill NAME: …` and PASS or FAIL), the failures it found on stderr
 * (the first few, each a reproduction hint), and the processes' last log lines when it failed.
 */
import { progress } from './run.js';
import type { Stack } from './stack.js';

export function verdict(
  name: string,
  line: string,
  ok: boolean,
  problems: string[] = [],
  stack?: Stack,
): boolean {
  if (!ok) {
    for (const p of problems.slice(0, 20)) progress(`  ${p}`);
    if (problems.length > 20) progress(`  … and ${problems.length - 20} more`);
    if (stack) progress(stack.logs());
  }
  process.stdout.write(`drill ${name}: ${line} — ${ok ? 'PASS' : 'FAIL'}\n`);
  return ok;
}
