/**
 * A workflow's status, answered by its Query and also published in its memo whenever it changes, so
 * pages, activities and lists read it with a describe call and never need a worker.
 *
 * Why not just the Query: a Query sent while the workflow has no task pending waits on the task queue for
 * a worker. When one is gone or busy, the events that arrive meanwhile are applied to answer it, the run
 * stays cached, and a signal or Update that comes next is handled in an activation of its own; replaying
 * the same history later handles them in one, signals and Updates first. The two orders can take
 * different paths: the worker-kill drill found nondeterminism errors this way. Reading the memo sends
 * nothing to the worker, so the people using the programme no longer trigger it.
 */
import { condition, patched, setHandler, upsertMemo, type QueryDefinition } from '@temporalio/workflow';
import { STATUS_MEMO } from './messages.js';

/**
 * The change that brought publishing. A workflow started before it replays its history without memo
 * updates, and publishes from its first status change after the deploy on (`patched()` is true past
 * history); until then readers fall back to the Query.
 */
const PUBLISHED = 'status-published-in-memo';

/** Answers `query` with `view()` and keeps the memo equal to it, in the same workflow task as each change. */
export function publishStatus<T>(query: QueryDefinition<T>, view: () => T): void {
  setHandler(query, view);
  let shown: string | undefined;
  const changed = () => JSON.stringify(view()) !== shown;
  // Conditions are checked after every job of an activation, before it completes: the memo update goes
  // out with the commands of the change, and a status that changes twice in one task is published once.
  void (async () => {
    for (;;) {
      await condition(changed);
      const current = view();
      shown = JSON.stringify(current);
      if (patched(PUBLISHED)) upsertMemo({ [STATUS_MEMO]: current });
    }
  })();
}
