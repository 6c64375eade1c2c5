/**
 * Mentees and mentors for workflow tests: started as the API starts them (a start, then the application
 * as an Update, since the test server takes no update-with-start) and walked through their steps.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { expect } from 'vitest';
import {
  assignMentee,
  mentorStatus,
  recordInterview,
  relationshipStatus,
  submitApplication,
  submitStep,
  type Answers,
  type OpenStep,
  type ParticipantRole,
  type RelationshipStatus,
} from '../../../workflows/messages.js';
import { DEFAULT_SETTINGS, type ProgramSettings } from '../../../workflows/program-settings.js';
import type { mentorWorkflow } from '../../../workflows/mentor.js';
import type { relationshipWorkflow } from '../../../workflows/relationship.js';
import { by, patientQuery, patientUpdate, type WorkflowTestEnv } from './env.js';

export type RelationshipHandle = WorkflowHandle<typeof relationshipWorkflow>;
export type MentorHandle = WorkflowHandle<typeof mentorWorkflow>;

/** A programme of its own per test, so ids never meet. */
export const newProgramme = () => `prog${randomUUID().slice(0, 8)}`;

/** Past a meeting's end (an hour, as agreed by default): its log and any fit check have been asked. */
export const MEETING_OVER = 61 * 60_000;

/** Short programmes: three monthly meetings (the mid-point is the second, the hand-over at the third). */
export const SHORT: ProgramSettings = { ...DEFAULT_SETTINGS, duration: 'P3M' };

export async function startMentee(
  t: WorkflowTestEnv,
  programId: string,
  settings: ProgramSettings = SHORT,
  answers: Answers = { managerEmail: 'manager@example.org' },
): Promise<{ handle: RelationshipHandle; participantId: string }> {
  const { handle, participantId } = await startRelationship(t, programId, settings);
  await handle.executeUpdate(submitApplication, {
    args: [{ submissionId: randomUUID(), formId: 'mentee-application', formVersion: 1, answers }],
  });
  return { handle, participantId };
}

/** A relationship workflow started for a new mentee, before any application reaches it. */
export async function startRelationship(
  t: WorkflowTestEnv,
  programId: string,
  settings: ProgramSettings = SHORT,
) {
  const participantId = randomUUID();
  const handle = await t.client.workflow.start<typeof relationshipWorkflow>('relationshipWorkflow', {
    workflowId: `relationship-${programId}-${participantId}`,
    taskQueue: t.taskQueue,
    args: [{ programId, participantId, settings }],
  });
  t.started.push(handle);
  return { handle, participantId };
}

export async function startMentor(
  t: WorkflowTestEnv,
  programId: string,
  capacity = 1,
): Promise<{ handle: MentorHandle; participantId: string }> {
  const participantId = randomUUID();
  const handle = await t.client.workflow.start<typeof mentorWorkflow>('mentorWorkflow', {
    workflowId: `mentor-${programId}-${participantId}`,
    taskQueue: t.taskQueue,
    args: [{ programId, participantId, settings: DEFAULT_SETTINGS }],
  });
  t.started.push(handle);
  await handle.executeUpdate(submitApplication, {
    args: [
      {
        submissionId: randomUUID(),
        formId: 'mentor-application',
        formVersion: 1,
        answers: { capacity: String(capacity) },
      },
    ],
  });
  return { handle, participantId };
}

/** A mentor accepted at interview, waiting in the pool. */
export async function mentorInPool(t: WorkflowTestEnv, programId: string, capacity = 1) {
  const mentor = await startMentor(t, programId, capacity);
  await expect.poll(async () => (await mentorStatusOf(mentor.handle)).phase).toBe('interview');
  await mentor.handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
  await expect.poll(async () => (await mentorStatusOf(mentor.handle)).phase).toBe('pool');
  return mentor;
}

export const status = (handle: RelationshipHandle) =>
  patientQuery(handle, () => handle.query(relationshipStatus));
