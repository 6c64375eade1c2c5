/**
 * Benchmark: relationship workflows started per second, each start counted when the worker has
 * completed the workflow's first workflow task (through the app's client: encrypted input with a data
 * key of its own per workflow, search attributes; then the worker decrypting the input and running
 * the workflow to its first wait), next to a workflow that does nothing (the SDK's default client and
 * worker), same dev server, same run, same span. The time until `start()` returns (the server took
 * the start; no worker has seen it yet) is shown beside it.
 * `npm run bench:starts [-- --short] [--count N]`
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandleWithFirstExecutionRunId as WorkflowHandle } from '@temporalio/client';
import protos from '@temporalio/proto';
import { main, option, progress, quantile, short } from '../drills/support/run.js';
import { programSettings } from '../services/program-settings.js';
import { Phase, ProgramId, WaitingFor } from '../workflows/search-attributes.js';
import { trivialWorkflow } from './support/trivial-workflows.js';
import { startWebStack } from './support/web-stack.js';
import { closedLoop, ms, ratio, table, goals, atLeast } from './support/measure.js';

const CONCURRENCY = 16;
const { EventType } = protos.temporal.api.enums.v1;

/**
 * Waits until a worker has completed the workflow's first workflow task, long-polling its history.
 * Returns whether it was completed already at the first look (right after `start()` returned).
 */
async function firstTaskCompleted(client: Client, handle: WorkflowHandle): Promise<boolean> {
  let nextPageToken: Uint8Array | undefined;
  for (let firstLook = true; ; firstLook = false) {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
      nextPageToken,
      // The first call answers at once with the history so far; the next ones wait for new events.
      waitNewEvent: true,
    });
    const events = page.history?.events ?? [];
    if (events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return firstLook;
    if (events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED))
      throw new Error(`${handle.workflowId}: its first workflow task failed`);
    if (!page.nextPageToken?.length) throw new Error(`${handle.workflowId} closed without a completed task`);
    nextPageToken = page.nextPageToken;
  }
}

/** Starts a workflow and waits for its first task; records how long `start()` alone took. */
function startedAndRun(client: Client, start: () => Promise<WorkflowHandle>) {
  const startReturned: number[] = [];
  let doneAtStart = 0;
  return {
    startReturned,
    doneAtStart: () => doneAtStart,
    op: async () => {
      const t0 = performance.now();
      const handle = await start();
      startReturned.push(performance.now() - t0);
      if (await firstTaskCompleted(client, handle)) doneAtStart++;
    },
  };
}

export async function benchStarts(): Promise<string> {
  const count = option('count', short ? 200 : 2000);
  const { stack, bare, trivialQueue } = await startWebStack({});
  const settings = programSettings({});
  const trivial = () =>
    startedAndRun(bare, () =>
      bare.workflow.start(trivialWorkflow, { workflowId: `bench-${randomUUID()}`, taskQueue: trivialQueue }),
    );
  const relationship = () =>
    startedAndRun(stack.client, () =>
      stack.client.workflow.start('relationshipWorkflow', {
        workflowId: `relationship-${stack.programId}-${randomUUID()}`,
        taskQueue: stack.taskQueue,
        args: [{ programId: stack.programId, participantId: randomUUID(), settings }],
        typedSearchAttributes: [
          { key: ProgramId, value: stack.programId },
          { key: Phase, value: 'application' },
          { key: WaitingFor, value: 'participant' },
        ],
      }),
    );
  await closedLoop(20, CONCURRENCY, trivial().op);
  await closedLoop(20, CONCURRENCY, relationship().op);
  const baseRun = trivial();
  const base = await closedLoop(count, CONCURRENCY, baseRun.op);
  progress(
    `trivial: ${base.perSecond.toFixed(0)}/s; first task already completed when start() returned: ${baseRun.doneAtStart()} of ${count}`,
  );
  const relRun = relationship();
  const rel = await closedLoop(count, CONCURRENCY, relRun.op);
  progress(
    `relationship: ${rel.perSecond.toFixed(0)}/s; first task already completed when start() returned: ${relRun.doneAtStart()} of ${count}`,
  );
  const measured = table(
    [
      `${count} starts, ${CONCURRENCY} at a time, each until its first workflow task is completed`,
      'starts/s',
      'p50',
      'p99',
      'start() returned, p50',
      'vs. trivial',
    ],
    [
      [
        'trivial workflow, SDK defaults (baseline)',
        base.perSecond,
        ms(base.p50),
        ms(base.p99),
        ms(quantile(baseRun.startReturned, 0.5)),
        '1.00×',
      ],
      [
        'relationship workflow, the app’s client (encrypted input) and worker',
        rel.perSecond,
        ms(rel.p50),
        ms(rel.p99),
        ms(quantile(relRun.startReturned, 0.5)),
        ratio(rel.perSecond, base.perSecond),
      ],
    ],
  );
  return [
    measured,
    goals([
      atLeast('relationship starts/s vs. trivial workflow starts/s', rel.perSecond / base.perSecond, 0.8),
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchStarts()}\n`);
    return true;
  });
