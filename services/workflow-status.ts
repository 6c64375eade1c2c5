/**
 * Reading a workflow's status the way pages, activities and lists should: from the memo the workflow
 * publishes (workflows/published-status.ts), which the server answers without a worker. Only a workflow
 * that has not published yet (started before publishing, and unchanged since) is asked by its Query.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/workflow';
import { STATUS_MEMO } from '../workflows/messages.js';
import { Phase, WaitingFor } from '../workflows/search-attributes.js';
import { PAGE_PATIENCE_MS, patiently } from '../platform/unavailable.js';

/**
 * The status published in a workflow's memo (from a describe or a list), if any. An erased workflow's
 * memo reads as null (platform/temporal/data-converter.ts): nothing of it can be shown.
 */
export function publishedIn<T>(memo: Record<string, unknown> | undefined): T | 'erased' | undefined {
  if (!memo || !(STATUS_MEMO in memo)) return undefined;
  return memo[STATUS_MEMO] === null ? 'erased' : (memo[STATUS_MEMO] as T);
}

export interface ReadStatus<T> {
  status: T;
  /** False once the workflow completed, failed, was terminated or continued as new without a successor. */
  running: boolean;
}

/**
 * The workflow's status and whether it runs; a missing or erased workflow throws WorkflowNotFoundError.
 * A Query that times out is sent again for up to `patienceMs` (a caller with its own deadline says 0).
 */
export async function readStatus<T>(
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  { patienceMs = PAGE_PATIENCE_MS } = {},
): Promise<ReadStatus<T>> {
  const described = await handle.describe();
  const running = described.status.name === 'RUNNING';
  const published = publishedIn<T>(described.memo);
  if (published === 'erased')
    throw new WorkflowNotFoundError('the workflow was erased', handle.workflowId, described.runId);
  return { running, status: published ?? (await patiently(() => handle.query(query), patienceMs)) };
}

/** The workflow's status alone. */
export const statusOf = async <T>(
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  options?: { patienceMs?: number },
): Promise<T> => (await readStatus(handle, query, options)).status;

/** A list of the visibility store is cut short after this long, so a page never hangs on it. */
const LIST_DEADLINE_MS = 15_000;

/** The newest run of one workflow as the visibility store lists it. */
export interface LatestRun {
  workflowId: string;
  running: boolean;
  /** The run's status as the server names it (RUNNING, COMPLETED, TERMINATED…), for exports that show it. */
  status: string;
  workflowType: string;
  phase?: string;
  waitingFor?: string;
  startTime: Date;
  /** The status the workflow published, listed with it. */
  published?: unknown;
}

/**
 * Each workflow of the query once, by its newest run. A run that continued as new is not the workflow's
 * state (its successor is), and a workflow id used again after it closed lists its older runs too.
 */
export async function latestRuns(temporal: Client, query: string): Promise<LatestRun[]> {
  const latest = new Map<string, LatestRun>();
  await temporal.connection.withDeadline(Date.now() + LIST_DEADLINE_MS, async () => {
    for await (const execution of temporal.workflow.list({ query })) {
      if (execution.status.name === 'CONTINUED_AS_NEW') continue;
      const seen = latest.get(execution.workflowId);
      if (seen && seen.startTime >= execution.startTime) continue;
      latest.set(execution.workflowId, {
        workflowId: execution.workflowId,
        workflowType: execution.type,
        running: execution.status.name === 'RUNNING' || execution.status.name === 'PAUSED',
        status: execution.status.name,
        phase: execution.typedSearchAttributes.get(Phase),
        waitingFor: execution.typedSearchAttributes.get(WaitingFor),
        startTime: execution.startTime,
        published: publishedIn(execution.memo),
      });
    }
  });
  return [...latest.values()];
}