export const mentorStatusOf = (handle: MentorHandle) =>
  patientQuery(handle, () => handle.query(mentorStatus));

export async function waitForPhase(handle: RelationshipHandle, phase: RelationshipStatus['phase']) {
  await expect.poll(async () => (await status(handle)).phase).toBe(phase);
}

/** Waits until the step is open, and returns how it stands. */
export async function openStep(handle: RelationshipHandle, stepId: string): Promise<OpenStep> {
  let found: OpenStep | undefined;
  await expect
    .poll(async () => (found = (await status(handle)).open.find((s) => s.stepId === stepId)))
    .toBeDefined();
  return found!;
}

/** Answers an open step as its participant would, through the link. */
export async function answer(
  handle: WorkflowHandle,
  stepId: string,
  role: ParticipantRole,
  formId: string,
  answers: Answers = {},
  formVersion = 1,
) {
  const submissionId = randomUUID();
  return patientUpdate(handle, () =>
    handle.executeUpdate(submitStep, {
      args: [{ stepId, role, formId, formVersion, submissionId, answers }],
      updateId: `step:${stepId}:${submissionId}`,
    }),
  );
}

/** Waits for the step, then answers it. */
export async function answerWhenOpen(
  handle: RelationshipHandle,
  stepId: string,
  role: ParticipantRole,
  answers: Answers = {},
) {
  const step = await openStep(handle, stepId);
  return answer(handle, stepId, role, step.formId, answers, step.formVersion);
}

/** Application to matching: address confirmed, endorsed, accepted at interview. */
export async function menteeInMatching(
  t: WorkflowTestEnv,
  programId: string,
  settings: ProgramSettings = SHORT,
) {
  const mentee = await startMentee(t, programId, settings);
  const { handle } = mentee;
  if (settings.managerEndorsement) {
    if (settings.confirmAddress !== false) await answerWhenOpen(handle, 'address-confirmation', 'mentee');
    await answerWhenOpen(handle, 'endorsement', 'manager', { endorse: 'yes' });
  }
  await waitForPhase(handle, 'interview');
  await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
  await waitForPhase(handle, 'matching');
  return mentee;
}

/** The coordinator assigns the mentor; both sign the agreement of pairing `pairing`; meetings begin. */
export async function pairUp(
  mentee: { handle: RelationshipHandle },
  mentor: { handle: MentorHandle },
  pairing = 1,
) {
  await mentor.handle.executeUpdate(assignMentee, {
    args: [{ relationshipId: mentee.handle.workflowId, by }],
  });
  await answerWhenOpen(mentee.handle, `pairing-${pairing}/agreement/mentee`, 'mentee', { agree: 'yes' });
  await answerWhenOpen(mentee.handle, `pairing-${pairing}/agreement/mentor`, 'mentor', { agree: 'yes' });
  await waitForPhase(mentee.handle, 'meetings');
  // The first meeting is published a moment after the phase: once the kickoff has been sent.
  await expect
    .poll(async () => {
      const meetings = (await status(mentee.handle)).meetings;
      return !!meetings && (meetings.planned === 0 || meetings.nextAt !== undefined);
    })
    .toBe(true);
}

/** A relationship whose pair is under way (meetings phase), with a fresh mentor of capacity 1. */
export async function pairInMeetings(t: WorkflowTestEnv, settings: ProgramSettings = SHORT) {
  const programId = newProgramme();
  const mentee = await menteeInMatching(t, programId, settings);
  const mentor = await mentorInPool(t, programId);
  await pairUp(mentee, mentor);
  return { programId, mentee, mentor };
}

/** The templates of the emails a workflow sent, with the recipient. */
export function sent(t: WorkflowTestEnv, workflowId: string) {
  return t.stubs.emails(workflowId).map((e) => ({ template: e.template, to: e.to, key: e.key }));
}

export function templates(t: WorkflowTestEnv, workflowId: string): string[] {
  return t.stubs.emails(workflowId).map((e) => e.template);
}
