/**
 * The history archive, started by a Temporal schedule (platform/temporal/schedules.ts): closed runs' histories are
 * copied to PostgreSQL before the server's retention drops them, so the audit trail stays readable.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { archiveHistories } = proxyActivities<Pick<Activities, 'archiveHistories'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function historyArchiveWorkflow(): Promise<{ archived: number }> {
  return archiveHistories({ taskQueue: workflowInfo().taskQueue });
}
