/**
 * Whether an error means a service we depend on is down or slow for a moment (PostgreSQL restarting,
 * the Temporal server or every worker gone), rather than a bug. Such a request is answered 503 with
 * "send it again", and a form keeps what was typed: nothing of it was saved half-way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** postgres.js's own codes for a connection that failed, and the socket errors it passes on. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P operator intervention (shutdown, starting). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;

/**
 * gRPC status codes of a call that ran out of time: DEADLINE_EXCEEDED, and CANCELLED, which a server
 * may answer before the deadline when what is left of it is too short to finish (nothing in this
 * application cancels a call otherwise).
 */
const GRPC_OUT_OF_TIME = new Set<number>([1, 4]);
/** gRPC status codes of a service that is down or overloaded: RESOURCE_EXHAUSTED, UNAVAILABLE. */
const GRPC_UNAVAILABLE = new Set<number>([...GRPC_OUT_OF_TIME, 8, 14]);
const GRPC_FAILED_PRECONDITION = 9;

/** Whether `test` holds for the error or any of its causes (a few levels deep). */
function inCauses(err: unknown, test: (err: Error) => boolean, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  return test(err) || inCauses(err.cause, test, depth + 1);
}

export function isUnavailable(err: unknown): boolean {
  return inCauses(err, (e) => {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && GRPC_UNAVAILABLE.has(e.code)) return true;
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code));
  });
}

/**
 * The server's FAILED_PRECONDITION "Workflow Task in failed state": the workflow cannot answer a query
 * until its task succeeds again. A worker catching up clears it by itself; a bug in the workflow (the
 * worker's log names it) does not, and an operator must act. Either way the person can only try later.
 */
export function isWorkflowTaskFailing(err: unknown): boolean {
  return inCauses(
    err,
    (e) =>
      isGrpcServiceError(e) &&
      e.code === GRPC_FAILED_PRECONDITION &&
      /workflow task in failed state/i.test(e.details),
  );
}

/**
 * Why a request should be answered 503 "try again", if it should: a service is unavailable for a
 * moment, or a workflow's task keeps failing (which may need an operator, so it is logged as an error).
 */
export function tryAgainLater(err: unknown): 'unavailable' | 'workflow task failing' | undefined {
  if (isWorkflowTaskFailing(err)) return 'workflow task failing';
  if (isUnavailable(err)) return 'unavailable';
  return undefined;
}

/** Runs `attempt` again while a service is unavailable, for up to `patienceMs`; any other error at once. */
export async function waitingOut<T>(
  attempt: () => Promise<T>,
  patienceMs: number,
  pause: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUnavailable(err) || Date.now() > giveUpAt) throw err;
      await pause(1000);
    }
  }
}

/** How long a page goes on asking a busy workflow before it says "try again". */
export const PAGE_PATIENCE_MS = 45_000;

/**
 * Runs `attempt` again while it times out (the worker is busy, or catching up after a restart, and a
 * Query or an Update waits longer than one call lasts), until `budgetMs` has passed; then, or on any
 * other error, throws. Sending the same Query or the same Update (same id) again is safe.
 */
export async function patiently<T>(attempt: () => Promise<T>, budgetMs = PAGE_PATIENCE_MS): Promise<T> {
  const giveUpAt = Date.now() + budgetMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!timedOut(err) || Date.now() >= giveUpAt) throw err;
    }
  }
}

function timedOut(err: unknown): boolean {
  return inCauses(
    err,
    (e) =>
      e instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
      (isGrpcServiceError(e) && GRPC_OUT_OF_TIME.has(e.code)),
  );
}
