/**
 * How a pair ends, activities stubbed: without fault (the mentee, the mentor, the coordinator, the fit
 * check, an organisational change), after which the mentee waits in matching for a new mentor; and how
 * the whole relationship ends early (the coordinator). Mentor offers that arrive early or twice.
 */
import { describe, expect, it } from 'vitest';
import {
  assignMentee,
  endRelationship,
  endWithoutFault,
  organisationChanged,
  recordInterview,
  rematchPair,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  mentorInPool,
  mentorStatusOf,
  newProgramme,
  openStep,
  pairInMeetings,
  pairUp,
  SHORT,
  startMentee,
  status,
  type MentorHandle,
  type RelationshipHandle,
  waitForPhase,
} from './support/participants.js';

const NO_ENDORSEMENT = { ...SHORT, managerEndorsement: false };

describe.skipIf(!testServer)('relationship workflow: pairs that end, relationships that end early', () => {
  const t = useWorkflowTestEnv();

  const relationshipsOf = async (mentor: { handle: MentorHandle }) =>
    (await mentorStatusOf(mentor.handle)).relationships;

  /** The pair has ended without fault: the mentee is back in matching, the mentor's place is free. */
  async function expectBackInMatching(
    mentee: { handle: RelationshipHandle },
    mentor: { handle: MentorHandle },
  ) {
    await waitForPhase(mentee.handle, 'matching');
    const s = await status(mentee.handle);
    expect(s.mentor).toBeUndefined();
    expect(s.meetings).toBeUndefined();
    expect(s.open).toEqual([]);
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  }

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);

  it('returns the mentee to matching when the mentee ends the pair, and pairs again', async () => {
    const { programId, mentee, mentor } = await pairInMeetings(t);
    const wf = mentee.handle.workflowId;
    const matchedFirst = (await status(mentee.handle)).matchingSince!;
    // Only the pair under way may end it: not someone else claiming to be the mentee.
    await expectRefusal(
      mentee.handle.executeUpdate(endWithoutFault, {
        args: [{ role: 'mentee', participantId: mentor.participantId }],
      }),
      Refusal.notInThePair,
    );
    await mentee.handle.executeUpdate(endWithoutFault, {
      args: [{ role: 'mentee', participantId: mentee.participantId }],
    });
    await expectBackInMatching(mentee, mentor);
    expect((await status(mentee.handle)).matchingSince! > matchedFirst).toBe(true);
    const told = emailsNamed(wf, 'pair-ended-no-fault');
    expect(told.map((e) => e.to)).toEqual(
      expect.arrayContaining([
        { participantId: mentee.participantId },
        { participantId: mentor.participantId },
      ]),
    );
    expect(told.map((e) => e.data)).toEqual([{ why: 'mentee' }, { why: 'mentee' }]);
    expect(emailsNamed(wf, 'coordinator-pair-ended')).toMatchObject([
      { key: `${wf}/pairing-1/pair-ended/coordinator`, data: { why: 'mentee' } },
    ]);
    // No outcome: the relationship goes on.
    expect(t.stubs.of(wf).filter((c) => c.name === 'recordOutcome')).toEqual([]);

    // A second pairing, with its own steps; the first mentor can no longer end it.
    const second = await mentorInPool(t, programId);
    await pairUp(mentee, second, 2);
    expect((await status(mentee.handle)).mentor?.mentorParticipantId).toBe(second.participantId);
    await expectRefusal(
      mentee.handle.executeUpdate(endWithoutFault, {
        args: [{ role: 'mentor', participantId: mentor.participantId }],
      }),
      Refusal.notInThePair,
    );
    await mentee.handle.executeUpdate(endWithoutFault, {
      args: [{ role: 'mentor', participantId: second.participantId }],
    });
    await expectBackInMatching(mentee, second);
    expect(
      emailsNamed(wf, 'pair-ended-no-fault')
        .slice(2)
        .map((e) => e.data),
    ).toEqual([{ why: 'mentor' }, { why: 'mentor' }]);
  });

  it('ends the pair when the coordinator asks for a rematch, with a reason and who asked', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    await expectRefusal(
      mentee.handle.executeUpdate(rematchPair, { args: [{ reason: 'Not working', by: { userId: '' } }] }),
      Refusal.noActor,
    );
    await expectRefusal(
      mentee.handle.executeUpdate(rematchPair, { args: [{ reason: ' ', by }] }),
      Refusal.reasonNeeded,
    );
    await mentee.handle.executeUpdate(rematchPair, { args: [{ reason: 'Not working', by }] });
    // A second ending of the same pair finds none under way.
    await expectRefusal(
      mentee.handle.executeUpdate(rematchPair, { args: [{ reason: 'Again', by }] }),
      Refusal.noPairToEnd,
    );
    await expectBackInMatching(mentee, mentor);
    expect(emailsNamed(mentee.handle.workflowId, 'coordinator-pair-ended')[0]!.data).toEqual({
      why: 'coordinator',
    });
  });

  it('ends the pair when the fit check asks for a rematch after the first meeting', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    const { handle } = mentee;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentee', 'mentee', { choice: 'continue' });
    await openStep(handle, 'pairing-1/meeting-1/log');
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentor', 'mentor', { choice: 'rematch' });
    // The open log closes with the pair.
    await expectBackInMatching(mentee, mentor);
    const told = emailsNamed(handle.workflowId, 'pair-ended-no-fault');
    expect(told.map((e) => e.data)).toEqual([{ why: 'fit-check' }, { why: 'fit-check' }]);
  });

  it('ends only the pair when an organisational change puts them in one unit', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    const wf = mentee.handle.workflowId;
    await mentee.handle.executeUpdate(organisationChanged, { args: [{ change: 'same-unit', by }] });
    await expectBackInMatching(mentee, mentor);
    const told = emailsNamed(wf, 'relationship-ended-org-change');
    expect(told.map((e) => e.data)).toEqual([{ reason: 'same-unit' }, { reason: 'same-unit' }]);
    expect(emailsNamed(wf, 'coordinator-pair-ended')[0]!.data).toEqual({ why: 'same-unit' });
    expect(emailsNamed(wf, 'pair-ended-no-fault')).toEqual([]);
  });

  it('ends a pair at kickoff, before the agreement is signed, when the organisation changes', async () => {
    const programId = newProgramme();
    const mentee = await startMentee(t, programId, NO_ENDORSEMENT);
    await waitForPhase(mentee.handle, 'interview');
    await mentee.handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await waitForPhase(mentee.handle, 'matching');
    const mentor = await mentorInPool(t, programId);
    await mentor.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    await answerWhenOpen(mentee.handle, 'pairing-1/agreement/mentee', 'mentee', { agree: 'yes' });
    expect((await status(mentee.handle)).phase).toBe('kickoff');
    await mentee.handle.executeUpdate(organisationChanged, { args: [{ change: 'reporting-line', by }] });
    await expectBackInMatching(mentee, mentor);
    expect(emailsNamed(mentee.handle.workflowId, 'coordinator-pair-ended')[0]!.data).toEqual({
      why: 'reporting-line',
    });
  });

  it('ends the whole relationship when the coordinator ends it, telling both and freeing the mentor', async () => {
    const { programId, mentee, mentor } = await pairInMeetings(t);
    const wf = mentee.handle.workflowId;
    // The emails are held back, so the ending is still under way when a second one comes.
    const held = t.stubs.gate();
    t.stubs.override({
      sendEmail: async (input) => {
        if (input.template === 'relationship-ended') await held.opened;
        return 'sent';
      },
    });
    await mentee.handle.executeUpdate(endRelationship, { args: [{ reason: 'Left the company', by }] });
    await expectRefusal(
      mentee.handle.executeUpdate(endRelationship, { args: [{ reason: 'Twice', by }] }),
      Refusal.relationshipClosed,
    );
    held.open();
    expect(await mentee.handle.result()).toBe('ended-by-coordinator');
    const ended = emailsNamed(wf, 'relationship-ended');
    expect(ended.map((e) => e.data)).toEqual([
      { reason: 'Left the company' },
      { reason: 'Left the company' },
    ]);
    expect(ended.map((e) => e.to)).toEqual(
      expect.arrayContaining([
        { participantId: mentee.participantId },
        { participantId: mentor.participantId },
      ]),
    );
    expect(
      t.stubs
        .of(wf)
        .filter((c) => c.name === 'recordOutcome')
        .map((c) => c.input),
    ).toEqual([
      { programId, outcome: 'ended-by-coordinator', meetingsPlanned: 3, meetingsHeld: 0, meetingsMissed: 0 },
    ]);
    expect(await status(mentee.handle)).toMatchObject({ phase: 'closed', outcome: 'ended-by-coordinator' });
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  });

  it('ends a relationship still waiting in matching, telling only the mentee', async () => {
    const programId = newProgramme();
    const mentee = await startMentee(t, programId, NO_ENDORSEMENT);
    await waitForPhase(mentee.handle, 'interview');
    await mentee.handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await waitForPhase(mentee.handle, 'matching');
    await mentee.handle.executeUpdate(endRelationship, { args: [{ reason: 'Moved abroad', by }] });
    expect(await mentee.handle.result()).toBe('ended-by-coordinator');
    expect(emailsNamed(mentee.handle.workflowId, 'relationship-ended').map((e) => [e.to, e.data])).toEqual([
      [{ participantId: mentee.participantId }, { reason: 'Moved abroad' }],
    ]);
  });

  it('keeps an early mentor offer until matching, and gives a second one back', async () => {
    const programId = newProgramme();
    const mentee = await startMentee(t, programId, NO_ENDORSEMENT);
    await waitForPhase(mentee.handle, 'interview');
    const first = await mentorInPool(t, programId);
    const second = await mentorInPool(t, programId);
    // Assigned while the mentee is still at the interview: the offer waits for matching.
    await first.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    expect((await status(mentee.handle)).mentor).toBeUndefined();
    await mentee.handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await waitForPhase(mentee.handle, 'kickoff');
    expect((await status(mentee.handle)).mentor?.mentorWorkflowId).toBe(first.handle.workflowId);
    // One mentor too many: the second gets the place back at once.
    await second.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    await expect.poll(() => relationshipsOf(second)).toEqual([]);
    expect(await relationshipsOf(first)).toEqual([mentee.handle.workflowId]);
    expect((await status(mentee.handle)).mentor?.mentorWorkflowId).toBe(first.handle.workflowId);
  });

  it('gives a waiting mentor offer back when the relationship ends before taking it', async () => {
    const programId = newProgramme();
    const mentee = await startMentee(t, programId, NO_ENDORSEMENT);
    await waitForPhase(mentee.handle, 'interview');
    const mentor = await mentorInPool(t, programId);
    await mentor.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    expect(await relationshipsOf(mentor)).toEqual([mentee.handle.workflowId]);
    await mentee.handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'Not this year', by }],
    });
    expect(await mentee.handle.result()).toBe('declined');
    await expect.poll(() => relationshipsOf(mentor)).toEqual([]);
  });

  // Last in the file: terminating a workflow is kept away from the other tests' time skipping.
  it('goes on when the mentor’s workflow is gone as the pair ends (the mentor erased, say)', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    await mentor.handle.terminate('a test: the mentor’s workflow is gone');
    await mentee.handle.executeUpdate(endWithoutFault, {
      args: [{ role: 'mentee', participantId: mentee.participantId }],
    });
    await waitForPhase(mentee.handle, 'matching');
    expect((await mentee.handle.describe()).status.name).toBe('RUNNING');
    expect((await status(mentee.handle)).mentor).toBeUndefined();
  });
});
