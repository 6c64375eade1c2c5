/**
 * The history archive's side effect: copy the history of every closed run on this task queue that is
 * not archived yet into PostgreSQL, payloads as they are (encrypted).
 */
import { Context } from '@temporalio/activity';
import { archiveClosedRuns } from '../services/workflow-history.js';
import type { ActivityDeps } from './index.js';

export function createArchiveActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    async archiveHistories(input: { taskQueue: string }): Promise<{ archived: number }> {
      const { client } = Context.current();
      const archived = await archiveClosedRuns(sql, client, input.taskQueue, (runId) =>
        Context.current().heartbeat(runId),
      );
      return { archived };
    },
  };
}
