/**
 * A whole relationship with the programme's durations compressed to seconds, on the real dev server:
 * matching, agreement, meetings with calendar invitations and logs, the fit check, the mid-point,
 * the final evaluation and the closing summary; and a no-fault rematch after the first meeting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignMentee, mentorStatus, recordInterview, relationshipStatus } from '../workflows/messages.js';
import { answerForm, applyAsMentee, applyAsMentor, expectReplays, linkIn, mailTo } from './helpers/flows.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

const by = { userId: '00000000-0000-4000-8000-00000000c00d' };
const signature = {
  goals: 'Lead.',
  milestones: 'Soon.',
  frequency: 'monthly',
  form: 'video',
  confidentiality: 'yes',
  signed: 'yes',
};
const rating = { working: '4', progress: '4', adjust: '' };
const evaluation = { goals: '4', satisfaction: '5', summary: 'Confidence in leading.', trainingNeeds: '' };

describe.each(backends())('a whole relationship, compressed (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
    // 4 meetings, 2 s apart, reminded 1 s ahead; forms do not remind within a test's time.
    const settings = {
      duration: 'PT8S',
      meetingCadence: 'PT2S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT5M',
      managerEndorsement: false,
    };
    await stack.sql`update programs set settings = ${stack.sql.json(settings)} where id = ${stack.programId}`;
  });
  afterAll(async () => stack?.close());

  async function pooledMentor(email: string, name: string) {
    const { workflowId } = await applyAsMentor(stack, { email, name, capacity: '2' });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(mentorStatus)).phase).toBe('interview');
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await handle.query(mentorStatus)).phase).toBe('pool');
    return handle;
  }
  async function matchedMentee(email: string, mentor: Awaited<ReturnType<typeof pooledMentor>>) {
    const { workflowId } = await applyAsMentee(stack, { email, name: `Mentee ${email}` });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: workflowId, by }] });
    return handle;
  }
  /** Answers the newest email with this subject sent to `address`. */
  async function answer(address: string, subject: string, answers: Record<string, string>, count: number) {
    const mails = await mailTo(stack, address, count);
    const mail = mails.filter((m) => m.subject === subject).at(-1);
    expect(mail, `${subject} to ${address}`).toBeTruthy();
    const page = await answerForm(linkIn(mail!, 'f'), answers);
    expect(page.status, page.text).toBe(200);
  }
  const waitFor = (address: string, subject: string) =>
    stack.smtp.waitFor(
      (all) => all.some((m) => m.subject === subject && JSON.stringify(m.to).includes(`"${address}"`)),
      30_000,
    );

  it('runs from matching to formal closure with every email, invitation and form in order', async () => {
    const mentor = await pooledMentor('karin@example.org', 'Karin Boye');
    const relationship = await matchedMentee('lars@example.org', mentor);
    await answer('lars@example.org', 'Your mentoring agreement', signature, 4);
    await answer('karin@example.org', 'Your mentoring agreement', signature, 4);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');

    await waitFor('lars@example.org', 'How is your mentoring pair working?');
    await answer('lars@example.org', 'How is your mentoring pair working?', { choice: 'continue' }, 7);
    await answer('karin@example.org', 'How is your mentoring pair working?', { choice: 'continue' }, 5);
    await answer(
      'lars@example.org',
      'Log of meeting 1',
      { held: 'yes', date: '2027-01-05', topics: 'Feedback', learning: 'Ask first.' },
      7,
    );
    await waitFor('lars@example.org', 'Mid-point feedback');
    await answer('lars@example.org', 'Mid-point feedback', rating, 10);
    await answer('karin@example.org', 'Mid-point feedback', rating, 7);
    await answer('lars@example.org', 'Log of meeting 2', { held: 'yes' }, 10);
    await waitFor('lars@example.org', 'Log of meeting 3');
    await answer('lars@example.org', 'Log of meeting 3', { held: 'no' }, 12);
    await waitFor('lars@example.org', 'Final evaluation');
    await answer('lars@example.org', 'Log of meeting 4', { held: 'yes' }, 15);
    await answer('lars@example.org', 'Final evaluation', evaluation, 15);
    await answer('karin@example.org', 'Final evaluation', evaluation, 10);
    expect(await relationship.result()).toBe('completed');

    const mentee = await mailTo(stack, 'lars@example.org', 16);
    const subjects = mentee.map((m) => m.subject);
    expect(subjects.filter((s) => s?.startsWith('Mentoring meeting'))).toEqual(
      [1, 2, 3, 4].map((n) => `Mentoring meeting ${n} of 4`),
    );
    expect([...subjects].sort()).toEqual(
      [
        'Your mentoring application is received',
        'You are accepted into the mentoring programme',
        'You have a mentor',
        'Your mentoring agreement',
        ...[1, 2, 3, 4].flatMap((n) => [`Mentoring meeting ${n} of 4`, `Log of meeting ${n}`]),
        'How is your mentoring pair working?',
        'Mid-point feedback',
        'Final evaluation',
        'Your mentoring relationship is closed',
      ].sort(),
    );
    // Each meeting's reminder precedes its log request; the summary comes last.
    for (const n of [1, 2, 3, 4])
      expect(subjects.indexOf(`Mentoring meeting ${n} of 4`)).toBeLessThan(
        subjects.indexOf(`Log of meeting ${n}`),
      );
    expect(subjects.at(-1)).toBe('Your mentoring relationship is closed');
    expect(mentee.at(-1)!.text).toContain('You met 3 of 4 planned times');

    const reminder = mentee.find((m) => m.subject === 'Mentoring meeting 1 of 4')!;
    const ics = reminder.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics?.content.toString()).toMatch(/BEGIN:VEVENT[\s\S]*DTSTART:\d{8}T\d{6}Z[\s\S]*DURATION:PT60M/);

    const mentorMail = (await mailTo(stack, 'karin@example.org', 12)).map((m) => m.subject);
    expect(mentorMail.filter((s) => s?.startsWith('Mentoring meeting'))).toHaveLength(4);
    expect(mentorMail).not.toContain('Log of meeting 1'); // logs are the mentee's
    expect(mentorMail.at(-1)).toBe('Your mentoring relationship is closed');
    expect((await mailTo(stack, COORDINATOR_EMAIL, 1)).map((m) => m.subject)).toContain(
      'A relationship has reached its mid-point',
    );

    const [outcome] =
      await stack.sql`select outcome, meetings_planned, meetings_held from relationship_outcomes where workflow_id = ${relationship.workflowId}`;
    expect(outcome).toEqual({ outcome: 'completed', meetings_planned: 4, meetings_held: 3 });
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    const events = (await relationship.fetchHistory()).events?.length ?? 0;
    console.log(`history events of a compressed 4-meeting relationship: ${events}`);
    await expectReplays(stack, relationship.workflowId, `full-lifecycle`);
  }, 120_000);

  it('a fit check asking for a rematch ends the pair without fault and returns the mentee to matching', async () => {
    const mentor = await pooledMentor('maja@example.org', 'Maja Ekelöf');
    const relationship = await matchedMentee('nils@example.org', mentor);
    await answer('nils@example.org', 'Your mentoring agreement', signature, 4);
    await answer('maja@example.org', 'Your mentoring agreement', signature, 4);
    await waitFor('maja@example.org', 'How is your mentoring pair working?');
    await answer(
      'maja@example.org',
      'How is your mentoring pair working?',
      { choice: 'rematch', comment: 'Too close to my team.' },
      6,
    );
    await waitFor('nils@example.org', 'Your mentoring pair ends');
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    expect((await relationship.query(relationshipStatus)).open).toEqual([]);

    const second = await pooledMentor('olof@example.org', 'Olof Palme');
    await second.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });
    await waitFor('olof@example.org', 'Your mentoring agreement');
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).open.map((s) => s.stepId).sort())
      .toEqual(['pairing-2/agreement/mentee', 'pairing-2/agreement/mentor']);
    await expectReplays(stack, relationship.workflowId, `no-fault-rematch`);
  }, 120_000);
});
