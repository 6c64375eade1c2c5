/**
 * `npm run drill`: every fault drill, one after another, each a process of its own that stops by
 * itself and prints one verdict line; `npm run drill -- --short` is the CI version (a few minutes in
 * all). Exits non-zero when any verdict fails. Each also runs alone: `npm run drill:worker-kill`, …
 */
import { main, progress } from './support/run.js';
import { runScripts } from './support/sequence.js';

export const DRILLS = [
  'drills/worker-kill.ts',
  'drills/temporal-restart.ts',
  'drills/pg-outage.ts',
  'drills/concurrent.ts',
  'drills/fuzz.ts',
  'drills/links.ts',
];

main(async () => {
  const args = process.argv.slice(2);
  const ran = await runScripts(DRILLS, args);
  progress('');
  for (const r of ran) {
    const line = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('drill '))
      .at(-1);
    process.stdout.write(
      `${line ?? `drill ${r.script}: no verdict (exit ${r.code}) — FAIL`} [${r.seconds.toFixed(0)} s]\n`,
    );
  }
  const failed = ran.filter((r) => r.code !== 0).length;
  process.stdout.write(`drills: ${ran.length - failed} passed, ${failed} failed\n`);
  return failed === 0;
});
