/**
 * The retention sweep, started by a Temporal schedule (platform/temporal/schedules.ts) once a day: personal data of
 * relationships closed longer ago than their programme keeps it is erased, and each erasure recorded.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { sweepRetention } = proxyActivities<Pick<Activities, 'sweepRetention'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

export async function retentionSweepWorkflow(): Promise<{ erased: number; failed: number }> {
  return sweepRetention();
}
