/** The project's Temporal schedules, made once per task queue (at start of `npm start` and the API). */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const retentionScheduleId = (taskQueue: string) => `retention-sweep-${taskQueue}`;
export const archiveScheduleId = (taskQueue: string) => `history-archive-${taskQueue}`;

const SCHEDULES = [
  // Personal data past its programme's retention is erased once a day.
  { id: retentionScheduleId, workflowType: 'retentionSweepWorkflow', every: '1 day' },
  // Closed histories are copied well within the server's retention (a day on the dev server).
  { id: archiveScheduleId, workflowType: 'historyArchiveWorkflow', every: '10 minutes' },
] as const;

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  for (const schedule of SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId: schedule.id(taskQueue),
        spec: { intervals: [{ every: schedule.every }] },
        action: {
          type: 'startWorkflow',
          workflowType: schedule.workflowType,
          workflowId: schedule.id(taskQueue),
          taskQueue,
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
