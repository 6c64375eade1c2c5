/**
 * A whole relationship with the programme's durations compressed to seconds, on the real dev server:
 * matching, agreement, meetings with calendar invitations and logs, the fit check, the mid-point,
 * the final evaluation and the closing summary; and a no-fault rematch after the first meeting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignMentee, mentorStatus, relationshipStatus } from '../workflows/messages.js';
import {
  answerLatest,
  expectReplays,
  mailTo,
  pooledMentor,
  waitForMail,
  useSettings,
  signedPair,
  AGREEMENT,
} from './helpers/flows.js';
import { expectNothingReadable } from './helpers/privacy.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

const by = { userId: '00000000-0000-4000-8000-00000000c00d' };
const rating = { working: '4', progress: '4', adjust: '' };
const evaluation = { goals: '4', satisfaction: '5', summary: 'Confidence in leading.', trainingNeeds: '' };

describe.each(backends())('a whole relationship, compressed (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
    // 4 meetings, 2 s apart, reminded 1 s ahead; forms do not remind within a test's time.
    await useSettings(stack, {
      duration: 'PT8S',
      meetingCadence: 'PT2S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT5M',
      managerEndorsement: false,
    });
  });
  afterAll(async () => stack?.close());

  /**
   * Answers the form this email asks for once it has come. Emails asked for together (a meeting's log
   * and the fit check, the same form to both of the pair) arrive in any order, so a count of emails
   * alone does not say which have come; the count is still waited for, as a floor.
   */
  async function answerWhenIn(
    address: string,
    subject: string,
    answers: Record<string, string>,
    count: number,
  ) {
    await waitForMail(stack, address, subject);
    await answerLatest(stack, address, subject, answers, count);
  }

  it('runs from matching to formal closure with every email, invitation and form in order', async () => {
    const { mentor, relationship } = await signedPair(
      stack,
      'lars@example.org',
      'karin@example.org',
      'Karin Boye',
    );
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');

    await waitForMail(stack, 'lars@example.org', 'How is your mentoring pair working?');
    await answerWhenIn('lars@example.org', 'How is your mentoring pair working?', { choice: 'continue' }, 8);
    await answerWhenIn('karin@example.org', 'How is your mentoring pair working?', { choice: 'continue' }, 6);
    await answerWhenIn(
      'lars@example.org',
      'Log of meeting 1',
      { held: 'yes', date: '2027-01-05', topics: 'Feedback', learning: 'Ask first.' },
      8,
    );
    await waitForMail(stack, 'lars@example.org', 'Mid-point feedback');
    await answerWhenIn('lars@example.org', 'Mid-point feedback', rating, 11);
    await answerWhenIn('karin@example.org', 'Mid-point feedback', rating, 8);
    await answerWhenIn('lars@example.org', 'Log of meeting 2', { held: 'yes' }, 11);
    await waitForMail(stack, 'lars@example.org', 'Log of meeting 3');
    await answerWhenIn('lars@example.org', 'Log of meeting 3', { held: 'no' }, 13);
    await waitForMail(stack, 'lars@example.org', 'Final evaluation');
    await answerWhenIn('lars@example.org', 'Log of meeting 4', { held: 'yes' }, 16);
    await answerWhenIn('lars@example.org', 'Final evaluation', evaluation, 16);
    await answerWhenIn('karin@example.org', 'Final evaluation', evaluation, 11);
    expect(await relationship.result()).toBe('completed');

    const mentee = await mailTo(stack, 'lars@example.org', 17);
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
        'Your mentoring pair is under way',
        ...[1, 2, 3, 4].flatMap((n) => [`Mentoring meeting ${n} of 4`, `Log of meeting ${n}`]),
        'How is your mentoring pair working?',
        'Mid-point feedback',
        'Final evaluation',
        'Your mentoring relationship is closed',
      ].sort(),
    );
    // Each meeting's reminder precedes its log request; the summary comes last. (These orders are the
    // workflow's: it waits for a reminder's emails to be sent before the meeting goes on, and for every
    // form above to be answered, after it came, before the summary.)
    for (const n of [1, 2, 3, 4])
      expect(subjects.indexOf(`Mentoring meeting ${n} of 4`)).toBeLessThan(
        subjects.indexOf(`Log of meeting ${n}`),
      );
    expect(subjects.at(-1)).toBe('Your mentoring relationship is closed');
    expect(mentee.at(-1)!.text).toContain('You met 3 of 4 planned times');

    const reminder = mentee.find((m) => m.subject === 'Mentoring meeting 1 of 4')!;
    const ics = reminder.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics?.content.toString()).toMatch(/BEGIN:VEVENT[\s\S]*DTSTART:\d{8}T\d{6}Z[\s\S]*DURATION:PT60M/);

    const mentorMail = (await mailTo(stack, 'karin@example.org', 13)).map((m) => m.subject);
    expect(mentorMail.filter((s) => s?.startsWith('Mentoring meeting'))).toHaveLength(4);
    expect(mentorMail).not.toContain('Log of meeting 1'); // logs are the mentee's
    expect(mentorMail.at(-1)).toMatch(/^Your mentoring relationship is closed/);
    expect((await mailTo(stack, COORDINATOR_EMAIL, 1)).map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^A relationship has reached its mid-point: /)]),
    );

    const [outcome] =
      await stack.sql`select outcome, meetings_planned, meetings_held from relationship_outcomes where workflow_id = ${relationship.workflowId}`;
    expect(outcome).toEqual({ outcome: 'completed', meetings_planned: 4, meetings_held: 3 });
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    const events = (await relationship.fetchHistory()).events?.length ?? 0;
    console.log(`history events of a compressed 4-meeting relationship: ${events}`);
    await expectReplays(stack, relationship.workflowId, `full-lifecycle`);

    // Someone who can read Temporal's store but has no key finds none of what these people are or wrote.
    await expectNothingReadable(
      stack,
      [relationship.workflowId, mentor.workflowId],
      [
        'lars@example.org',
        'karin@example.org',
        'Karin Boye',
        'Mentee lars',
        'charles.babbage',
        'Analytical Engines',
        'grow into leading a team',
        'Twenty years of leading teams',
        AGREEMENT.goals,
        AGREEMENT.milestones,
        'Ask first.',
        'Confidence in leading.',
      ],
    );
  }, 120_000);

  it('a fit check asking for a rematch ends the pair without fault and returns the mentee to matching', async () => {
    const { mentor, relationship } = await signedPair(
      stack,
      'nils@example.org',
      'maja@example.org',
      'Maja Ekelöf',
    );
    await waitForMail(stack, 'maja@example.org', 'How is your mentoring pair working?');
    await answerLatest(
      stack,
      'maja@example.org',
      'How is your mentoring pair working?',
      { choice: 'rematch', comment: 'Too close to my team.' },
      6,
    );
    await waitForMail(stack, 'nils@example.org', 'Your mentoring pair ends');
    const ends = (await mailTo(stack, 'nils@example.org', 1)).find(
      (m) => m.subject === 'Your mentoring pair ends',
    );
    expect(ends!.text).toContain('after the first meeting, one of you asked for a new match');
    // The coordinator is told who waits for a new mentor, and why the pair ended.
    await waitForMail(
      stack,
      COORDINATOR_EMAIL,
      'A mentoring pair has ended: Mentee nils@example.org waits for a new mentor',
    );
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    expect((await relationship.query(relationshipStatus)).open).toEqual([]);

    const second = await pooledMentor(stack, 'olof@example.org', 'Olof Palme');
    await second.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });
    await waitForMail(stack, 'olof@example.org', 'Your mentoring agreement');
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).open.map((s) => s.stepId).sort())
      .toEqual(['pairing-2/agreement/mentee', 'pairing-2/agreement/mentor']);
    await expectReplays(stack, relationship.workflowId, `no-fault-rematch-coordinator-told`);
  }, 120_000);
});
