/**
 * A relationship's meeting schedule, activities stubbed: a pause moves every meeting still to come,
 * missed meetings climb from a reminder to both to the coordinator, and an overdue meeting log climbs
 * the form ladder until the coordinator ends the relationship through it; meetings keep their hour on
 * the programme's clock when summer time ends.
 */
import { describe, expect, it } from 'vitest';
import {
  cancelMeeting,
  decideStep,
  moveMeeting,
  pauseRelationship,
  resumeRelationship,
} from '../../workflows/messages.js';
import { wallClock } from '../../workflows/local-time.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  openStep,
  pairInMeetings,
  SHORT,
  status,
  waitForPhase,
} from './support/participants.js';

const DAY = 86_400_000;

describe.skipIf(!testServer)('relationship workflow: the meeting schedule', () => {
  const t = useWorkflowTestEnv();

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);

  it('moves the meetings still to come by the time paused, and tells both', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    const { handle } = mentee;
    const wf = handle.workflowId;
    const planned = Date.parse((await status(handle)).meetings!.nextAt!);

    await t.sleep(5 * DAY);
    const pausedAt = await t.now();
    await handle.executeUpdate(pauseRelationship, { args: [{ reason: 'Long leave', by }] });
    await expectRefusal(
      handle.executeUpdate(pauseRelationship, { args: [{ reason: 'Again', by }] }),
      Refusal.alreadyPaused,
    );
    const paused = emailsNamed(wf, 'relationship-paused');
    expect(paused.map((e) => e.to)).toEqual(
      expect.arrayContaining([
        { participantId: mentee.participantId },
        { participantId: mentor.participantId },
      ]),
    );
    expect(paused[0]!.data).toEqual({ reason: 'Long leave' });
    expect((await status(handle)).paused?.reason).toBe('Long leave');

    // Past the meeting's first date: while paused, nobody is reminded.
    await t.sleep(40 * DAY);
    expect(emailsNamed(wf, 'meeting-reminder')).toEqual([]);
    expect((await status(handle)).meetings?.number).toBe(0);

    const resumedAt = await t.now();
    await handle.executeUpdate(resumeRelationship, { args: [{ by }] });
    const s = await status(handle);
    expect(s.paused).toBeUndefined();
    const moved = Date.parse(s.meetings!.nextAt!);
    expect(Math.abs(moved - planned - (resumedAt - pausedAt))).toBeLessThan(5_000);
    const resumed = emailsNamed(wf, 'relationship-resumed');
    expect(resumed).toHaveLength(2);
    expect(resumed[0]!.meeting).toMatchObject({
      start: s.meetings!.nextAt,
      uid: `${wf}/meeting-at-${planned}`,
    });
    expect(resumed[0]!.meeting!.sequence).toBeGreaterThan(0);

    // The reminder comes three days before the moved meeting, with the moved calendar entry.
    await t.sleepUntil(moved, -4 * DAY);
    expect(emailsNamed(wf, 'meeting-reminder')).toEqual([]);
    await t.sleepUntil(moved, -2 * DAY);
    await expect.poll(() => emailsNamed(wf, 'meeting-reminder').length).toBe(2);
    expect(emailsNamed(wf, 'meeting-reminder')[0]!.meeting!.start).toBe(s.meetings!.nextAt);
    await t.sleepUntil(moved, MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-1/log');
  });

  it('reminds both after two missed meetings, and tells the coordinator after a third', async () => {
    const settings = { ...SHORT, duration: 'P21D', meetingCadence: 'P7D', meetingReminderBefore: 'P1D' };
    const { mentee } = await pairInMeetings(t, settings);
    const { handle } = mentee;
    const wf = handle.workflowId;
    expect((await status(handle)).meetings).toMatchObject({ planned: 3 });

    for (const n of [1, 2, 3]) {
      await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
      await answerWhenOpen(handle, `pairing-1/meeting-${n}/log`, 'mentee', { held: 'no' });
      if (n === 1) {
        await answerWhenOpen(handle, 'pairing-1/fit-check/mentee', 'mentee', { choice: 'continue' });
        await answerWhenOpen(handle, 'pairing-1/fit-check/mentor', 'mentor', { choice: 'continue' });
      }
      if (n === 1) expect(emailsNamed(wf, 'meetings-missed')).toEqual([]);
      if (n === 2) {
        await expect.poll(() => emailsNamed(wf, 'meetings-missed').length).toBe(2);
        expect(emailsNamed(wf, 'meetings-missed')[0]!.data).toEqual({ missed: 2 });
        expect(emailsNamed(wf, 'coordinator-meetings-missed')).toEqual([]);
      }
    }
    await expect.poll(() => emailsNamed(wf, 'coordinator-meetings-missed').length).toBe(1);
    expect(emailsNamed(wf, 'coordinator-meetings-missed')[0]!.key).toBe(
      `${wf}/pairing-1/meeting-3/missed/coordinator`,
    );
    await waitForPhase(handle, 'closure');
    expect((await status(handle)).meetings).toMatchObject({ number: 3, held: 0 });
  });

  it('ends the relationship through an overdue meeting log when the coordinator decides so', async () => {
    const { programId, mentee } = await pairInMeetings(t);
    const { handle } = mentee;
    const wf = handle.workflowId;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    const log = 'pairing-1/meeting-1/log';
    await openStep(handle, log);
    await t.sleep(21 * DAY);
    await expect.poll(async () => (await openStep(handle, log)).escalated).toBe(true);
    expect((await openStep(handle, log)).remindersSent).toBe(2);
    // The fit checks, unanswered too, have climbed the same ladder.
    expect((await openStep(handle, 'pairing-1/fit-check/mentor')).escalated).toBe(true);
    await expect
      .poll(() => emailsNamed(wf, 'coordinator-step-overdue').map((e) => e.key))
      .toEqual(expect.arrayContaining([`${wf}/${log}/escalation-0`]));

    await handle.executeUpdate(decideStep, {
      args: [{ stepId: log, decision: 'end', reason: 'The pair stopped meeting', by }],
    });
    expect(await handle.result()).toBe('ended-by-coordinator');
    const ended = emailsNamed(wf, 'relationship-ended');
    expect(ended.map((e) => e.data)).toEqual([
      { reason: 'The pair stopped meeting' },
      { reason: 'The pair stopped meeting' },
    ]);
    expect(
      t.stubs
        .of(wf)
        .filter((c) => c.name === 'recordOutcome')
        .map((c) => c.input),
    ).toEqual([
      { programId, outcome: 'ended-by-coordinator', meetingsPlanned: 3, meetingsHeld: 0, meetingsMissed: 0 },
    ]);
    const final = await status(handle);
    expect(final).toMatchObject({ phase: 'closed', open: [] });
    expect(final.meetings?.number).toBe(1);
  });

  it('goes on without a skipped log, and the meeting counts as not logged', async () => {
    const { mentee } = await pairInMeetings(t);
    const { handle } = mentee;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    const log = 'pairing-1/meeting-1/log';
    await t.sleep(21 * DAY + 60_000);
    await expect.poll(async () => (await openStep(handle, log)).escalated).toBe(true);
    await handle.executeUpdate(decideStep, {
      args: [{ stepId: log, decision: 'skip', reason: 'They met, the log is lost', by }],
    });
    await expect.poll(async () => (await status(handle)).open.map((s) => s.stepId)).not.toContain(log);
    const s = await status(handle);
    expect(s.phase).toBe('meetings');
    expect(s.meetings).toMatchObject({ number: 1, held: 0 });
  });

  it('moves the next meeting when either of the pair asks, as the same calendar event; refuses what cannot move', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    const { handle } = mentee;
    const wf = handle.workflowId;
    const first = Date.parse((await status(handle)).meetings!.nextAt!);
    const kickoffUid = emailsNamed(wf, 'pair-kickoff')[0]!.meeting!.uid;
    expect(kickoffUid).toBe(`${wf}/meeting-at-${first}`);
    const asMentor = { role: 'mentor' as const, participantId: mentor.participantId };
    const now = await t.now();

    // What cannot move: a meeting not next, a time gone or past the next meeting, someone not in the pair.
    await expectRefusal(
      handle.executeUpdate(moveMeeting, {
        args: [{ meeting: 2, start: new Date(first).toISOString(), ...asMentor }],
      }),
      Refusal.meetingNotAhead,
    );
    await expectRefusal(
      handle.executeUpdate(moveMeeting, {
        args: [{ meeting: 1, start: new Date(now - DAY).toISOString(), ...asMentor }],
      }),
      Refusal.meetingTimeInvalid,
    );
    await expectRefusal(
      handle.executeUpdate(moveMeeting, {
        args: [{ meeting: 1, start: new Date(first + 40 * DAY).toISOString(), ...asMentor }],
      }),
      Refusal.meetingTimeInvalid,
    );
    await expectRefusal(
      handle.executeUpdate(moveMeeting, {
        args: [
          {
            meeting: 1,
            start: new Date(first + DAY).toISOString(),
            role: 'mentor',
            participantId: 'someone',
          },
        ],
      }),
      Refusal.notInThePair,
    );

    // The mentor moves it two days on: both get the same event, with a higher sequence.
    const to = first + 2 * DAY;
    await handle.executeUpdate(moveMeeting, {
      args: [{ meeting: 1, start: new Date(to).toISOString(), ...asMentor }],
    });
    const moved = emailsNamed(wf, 'meeting-moved');
    expect(moved.map((e) => e.to)).toEqual(
      expect.arrayContaining([
        { participantId: mentee.participantId },
        { participantId: mentor.participantId },
      ]),
    );
    expect(moved[0]!.meeting).toMatchObject({
      uid: kickoffUid,
      start: new Date(to).toISOString(),
      sequence: 1,
    });
    expect(moved[0]!.data).toEqual({ meetingNumber: 1, movedBy: 'mentor' });
    expect(moved.map((e) => e.links?.moveUrl?.role).sort()).toEqual(['mentee', 'mentor']);
    expect((await status(handle)).meetings).toMatchObject({ nextAt: new Date(to).toISOString(), moved: 1 });

    // The reminder follows the new time, with the moved entry (same event, sequence kept).
    await t.sleepUntil(first, -2 * DAY);
    expect(emailsNamed(wf, 'meeting-reminder')).toEqual([]);
    await t.sleepUntil(to, -3 * DAY + 60_000);
    await expect.poll(() => emailsNamed(wf, 'meeting-reminder').length).toBe(2);
    expect(emailsNamed(wf, 'meeting-reminder')[0]!.meeting).toMatchObject({
      uid: kickoffUid,
      start: new Date(to).toISOString(),
      sequence: 1,
    });
    // Begun: it no longer moves, and its log is asked for.
    await t.sleepUntil(to, MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-1/log');
    await expectRefusal(
      handle.executeUpdate(moveMeeting, {
        args: [{ meeting: 1, start: new Date(to + DAY).toISOString(), ...asMentor }],
      }),
      Refusal.meetingNotAhead,
    );
  });

  it('skips a cancelled meeting: both get its cancellation and a link to move the next one', async () => {
    const { mentee } = await pairInMeetings(t);
    const { handle } = mentee;
    const wf = handle.workflowId;
    const first = Date.parse((await status(handle)).meetings!.nextAt!);
    const planned = (await status(handle)).meetings!.planned;
    await handle.executeUpdate(cancelMeeting, {
      args: [{ meeting: 1, role: 'mentee', participantId: mentee.participantId }],
    });
    await expectRefusal(
      handle.executeUpdate(cancelMeeting, {
        args: [{ meeting: 1, role: 'mentee', participantId: mentee.participantId }],
      }),
      Refusal.meetingNotAhead,
    );
    const cancelled = emailsNamed(wf, 'meeting-cancelled');
    expect(cancelled).toHaveLength(2);
    expect(cancelled[0]!.meeting).toMatchObject({
      uid: `${wf}/meeting-at-${first}`,
      cancelled: true,
      sequence: 1,
    });
    expect(cancelled[0]!.links?.moveUrl).toMatchObject({ p: 'meeting', step: 'meeting-2' });
    expect((await status(handle)).meetings).toMatchObject({ planned: planned - 1, cancelled: 1 });

    // No reminder and no log for it; the next meeting comes as planned.
    await t.sleepUntil(first, MEETING_OVER);
    expect(emailsNamed(wf, 'meeting-reminder')).toEqual([]);
    await expect.poll(async () => (await status(handle)).meetings?.next).toBe(2);
    expect((await status(handle)).open.map((o) => o.stepId)).not.toContain('pairing-1/meeting-1/log');
    const second = Date.parse((await status(handle)).meetings!.nextAt!);
    await t.sleepUntil(second, MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-2/log');
    expect(emailsNamed(wf, 'meeting-reminder').map((e) => e.data?.meetingNumber)).toEqual([2, 2]);
    // Meeting 2 is the pair's first: the fit check follows it, and the mid-point (meeting 2 of 3) too.
    await openStep(handle, 'pairing-1/fit-check/mentee');
    await openStep(handle, 'pairing-1/midpoint/mentee');
  });

  // Last in the file: it moves the test clock on to the autumn of 2027.
  it('keeps fortnightly meetings at nine on the programme’s clock before and after summer time ends', async () => {
    // Kickoff on Tuesday 12 October 2027 at 09:00 in Oslo (summer time); summer time ends on 31 October.
    await t.sleepUntil(Date.parse('2027-10-12T07:00:00Z'));
    const settings = { ...SHORT, timeZone: 'Europe/Oslo', duration: 'P2M', meetingCadence: 'P2W' };
    const { mentee } = await pairInMeetings(t, settings);
    const { handle } = mentee;
    const wf = handle.workflowId;
    expect((await status(handle)).meetings?.planned).toBe(4);
    for (const n of [1, 2]) {
      const at = Date.parse((await status(handle)).meetings!.nextAt!);
      await t.sleepUntil(at, MEETING_OVER);
      await expect
        .poll(() => emailsNamed(wf, 'meeting-reminder').filter((e) => e.key.includes(`/meeting-${n}/`)))
        .toHaveLength(2);
      const start = emailsNamed(wf, 'meeting-reminder').find((e) => e.key.includes(`/meeting-${n}/`))!
        .meeting!.start;
      expect(wallClock(Date.parse(start), 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
      // Tuesday the 26th of October in summer time (07:00 UTC), then 9 November in winter time (08:00 UTC).
      expect(start.slice(0, 13)).toBe(n === 1 ? '2027-10-26T07' : '2027-11-09T08');
    }
  });
});
