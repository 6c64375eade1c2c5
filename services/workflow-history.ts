/**
 * A workflow's history across all its runs (continue-as-new makes one relationship several runs), read
 * from the Temporal server while it keeps them and from the PostgreSQL archive once its retention has
 * dropped them. Payloads are left as stored (encrypted); api/admin/timeline.ts decodes what it shows.
 */
import {
  isGrpcServiceError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import type { Sql } from '../platform/db/connect.js';
import { ProgramId } from '../workflows/search-attributes.js';

export type History = temporal.api.history.v1.IHistory;

export interface RunHistory {
  runId: string;
  workflowType: string;
  /** Temporal's status name: RUNNING, COMPLETED, CONTINUED_AS_NEW, TERMINATED, … */
  status: string;
  startedAt: Date;
  closedAt?: Date;
  programId?: string;
  /** Where the history came from: the server, or the archive after the server dropped it. */
  source: 'temporal' | 'archive';
  history: History;
}

/** gRPC's NOT_FOUND, which the server answers for a run whose history it no longer keeps. */
const GRPC_NOT_FOUND = 5;

/**
 * The server does not have the run's history (any more): its retention dropped it, or the run is
 * unknown. Only then does the archive stand in; an unavailable server fails the request (503).
 */
function historyGone(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND);
}

/** Workflow ids this project makes (and the routes accept): nothing that could break out of a query's quotes. */
export const WORKFLOW_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** A value for a visibility query, refused unless it is plainly safe to put between quotes. */
export function queryValue(value: string): string {
  if (!/^[A-Za-z0-9._:@ -]{0,200}$/.test(value)) throw new Error(`not a safe query value: ${value}`);
  return `'${value}'`;
}

/** Temporal's status names and the words its visibility queries use for them (`ExecutionStatus = 'Running'`). */
export const STATUS_IN_QUERIES = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  TIMED_OUT: 'TimedOut',
} as const;

/** Workflow types the archive leaves out: its own runs, every ten minutes, would only fill it. */
const NOT_ARCHIVED = new Set(['historyArchiveWorkflow']);

/**
 * Copies every closed run on the task queue that the archive does not hold yet; returns how many. The
 * server keeps closed runs for its retention period, so each sweep looks at all of them and skips the
 * ones already archived: a missed sweep is caught up by the next.
 */
export async function archiveClosedRuns(
  sql: Sql,
  client: Client,
  taskQueue: string,
  progress: (runId: string) => void = () => {},
): Promise<number> {
  const closed: WorkflowExecutionInfo[] = [];
  const query = `TaskQueue = ${queryValue(taskQueue)} AND ExecutionStatus != 'Running'`;
  for await (const run of client.workflow.list({ query }))
    if (!NOT_ARCHIVED.has(run.type) && run.closeTime) closed.push(run);
  let archived = 0;
  for (let i = 0; i < closed.length; i += 500) {
    const batch = closed.slice(i, i + 500);
    const known = new Set(
      (
        await sql<{ run_id: string }[]>`
          select run_id from workflow_archive where run_id = any(${sql.array(batch.map((r) => r.runId))}::text[])`
      ).map((r) => r.run_id),
    );
    for (const run of batch) {
      if (known.has(run.runId)) continue;
      progress(run.runId);
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const inserted = await sql`
        insert into workflow_archive
          (workflow_id, run_id, workflow_type, program_id, status, started_at, closed_at, events, history)
        values (${run.workflowId}, ${run.runId}, ${run.type},
                ${run.typedSearchAttributes.get(ProgramId) ?? null}, ${run.status.name},
                ${run.startTime}, ${run.closeTime!}, ${history.events?.length ?? 0},
                ${sql.json(JSON.parse(historyToJSON(history)) as never)})
        on conflict do nothing
        returning 1`;
      archived += inserted.length;
    }
  }
  return archived;
}

interface ArchivedRow {
  run_id: string;
  workflow_type: string;
  status: string;
  started_at: Date;
  closed_at: Date;
  program_id: string | null;
  history: unknown;
}

const fromArchive = (row: ArchivedRow): RunHistory => ({
  runId: row.run_id,
  workflowType: row.workflow_type,
  status: row.status,
  startedAt: row.started_at,
  closedAt: row.closed_at,
  programId: row.program_id ?? undefined,
  source: 'archive',
  history: historyFromJSON(row.history),
});

/** Every run of a workflow, oldest first; empty when neither the server nor the archive knows it. */
export async function workflowRuns(sql: Sql, client: Client, workflowId: string): Promise<RunHistory[]> {
  if (!WORKFLOW_ID.test(workflowId)) return [];
  const archived = new Map(
    (
      await sql<ArchivedRow[]>`
        select run_id, workflow_type, status, started_at, closed_at, program_id, history
        from workflow_archive where workflow_id = ${workflowId}`
    ).map((row) => [row.run_id, row]),
  );
  const runs: RunHistory[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = ${queryValue(workflowId)}` })) {
    const copy = archived.get(run.runId);
    archived.delete(run.runId);
    try {
      const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      runs.push({
        runId: run.runId,
        workflowType: run.type,
        status: run.status.name,
        startedAt: run.startTime,
        closedAt: run.closeTime,
        programId: run.typedSearchAttributes.get(ProgramId),
        source: 'temporal',
        history,
      });
    } catch (err) {
      // Visibility can list a run a moment after the server dropped its history.
      if (!copy || !historyGone(err)) throw err;
      runs.push(fromArchive(copy));
    }
  }
  for (const row of archived.values()) runs.push(fromArchive(row));
  return runs.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/** One run's history as Temporal's JSON, for a download; undefined when the run is unknown. */
export async function runHistory(
  sql: Sql,
  client: Client,
  workflowId: string,
  runId: string,
): Promise<History | undefined> {
  if (!WORKFLOW_ID.test(workflowId) || !/^[0-9a-f-]{36}$/.test(runId)) return undefined;
  try {
    return await client.workflow.getHandle(workflowId, runId).fetchHistory();
  } catch (err) {
    if (!historyGone(err)) throw err;
    const [row] = await sql<{ history: unknown }[]>`
      select history from workflow_archive where workflow_id = ${workflowId} and run_id = ${runId}`;
    return row ? historyFromJSON(row.history) : undefined;
  }
}
