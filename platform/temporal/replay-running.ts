/**
 * Replays the histories of workflows that are running (or of any found by a visibility query) against
 * the workflow code about to be deployed, before it is: a change that alters the commands of a running
 * workflow without `patched()` shows here, named by the workflow, instead of failing that workflow after
 * the deploy. Histories stream through one replay worker (`Worker.runReplayHistories`), so memory stays
 * flat however many are open; payloads are decoded in memory by the project's data converter, and
 * nothing is written anywhere.
 */
import type { Client } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  /** Why the replay diverged (the first command that differs), when it did. */
  divergence?: string;
}

export interface ReplayRunningOptions {
  client: Client;
  /** A visibility query (`ExecutionStatus = 'Running' AND TaskQueue = '…'`), or one workflow by id. */
  select: { query: string } | { workflowId: string };
  /** The code to replay against (a prebuilt bundle, or the path the worker bundles) and the data converter. */
  replay: Pick<ReplayWorkerOptions, 'workflowBundle' | 'workflowsPath' | 'dataConverter' | 'bundlerOptions'>;
}

/** The open workflows of a task queue, as the replay selects them by default. */
export function runningOn(taskQueue: string): string {
  return `ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`;
}

/** Each selected workflow's replay, as it finishes. */
export async function* replayRunning(opts: ReplayRunningOptions): AsyncGenerator<ReplayOutcome> {
  const { client, select } = opts;
  const histories =
    'query' in select
      ? client.workflow.list({ query: select.query }).intoHistories({ concurrency: 4 })
      : one(client, select.workflowId);
  for await (const result of Worker.runReplayHistories(opts.replay, histories)) {
    yield {
      workflowId: result.workflowId,
      runId: result.runId,
      ...(result.error ? { divergence: result.error.message } : {}),
    };
  }
}

async function* one(client: Client, workflowId: string) {
  const handle = client.workflow.getHandle(workflowId);
  yield { workflowId, history: await handle.fetchHistory() };
}
