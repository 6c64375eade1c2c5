/**
 * Drill: stop the Temporal dev server (persisted to its SQLite file, as `npm start` runs it) in the
 * middle of a programme, keep it down a while, and start it again on the same file and port. The
 * worker and the API reconnect by themselves; every relationship must complete, every accepted
 * answer be stored, no email go out twice, and a page answered during the outage must be a clear
 * "try again" page. `npm run drill:temporal-restart [-- --short] [--count N] [--down SECONDS]`
 */
import { COMPRESSED, runRelationship, settle } from './support/programme.js';
import { HttpLog } from './support/people.js';
import { main, option, pool, progress, short, sleep, until } from './support/run.js';
import { startStack } from './support/stack.js';
import { verdict } from './support/verdict.js';

main(async () => {
  const count = option('count', short ? 10 : 50);
  const downSeconds = option('down', short ? 5 : 20);
  const stack = await startStack({ settings: COMPRESSED });
  const http = new HttpLog();
  const stages = new Map<string, number>();

  const running = pool(
    Array.from({ length: count }, (_, i) => i),
    100,
    (i) => runRelationship(http, stack, i, (stage) => stages.set(stage, (stages.get(stage) ?? 0) + 1)),
  );
  // In the middle of the programme: once half the pairs have signed and their meetings run.
  await until('half the pairs in their meetings', () => (stages.get('signed') ?? 0) >= count / 2, 300_000);
  progress(`stopping the Temporal dev server; ${[...stages].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  const outage = http.outage();
  await stack.stopTemporal();
  await sleep(downSeconds * 1000);
  await stack.startTemporal();
  outage.end();
  progress('Temporal dev server started again on the same file');

  const relationships = await running;
  const { completed, lost, duplicates, problems } = await settle(stack, relationships);
  const workerAlive = stack.worker.alive() && !!stack.api?.alive();
  return verdict(
    'temporal-restart',
    `${count} relationships, ${completed} completed, ${lost} lost, ${duplicates} duplicate emails` +
      ` (server down ${downSeconds} s mid-programme; ${http.tryAgain} "try again" pages during the outage,` +
      ` ${http.serverErrors.length} other 5xx; HTTP ${http.summary()})`,
    lost === 0 && duplicates === 0 && http.serverErrors.length === 0 && workerAlive,
    [
      ...(workerAlive ? [] : ['the worker or the API process died with the server']),
      ...problems,
      ...http.serverErrors,
    ],
    stack,
  );
});
