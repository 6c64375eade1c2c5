/**
 * Mentors join the pool through their own workflow, which alone knows their free capacity; the
 * coordinator pairs a mentee with a mentor by hand, both are introduced, and both sign the agreement.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignMentee,
  decideStep,
  mentorStatus,
  recordInterview,
  relationshipStatus,
} from '../workflows/messages.js';
import { answerForm, applyAsMentee, applyAsMentor, expectReplays, linkIn, mailTo } from './helpers/flows.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

const by = { userId: '00000000-0000-4000-8000-00000000c00d' };
const agreementAnswers = {
  goals: 'Lead a team of five.',
  milestones: 'First 1:1s by March.',
  form: 'video',
  confidentiality: 'yes',
  signed: 'yes',
};

describe.each(backends())('mentors, matching by hand and the agreement (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
    // No manager endorsement here, so the mentees reach matching straight after their interview.
    await stack.sql`update programs set settings = ${stack.sql.json({ managerEndorsement: false })} where id = ${stack.programId}`;
  });
  afterAll(async () => stack?.close());

  async function acceptedMentee(email: string) {
    const { workflowId } = await applyAsMentee(stack, { email, name: `Mentee ${email}` });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
    return handle;
  }

  it('pairs a mentee with a pooled mentor, introduces them, and both sign the agreement', async () => {
    const { workflowId: mentorId } = await applyAsMentor(stack);
    const mentor = stack.client.workflow.getHandle(mentorId);
    expect(mentorId).toMatch(new RegExp(`^mentor-${stack.programId}-[0-9a-f-]{36}$`));
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('interview');
    await mentor.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('pool');
    expect((await mentor.query(mentorStatus)).capacity).toBe(1);

    const first = await acceptedMentee('ella@example.org');
    const second = await acceptedMentee('finn@example.org');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: first.workflowId, by }] });
    // Capacity one: the second assignment is refused by the mentor workflow's validator.
    await expect(
      mentor.executeUpdate(assignMentee, { args: [{ relationshipId: second.workflowId, by }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    expect((await mentor.query(mentorStatus)).relationships).toEqual([first.workflowId]);

    const menteeMail = await mailTo(stack, 'ella@example.org', 4);
    expect(menteeMail.map((m) => m.subject)).toEqual([
      'Your mentoring application is received',
      'You are accepted into the mentoring programme',
      'You have a mentor',
      'Your mentoring agreement',
    ]);
    expect(menteeMail[2]!.text).toContain('Grace Hopper (grace.hopper@example.org)');
    const mentorMail = await mailTo(stack, 'grace.hopper@example.org', 4);
    expect(mentorMail.map((m) => m.subject)).toEqual([
      'Thank you for offering to be a mentor',
      'You are in the mentor pool',
      'You have a mentee',
      // A mentor's emails name the mentee they concern.
      'Your mentoring agreement (Mentee ella@example.org)',
    ]);
    expect(mentorMail[2]!.text).toContain('Mentee ella@example.org (ella@example.org)');
    expect((await mailTo(stack, COORDINATOR_EMAIL, 1)).map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^New mentor application: /)]),
    );

    expect((await answerForm(linkIn(menteeMail[3]!, 'f'), agreementAnswers)).status).toBe(200);
    expect((await first.query(relationshipStatus)).phase).toBe('kickoff');
    expect((await answerForm(linkIn(mentorMail[3]!, 'f'), agreementAnswers)).status).toBe(200);
    await expect.poll(async () => (await first.query(relationshipStatus)).phase).toBe('meetings');
    const signed =
      await stack.sql`select role from form_submissions where workflow_id = ${first.workflowId} order by role`;
    expect(signed.map((r) => r.role)).toEqual(['mentee', 'mentor']);
    await expectReplays(stack, first.workflowId);
    await expectReplays(stack, mentorId, `mentor-pool`);

    // When a relationship ends, the mentor's capacity frees up again.
    const third = await acceptedMentee('gus@example.org');
    await expect(
      mentor.executeUpdate(assignMentee, { args: [{ relationshipId: third.workflowId, by }] }),
    ).rejects.toThrow();
  });

  it('frees the mentor when a relationship ends before the agreement is signed', async () => {
    const { workflowId: mentorId } = await applyAsMentor(stack, {
      email: 'hedy@example.org',
      name: 'Hedy Lamarr',
    });
    const mentor = stack.client.workflow.getHandle(mentorId);
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('interview');
    await mentor.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('pool');
    const relationship = await acceptedMentee('ida@example.org');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });
    await expect.poll(async () => (await relationship.query(relationshipStatus)).open.length).toBe(2);
    await relationship.executeUpdate(decideStep, {
      args: [
        {
          stepId: 'pairing-1/agreement/mentor',
          decision: 'end',
          reason: 'The pair will not work together.',
          by,
        },
      ],
    });
    expect(await relationship.result()).toBe('ended-by-coordinator');
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    await expectReplays(stack, relationship.workflowId);
  });
});
