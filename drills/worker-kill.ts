/**
 * Drill: kill -9 the worker process again and again while relationships run (applications, agreements,
 * meetings, the mid-point handover, final evaluations), starting a new worker after each kill. Every
 * relationship must complete, every accepted answer be stored, no email go out twice, and no page
 * answer with a 5xx. `npm run drill:worker-kill [-- --short] [--count N] [--kills K] [--every SECONDS]`
 */
import protos from '@temporalio/proto';
import { COMPRESSED, runRelationship, settle, type Relationship } from './support/programme.js';
import { HttpLog } from './support/people.js';
import { main, option, pool, progress, short, sleep } from './support/run.js';
import { startStack, type Stack } from './support/stack.js';
import { verdict } from './support/verdict.js';

main(async () => {
  // The short drill still runs long enough for both its kills: its random gaps (0.5 to 1.5 × `every`)
  // and the restarts between them take up to some 25 s, which ten relationships could finish within.
  const count = option('count', short ? 16 : 200);
  const kills = option('kills', short ? 2 : 5);
  // Seconds between kills, on average: spread over the run, so kills land in every phase.
  const every = option('every', short ? 5 : 15);
  const stack = await startStack({ settings: COMPRESSED });
  const http = new HttpLog();
  const stages = new Map<string, number>();
  const started = Date.now();

  let done = false;
  const running = pool(
    Array.from({ length: count }, (_, i) => i),
    100,
    (i): Promise<Relationship> =>
      runRelationship(http, stack, i, (stage) => stages.set(stage, (stages.get(stage) ?? 0) + 1)),
  ).finally(() => (done = true));

  // The killer: a random moment every `every` seconds or so, while relationships are still running.
  // Only a kill of a worker that was running counts: the drill proves nothing about kills that did
  // not happen, so fewer than `kills` (the relationships finished first, or the worker had already
  // gone) fails it.
  let killed = 0;
  const killedAt: number[] = [];
  const missedKills: string[] = [];
  const killer = (async () => {
    while (!done && killed < kills) {
      // The relationships finishing ends the wait: the drill need not sleep out a kill that will not come.
      await Promise.race([sleep(every * (0.5 + Math.random()) * 1000), running.catch(() => {})]);
      if (done) break;
      progress(
        `kill -9 worker (pid ${stack.worker.pid}); so far ${[...stages].map(([s, n]) => `${n} ${s}`).join(', ')}`,
      );
      killedAt.push(Date.now());
      // Until a new worker runs and has worked through the workflow tasks that piled up meanwhile,
      // pages that need one (a form link's page asks the workflow) can only say "try again" (503, the
      // form kept); anything else is a failure.
      const outage = http.outage(30_000);
      const wasRunning = stack.worker.alive();
      await stack.worker.kill9();
      if (wasRunning) killed++;
      else missedKills.push(`worker ${stack.worker.pid} had exited before it was to be killed`);
      stack.worker = await stack.startWorker();
      const backlog = await caughtUp(stack);
      progress(`worker ${stack.worker.pid} running; the tasks that waited for it done after ${backlog}`);
      outage.end();
    }
  })();

  const relationships = await running;
  await killer;
  if (killed < kills)
    missedKills.push(
      `${killed} of the ${kills} kills asked for happened while relationships ran` +
        ` (make --every shorter than ${every} s or --count larger than ${count})`,
    );
  progress(
    `all ${count} relationships answered their last forms after ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const { completed, lost, duplicates, resentAfterKill, problems, notes } = await settle(
    stack,
    relationships,
    killedAt,
  );
  for (const note of notes) progress(`  (sent again after a kill mid-send) ${note}`);
  return verdict(
    'worker-kill',
    `${count} relationships, ${completed} completed, ${lost} lost, ${duplicates} duplicate emails` +
      ` (${killed} of ${kills} × kill -9 of the worker; ${http.tryAgain} "try again" pages while a worker was gone or catching up,` +
      ` ${http.serverErrors.length} other 5xx; ${resentAfterKill} emails SMTP was taking at a kill sent again` +
      ` with the same Message-ID; HTTP ${http.summary()}; ${stack.mailbox.messages.length} emails)`,
    killed >= kills &&
      missedKills.length === 0 &&
      lost === 0 &&
      duplicates === 0 &&
      http.serverErrors.length === 0 &&
      completed === count,
    [...missedKills, ...problems, ...http.serverErrors],
    stack,
  );
});

/**
 * Waits (up to three minutes) until the workflow tasks that waited while no worker ran are done: the
 * oldest task still waiting on the task queue is younger than the new worker (the server's backlog
 * age). The relationships go on making new tasks meanwhile, so the backlog itself need not empty.
 */
async function caughtUp(stack: Stack): Promise<string> {
  const started = Date.now();
  const oldestWaitingMs = async () => {
    const { stats } = await stack.client.workflowService.describeTaskQueue({
      namespace: stack.client.options.namespace,
      taskQueue: { name: stack.taskQueue },
      taskQueueType: protos.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    });
    const age = stats?.approximateBacklogAge;
    return Number(age?.seconds ?? 0) * 1000 + (age?.nanos ?? 0) / 1e6;
  };
  for (;;) {
    const elapsed = Date.now() - started;
    const oldest = await oldestWaitingMs().catch(() => Infinity);
    if (oldest < elapsed || elapsed > 180_000) return `${(elapsed / 1000).toFixed(0)} s`;
    await sleep(1000);
  }
}
