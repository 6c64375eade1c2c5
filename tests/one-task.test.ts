/**
 * Messages that reach a workflow in the same workflow task as an activity's result. While no worker
 * runs (a deploy, a crash) events pile up, and the next worker gets them in one task; the SDK hands
 * signals and updates to the workflow before results. A workflow that decided by what happened first
 * took one path live and another on replay: the worker-kill drill found a relationship that took its
 * mentor when it ran and handed the mentor back when a later worker replayed it, a nondeterminism error
 * that stopped the relationship. Here the situation is made on purpose: the interview's "accepted"
 * email finishes while no workflow worker runs, the coordinator's assignment arrives, then one worker
 * takes both at once; what it did must replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentorAssigned, recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  applyAsMentee,
  COORDINATOR,
  expectReplays,
  mailTo,
  pooledMentor,
  useSettings,
} from './helpers/flows.js';
import { backends, startStack, type Stack } from './helpers/stack.js';

describe.each(backends().slice(0, 1))(
  'events that reach a workflow in one task (database: %s)',
  (backend) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(backend);
      await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    });
    afterAll(async () => stack?.close());

    it('a mentor assigned while the interview email is finishing is taken, live and on replay', async () => {
      const mentor = await pooledMentor(stack, 'one-task.mentor@example.org', 'Mentor One Task');
      const { workflowId } = await applyAsMentee(stack, { email: 'one-task.mentee@example.org' });
      const handle = stack.client.workflow.getHandle(workflowId);
      await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
      await mailTo(stack, 'one-task.mentee@example.org', 1);

      // The coordinator accepts; the "accepted" email waits, as no worker takes activities.
      await stack.replaceWorker('workflows');
      await handle.executeUpdate(recordInterview, {
        args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
      });
      // The email goes out while no worker takes workflow tasks; the workflow task it schedules waits.
      await stack.replaceWorker('activities');
      await mailTo(stack, 'one-task.mentee@example.org', 2);
      const [row] = await stack.sql<{ participant_id: string }[]>`
      select participant_id from applications where workflow_id = ${mentor.workflowId}`;
      await handle.signal(mentorAssigned, {
        mentorWorkflowId: mentor.workflowId,
        mentorParticipantId: row!.participant_id,
      });

      // One worker now gets both: the email's result and the assignment.
      await stack.replaceWorker('both');
      await expect
        .poll(async () => (await handle.query(relationshipStatus)).phase, { timeout: 30_000 })
        .toBe('kickoff');
      expect((await handle.query(relationshipStatus)).mentor?.mentorWorkflowId).toBe(mentor.workflowId);
      await expectReplays(stack, workflowId, 'mentor-assigned-in-one-task');
    });
  },
);
