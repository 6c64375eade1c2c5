/**
 * A mentor's workflow, activities stubbed: the application and the capacity it offers, the interview,
 * the pool, assignments within that capacity, places coming back, and a run carried on from the pool.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  assignMentee,
  recordInterview,
  relationshipEnded,
  submitApplication,
} from '../../workflows/messages.js';
import type { mentorWorkflow } from '../../workflows/mentor.js';
import { DEFAULT_SETTINGS } from '../../workflows/program-settings.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  menteeInMatching,
  mentorInPool,
  mentorStatusOf,
  newProgramme,
  startMentor,
  status,
  templates,
  type MentorHandle,
  waitForPhase,
} from './support/participants.js';

describe.skipIf(!testServer)('mentor workflow', () => {
  const t = useWorkflowTestEnv();

  const mentorOf = (handle: MentorHandle) => mentorStatusOf(handle);
  /** A relationship id of the programme; the mentor's validator checks only its shape. */
  const menteeId = (programId: string) => `relationship-${programId}-${randomUUID()}`;

  it('takes the application with its capacity, and waits in the pool once accepted', async () => {
    const programId = newProgramme();
    const { handle, participantId } = await startMentor(t, programId, 3);
    await expect.poll(async () => (await mentorOf(handle)).phase).toBe('interview');
    const s = await mentorOf(handle);
    expect(s).toMatchObject({ capacity: 3, relationships: [], waitingFor: 'coordinator' });
    expect(s.application?.reference).toMatch(/^[0-9A-F]{8}$/);
    expect(t.stubs.of(handle.workflowId).find((c) => c.name === 'recordApplication')?.input).toMatchObject({
      role: 'mentor',
      participantId,
      programId,
    });
    await expectRefusal(
      handle.executeUpdate(submitApplication, {
        args: [{ submissionId: randomUUID(), formId: 'mentor-application', formVersion: 1, answers: {} }],
      }),
      Refusal.alreadyApplied,
    );
    // Not yet in the pool: nobody can be assigned.
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeId(programId), by }] }),
      Refusal.mentorNotInPool,
    );
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await mentorOf(handle)).phase).toBe('pool');
    expect((await mentorOf(handle)).waitingFor).toBe('nobody');
    expect(templates(t, handle.workflowId)).toEqual(
      expect.arrayContaining(['mentor-application-received', 'coordinator-new-mentor', 'mentor-accepted']),
    );
    await expectRefusal(
      handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] }),
      Refusal.noInterviewWaiting,
    );
  });

  it('takes one mentee when the application names no capacity', async () => {
    const { handle } = await startMentor(t, newProgramme(), 0);
    await expect.poll(async () => (await mentorOf(handle)).phase).toBe('interview');
    expect((await mentorOf(handle)).capacity).toBe(1);
  });

  it('closes a declined mentor with the reason told', async () => {
    const { handle, participantId } = await startMentor(t, newProgramme());
    await expect.poll(async () => (await mentorOf(handle)).phase).toBe('interview');
    await expectRefusal(
      handle.executeUpdate(recordInterview, { args: [{ outcome: 'declined', reason: '', by }] }),
      Refusal.reasonNeeded,
    );
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'declined', reason: 'Too new', by }] });
    expect(await handle.result()).toBe('declined');
    expect(t.stubs.emails(handle.workflowId).find((e) => e.template === 'mentor-declined')).toMatchObject({
      to: { participantId },
      data: { reason: 'Too new' },
    });
    expect((await mentorOf(handle)).phase).toBe('closed');
  });

  it('assigns mentees up to its capacity, and takes more as places come back', async () => {
    const programId = newProgramme();
    const mentor = await mentorInPool(t, programId, 2);
    const { handle } = mentor;
    const menteeA = await menteeInMatching(t, programId);
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeA.handle.workflowId, by }] });
    await waitForPhase(menteeA.handle, 'kickoff');
    expect((await status(menteeA.handle)).mentor).toEqual({
      mentorWorkflowId: handle.workflowId,
      mentorParticipantId: mentor.participantId,
    });
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeA.handle.workflowId, by }] }),
      Refusal.alreadyAssigned,
    );
    await expectRefusal(
      handle.executeUpdate(assignMentee, {
        args: [{ relationshipId: menteeId(programId), by: { userId: '' } }],
      }),
      Refusal.noActor,
    );
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeId('otherprog'), by }] }),
      Refusal.notInProgramme,
    );
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: `relationship-${programId}-x`, by }] }),
      Refusal.notInProgramme,
    );
    const menteeB = await menteeInMatching(t, programId);
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeB.handle.workflowId, by }] });
    expect((await mentorOf(handle)).relationships).toEqual([
      menteeA.handle.workflowId,
      menteeB.handle.workflowId,
    ]);
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeId(programId), by }] }),
      Refusal.mentorFull,
    );
    // A relationship ends: its place is free again.
    await handle.signal(relationshipEnded, { relationshipId: menteeA.handle.workflowId });
    await expect
      .poll(async () => (await mentorOf(handle)).relationships)
      .toEqual([menteeB.handle.workflowId]);
    const menteeC = await menteeInMatching(t, programId);
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeC.handle.workflowId, by }] });
    await waitForPhase(menteeC.handle, 'kickoff');
  });

  it('keeps its place when the relationship it is assigned to has closed meanwhile', async () => {
    const programId = newProgramme();
    const { handle } = await mentorInPool(t, programId, 1);
    // A relationship of the programme that is not running (closed since the page was drawn, say).
    const gone = menteeId(programId);
    const failed = await handle
      .executeUpdate(assignMentee, { args: [{ relationshipId: gone, by }] })
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await mentorOf(handle)).relationships).toEqual([]);
    // The place is still there for the next mentee.
    const mentee = await menteeInMatching(t, programId);
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: mentee.handle.workflowId, by }] });
    await waitForPhase(mentee.handle, 'kickoff');
    expect((await mentorOf(handle)).relationships).toEqual([mentee.handle.workflowId]);
  });

  it('carries its capacity and relationships into a run continued from the pool', async () => {
    const programId = newProgramme();
    const participantId = randomUUID();
    const held = menteeId(programId);
    const handle = await t.client.workflow.start<typeof mentorWorkflow>('mentorWorkflow', {
      workflowId: `mentor-${programId}-${participantId}`,
      taskQueue: t.taskQueue,
      args: [
        {
          programId,
          participantId,
          settings: DEFAULT_SETTINGS,
          pool: { capacity: 1, relationships: [held], application: { reference: 'R1', submittedAt: 'then' } },
        },
      ],
    });
    await expect.poll(async () => (await mentorOf(handle)).phase).toBe('pool');
    expect(await mentorOf(handle)).toMatchObject({
      capacity: 1,
      relationships: [held],
      application: { reference: 'R1' },
    });
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: menteeId(programId), by }] }),
      Refusal.mentorFull,
    );
    // The application and the interview belong to the first run: this one has no handler for them.
    const late = await handle
      .executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(WorkflowUpdateFailedError);
    // Nothing was emailed: the first run did.
    expect(t.stubs.emails(handle.workflowId)).toEqual([]);
  });
});
