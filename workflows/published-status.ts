/**
 * A workflow's status, answered by its Query and also published in its memo whenever it changes, so
 * pages, activities and lists read it with a describe call and never need a worker. The workflow
 * registers the Query itself, in its handler block, with the same view it gives `publishStatus`.
 *
 * Why not just the Query: a Query sent while the workflow has no task pending waits on the task queue for
 * a worker. When one is gone or busy, the events that arrive meanwhile are applied to answer it, the run
 * stays cached, and a signal or Update that comes next is handled in an activation of its own; replaying
 * the same history later handles them in one, signals and Updates first. The two orders can take
 * different paths: the worker-kill drill found nondeterminism errors this way. Reading the memo sends
 * nothing to the worker, so the people using the programme no longer trigger it.
 */
import { condition, patched, upsertMemo } from '@temporalio/workflow';
import { STATUS_MEMO } from './messages.js';
import { STATUS_PUBLISHED } from './patches.js';

/**
 * Keeps the memo equal to `view()`, in the same workflow task as each change. Call it where the workflow
 * always has (right after registering its status Query): its first publication is a command, and
 * moving the call would move that command among the others.
 */
export function publishStatus<T>(view: () => T): void {
  let shown: string | undefined;
  const changed = () => JSON.stringify(view()) !== shown;
  // Conditions are checked after every job of an activation, before it completes: the memo update goes
  // out with the commands of the change, and a status that changes twice in one task is published once.
  void (async () => {
    for (;;) {
      await condition(changed);
      const current = view();
      shown = JSON.stringify(current);
      if (patched(STATUS_PUBLISHED)) upsertMemo({ [STATUS_MEMO]: current });
    }
  })();
}
