/**
 * A relationship at its edges, activities stubbed: a kickoff agreement left unsigned (reminders, the
 * coordinator asked, and each thing the coordinator can do about it), and a relationship the coordinator
 * ends during its closure, while the final evaluations are awaited.
 */
import { describe, expect, it } from 'vitest';
import {
  assignMentee,
  decideStep,
  endRelationship,
  endWithoutFault,
  organisationChanged,
  rematchPair,
  type StepDecision,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  menteeInMatching,
  mentorInPool,
  mentorStatusOf,
  newProgramme,
  openStep,
  pairInMeetings,
  SHORT,
  status,
  type MentorHandle,
  type RelationshipHandle,
  waitForPhase,
} from './support/participants.js';

const DAY = 86_400_000;
/** One meeting: the closure follows the first. */
const ONE_MEETING = { ...SHORT, duration: 'P1M' };

describe.skipIf(!testServer)('relationship workflow: an unsigned agreement, an ending during closure', () => {
  const t = useWorkflowTestEnv();

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);
  const relationshipsOf = async (mentor: { handle: MentorHandle }) =>
    (await mentorStatusOf(mentor.handle)).relationships;
  const outcomes = (wf: string) =>
    t.stubs
      .of(wf)
      .filter((c) => c.name === 'recordOutcome')
      .map((c) => c.input);
  const decide = (handle: RelationshipHandle, decision: Omit<StepDecision, 'by'>, who = by) =>
    handle.executeUpdate(decideStep, { args: [{ ...decision, by: who }] });

  /** A mentor assigned, the agreement asked of both; the mentee signs at once when `menteeSigns`. */
  async function atKickoff(menteeSigns: boolean) {
    const programId = newProgramme();
    const mentee = await menteeInMatching(t, programId);
    const mentor = await mentorInPool(t, programId);
    await mentor.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    await waitForPhase(mentee.handle, 'kickoff');
    if (menteeSigns)
      await answerWhenOpen(mentee.handle, 'pairing-1/agreement/mentee', 'mentee', { agree: 'yes' });
    const mentorStep = 'pairing-1/agreement/mentor';
    await openStep(mentee.handle, mentorStep);
    return { programId, mentee, mentor, wf: mentee.handle.workflowId, mentorStep };
  }

  /** Two reminders a week apart, then the coordinator is asked: three weeks after the invitation. */
  async function untilEscalated(handle: RelationshipHandle, stepId: string) {
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(async () => (await openStep(handle, stepId)).remindersSent).toBe(1);
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await openStep(handle, stepId)).remindersSent).toBe(2);
    expect((await openStep(handle, stepId)).escalated).toBe(false);
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await openStep(handle, stepId)).escalated).toBe(true);
  }

  it('reminds an unsigned agreement, asks the coordinator, and gives a new round when extended', async () => {
    const { mentee, mentor, wf, mentorStep } = await atKickoff(true);
    const { handle } = mentee;
    await untilEscalated(handle, mentorStep);
    const reminders = emailsNamed(wf, 'form-reminder').filter((e) => e.key.includes(`/${mentorStep}/`));
    expect(reminders.map((e) => [e.key, e.to])).toEqual([
      [`${wf}/${mentorStep}/reminder-0-1`, { participantId: mentor.participantId }],
      [`${wf}/${mentorStep}/reminder-0-2`, { participantId: mentor.participantId }],
    ]);
    await expect
      .poll(() => emailsNamed(wf, 'coordinator-step-overdue').map((e) => e.key))
      .toEqual([`${wf}/${mentorStep}/escalation-0`]);
    // The pair has not begun: no kickoff, no meetings, and the coordinator is the one waited for.
    const s = await status(handle);
    expect(s).toMatchObject({ phase: 'kickoff', waitingFor: 'coordinator' });
    expect(s.meetings).toBeUndefined();
    expect(emailsNamed(wf, 'pair-kickoff')).toEqual([]);

    // What the coordinator cannot decide: a signed step, without a reason, without who decides.
    await expectRefusal(
      decide(handle, { stepId: 'pairing-1/agreement/mentee', decision: 'extend', reason: 'More time' }),
      Refusal.stepNotOpen,
    );
    await expectRefusal(
      decide(handle, { stepId: mentorStep, decision: 'extend', reason: ' ' }),
      Refusal.reasonNeeded,
    );
    await expectRefusal(
      decide(handle, { stepId: mentorStep, decision: 'extend', reason: 'More time' }, { userId: '' }),
      Refusal.noActor,
    );
    const extendedAt = await t.now();
    await decide(handle, { stepId: mentorStep, decision: 'extend', reason: 'Mentor on holiday' });
    await expect.poll(async () => (await openStep(handle, mentorStep)).escalated).toBe(false);
    const extended = await openStep(handle, mentorStep);
    expect(Math.abs(Date.parse(extended.dueAt!) - extendedAt - 7 * DAY)).toBeLessThan(5_000);
    expect((await status(handle)).waitingFor).toBe('participant');

    // A new round: reminded again a week later, with a key of its own.
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(async () => (await openStep(handle, mentorStep)).remindersSent).toBe(3);
    // The workflow counts a reminder before its email activity runs: the email is waited for.
    await expect
      .poll(() => emailsNamed(wf, 'form-reminder').at(-1)?.key)
      .toBe(`${wf}/${mentorStep}/reminder-1-1`);
    expect(emailsNamed(wf, 'coordinator-step-overdue')).toHaveLength(1);

    // Signed at last: the meetings begin, and both hear of the kickoff.
    await answerWhenOpen(handle, mentorStep, 'mentor', { agree: 'yes' });
    await waitForPhase(handle, 'meetings');
    await expect
      .poll(() => emailsNamed(wf, 'pair-kickoff').map((e) => e.to))
      .toEqual(
        expect.arrayContaining([
          { participantId: mentee.participantId },
          { participantId: mentor.participantId },
        ]),
      );
  });

  it('goes on to the meetings without a signature the coordinator skips', async () => {
    const { mentee, wf, mentorStep } = await atKickoff(true);
    const { handle } = mentee;
    await untilEscalated(handle, mentorStep);
    await decide(handle, { stepId: mentorStep, decision: 'skip', reason: 'Signed on paper' });
    await waitForPhase(handle, 'meetings');
    const s = await status(handle);
    expect(s.open).toEqual([]);
    expect(s.meetings).toMatchObject({ number: 0, planned: 3, held: 0 });
    expect(emailsNamed(wf, 'pair-kickoff')).toHaveLength(2);
  });

  it('ends the relationship through an overdue agreement, telling both and freeing the mentor', async () => {
    const { programId, mentee, mentor, wf, mentorStep } = await atKickoff(false);
    const { handle } = mentee;
    await untilEscalated(handle, mentorStep);
    // Neither signed: both steps climbed the ladder, and the coordinator decides through either.
    expect((await openStep(handle, 'pairing-1/agreement/mentee')).escalated).toBe(true);
    await decide(handle, { stepId: mentorStep, decision: 'end', reason: 'The pair never started' });
    expect(await handle.result()).toBe('ended-by-coordinator');
    const ended = emailsNamed(wf, 'relationship-ended');
    expect(ended.map((e) => [e.to, e.data])).toEqual(
      expect.arrayContaining([
        [{ participantId: mentee.participantId }, { reason: 'The pair never started' }],
        [{ participantId: mentor.participantId }, { reason: 'The pair never started' }],
      ]),
    );
    expect(ended).toHaveLength(2);
    expect(outcomes(wf)).toEqual([
      { programId, outcome: 'ended-by-coordinator', meetingsPlanned: 0, meetingsHeld: 0 },
    ]);
    expect(await status(handle)).toMatchObject({
      phase: 'closed',
      outcome: 'ended-by-coordinator',
      open: [],
    });
    expect(emailsNamed(wf, 'pair-kickoff')).toEqual([]);
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  });

  it('returns the mentee to matching when the coordinator rematches an overdue agreement', async () => {
    const { mentee, mentor, wf, mentorStep } = await atKickoff(true);
    const { handle } = mentee;
    await untilEscalated(handle, mentorStep);
    await handle.executeUpdate(rematchPair, { args: [{ reason: 'The mentor does not answer', by }] });
    await waitForPhase(handle, 'matching');
    const s = await status(handle);
    expect(s.mentor).toBeUndefined();
    expect(s.open).toEqual([]);
    expect(emailsNamed(wf, 'coordinator-pair-ended').map((e) => e.data)).toEqual([{ why: 'coordinator' }]);
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
    // The escalated step closed with the pair: the coordinator can no longer decide on it.
    await expectRefusal(
      decide(handle, { stepId: mentorStep, decision: 'extend', reason: 'Late' }),
      Refusal.stepNotOpen,
    );
    expect(outcomes(wf)).toEqual([]);
  });

  it('ends the relationship during closure, while the final evaluations are awaited', async () => {
    const { programId, mentee, mentor } = await pairInMeetings(t, ONE_MEETING);
    const { handle } = mentee;
    const wf = handle.workflowId;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await waitForPhase(handle, 'closure');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentee', 'mentee');
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'yes' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);
    await openStep(handle, 'pairing-1/final-evaluation/mentor');

    // The pair is no longer under way: nothing ends only the pair during closure.
    await expectRefusal(
      handle.executeUpdate(rematchPair, { args: [{ reason: 'Not working', by }] }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(endWithoutFault, {
        args: [{ role: 'mentee', participantId: mentee.participantId }],
      }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(organisationChanged, { args: [{ change: 'same-unit', by }] }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(endRelationship, { args: [{ reason: ' ', by }] }),
      Refusal.reasonNeeded,
    );

    // The emails are held back, so the ending is still under way when a second one comes.
    const held = t.stubs.gate();
    t.stubs.override({
      sendEmail: async (input) => {
        if (input.template === 'relationship-ended') await held.opened;
        return 'sent';
      },
    });
    await handle.executeUpdate(endRelationship, { args: [{ reason: 'Mentor left the company', by }] });
    await expectRefusal(
      handle.executeUpdate(endRelationship, { args: [{ reason: 'Twice', by }] }),
      Refusal.relationshipClosed,
    );
    held.open();
    expect(await handle.result()).toBe('ended-by-coordinator');

    // Told as an ending, not as a completion: no summary, one outcome, the meeting held counted.
    expect(emailsNamed(wf, 'relationship-ended').map((e) => [e.to, e.data])).toEqual(
      expect.arrayContaining([
        [{ participantId: mentee.participantId }, { reason: 'Mentor left the company' }],
        [{ participantId: mentor.participantId }, { reason: 'Mentor left the company' }],
      ]),
    );
    expect(emailsNamed(wf, 'relationship-ended')).toHaveLength(2);
    expect(emailsNamed(wf, 'closing-summary')).toEqual([]);
    expect(outcomes(wf)).toEqual([
      { programId, outcome: 'ended-by-coordinator', meetingsPlanned: 1, meetingsHeld: 1, meetingsMissed: 0 },
    ]);
    expect(await status(handle)).toMatchObject({
      phase: 'closed',
      outcome: 'ended-by-coordinator',
      open: [],
    });
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  });

  it('refuses an ending once the closure has both evaluations: one outcome, one farewell', async () => {
    const { programId, mentee } = await pairInMeetings(t, ONE_MEETING);
    const { handle } = mentee;
    const wf = handle.workflowId;
    // The completion is held while it records its outcome: an ending then would be a second outcome.
    const held = t.stubs.gate();
    t.stubs.override({
      recordOutcome: async () => {
        await held.opened;
      },
    });
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await waitForPhase(handle, 'closure');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentee', 'mentee');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentor', 'mentor');
    await expect.poll(() => outcomes(wf).length).toBe(1);
    await expectRefusal(
      handle.executeUpdate(endRelationship, { args: [{ reason: 'Too late', by }] }),
      Refusal.relationshipClosed,
    );
    held.open();
    expect(await handle.result()).toBe('completed');
    expect(outcomes(wf)).toEqual([
      { programId, outcome: 'completed', meetingsPlanned: 1, meetingsHeld: 0, meetingsMissed: 1 },
    ]);
    expect(emailsNamed(wf, 'relationship-ended')).toEqual([]);
    expect(emailsNamed(wf, 'closing-summary')).toHaveLength(2);
  });

  it('ends the relationship through an overdue final evaluation', async () => {
    const { programId, mentee, mentor } = await pairInMeetings(t, ONE_MEETING);
    const { handle } = mentee;
    const wf = handle.workflowId;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await waitForPhase(handle, 'closure');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentee', 'mentee');
    const step = 'pairing-1/final-evaluation/mentor';
    await untilEscalated(handle, step);
    await expect
      .poll(() => emailsNamed(wf, 'coordinator-step-overdue').map((e) => e.key))
      .toContain(`${wf}/${step}/escalation-0`);
    await decide(handle, { stepId: step, decision: 'end', reason: 'The mentor left' });
    expect(await handle.result()).toBe('ended-by-coordinator');
    expect(emailsNamed(wf, 'relationship-ended').map((e) => e.data)).toEqual([
      { reason: 'The mentor left' },
      { reason: 'The mentor left' },
    ]);
    expect(emailsNamed(wf, 'closing-summary')).toEqual([]);
    expect(outcomes(wf)).toEqual([
      { programId, outcome: 'ended-by-coordinator', meetingsPlanned: 1, meetingsHeld: 0, meetingsMissed: 0 },
    ]);
    expect(await status(handle)).toMatchObject({
      phase: 'closed',
      outcome: 'ended-by-coordinator',
      open: [],
    });
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  });
});
