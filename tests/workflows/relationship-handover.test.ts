/**
 * A relationship handing over to a new run (continue-as-new) other than at the mid-point, activities
 * stubbed: a run whose history has grown long hands over at the next meeting, and a pause that is still
 * on when the run hands over is carried into the new run, where the resume moves the schedule and both
 * are told.
 */
import { describe, expect, it } from 'vitest';
import { assignMentee, pauseRelationship, resendLink, resumeRelationship } from '../../workflows/messages.js';
import { by, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  menteeInMatching,
  mentorInPool,
  newProgramme,
  openStep,
  pairInMeetings,
  status,
  type RelationshipHandle,
  waitForPhase,
} from './support/participants.js';

const DAY = 86_400_000;
/** workflows/relationship/carried.ts: a run hands over at the next meeting once its history is longer. */
const HISTORY_BUDGET = 2_000;

describe.skipIf(!testServer)('relationship workflow: hand-overs other than the mid-point', () => {
  const t = useWorkflowTestEnv();

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);
  const runOf = async (handle: RelationshipHandle) => (await handle.describe()).runId;
  const openIds = async (handle: RelationshipHandle) =>
    (await status(handle)).open.map((s) => s.stepId).sort();

  it('hands over at the first meeting once its history has grown long, keeping its state', async () => {
    const programId = newProgramme();
    const mentee = await menteeInMatching(t, programId);
    const mentor = await mentorInPool(t, programId);
    const { handle } = mentee;
    const wf = handle.workflowId;
    await mentor.handle.executeUpdate(assignMentee, { args: [{ relationshipId: wf, by }] });
    await answerWhenOpen(handle, 'pairing-1/agreement/mentee', 'mentee', { agree: 'yes' });
    // The mentor's link is lost again and again: every resend is an Update with an email, in history.
    const agreement = 'pairing-1/agreement/mentor';
    await openStep(handle, agreement);
    let resends = 0;
    while ((await handle.describe()).historyLength <= HISTORY_BUDGET) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          handle.executeUpdate(resendLink, { args: [{ stepId: agreement, by }] }),
        ),
      );
      resends += 20;
    }
    expect(emailsNamed(wf, 'agreement-request').filter((e) => e.key.includes('/resend-'))).toHaveLength(
      resends,
    );
    await answerWhenOpen(handle, agreement, 'mentor', { agree: 'yes' });
    await waitForPhase(handle, 'meetings');
    const firstRun = await runOf(handle);
    const planned = await status(handle);
    const first = Date.parse(planned.meetings!.nextAt!);

    // A long history alone does not hand over: only at a meeting boundary, and the first is not one.
    await t.sleepUntil(first, -2 * DAY);
    await expect.poll(() => emailsNamed(wf, 'meeting-reminder').length).toBe(2);
    expect(await runOf(handle)).toBe(firstRun);

    // Meeting 1 is logged and checked; then, at the boundary before meeting 2 (not the mid-point, which
    // is meeting 2 of 3), the run hands over.
    await t.sleepUntil(first, MEETING_OVER);
    await expect.poll(() => runOf(handle)).not.toBe(firstRun);
    const carried = await status(handle);
    expect(carried).toMatchObject({
      phase: 'meetings',
      mentor: planned.mentor,
      application: planned.application,
      meetings: { number: 1, planned: 3, held: 0 },
    });
    const second = Date.parse(carried.meetings!.nextAt!);
    expect(second).toBeGreaterThan(first);
    expect(await openIds(handle)).toEqual([
      'pairing-1/fit-check/mentee',
      'pairing-1/fit-check/mentor',
      'pairing-1/meeting-1/log',
    ]);
    expect(emailsNamed(wf, 'coordinator-midpoint')).toEqual([]);
    // The new run starts short, and invites nobody a second time.
    expect((await handle.describe()).historyLength).toBeLessThan(200);
    expect(
      t.stubs.emails(wf).filter((e) => e.key === `${wf}/pairing-1/meeting-1/log/invitation`),
    ).toHaveLength(1);

    // The steps asked by the first run are answered in the second, and followed up there.
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'yes' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentee', 'mentee', { choice: 'continue' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentor', 'mentor', { choice: 'continue' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);
    expect(await openIds(handle)).toEqual([]);

    // The schedule goes on from the same kickoff: meeting 2 comes when the first run planned it.
    await t.sleepUntil(second, MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-2/log');
    expect(emailsNamed(wf, 'meeting-reminder').map((e) => e.key)).toEqual(
      expect.arrayContaining([
        `${wf}/pairing-1/meeting-2/reminder/mentee`,
        `${wf}/pairing-1/meeting-2/reminder/mentor`,
      ]),
    );
    expect((await status(handle)).meetings).toMatchObject({ number: 2, held: 1 });
  });

  it('carries a pause across the hand-over, and moves the rest of the schedule when it is resumed', async () => {
    const { mentee, mentor } = await pairInMeetings(t);
    const { handle } = mentee;
    const wf = handle.workflowId;
    const pause = (reason: string) => handle.executeUpdate(pauseRelationship, { args: [{ reason, by }] });
    const resume = () => handle.executeUpdate(resumeRelationship, { args: [{ by }] });
    const both = [{ participantId: mentee.participantId }, { participantId: mentor.participantId }];
    const planned1 = Date.parse((await status(handle)).meetings!.nextAt!);

    // A first pause of five days, before meeting 1: everything after it moves by five days.
    await pause('Short leave');
    await t.sleep(5 * DAY);
    await resume();
    const moved1 = Date.parse((await status(handle)).meetings!.nextAt!);
    const earlier = moved1 - planned1;
    expect(Math.abs(earlier - 5 * DAY)).toBeLessThan(5_000);
    await t.sleepUntil(moved1, MEETING_OVER);
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'yes' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentee', 'mentee', { choice: 'continue' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentor', 'mentor', { choice: 'continue' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);

    // Meeting 2 is the mid-point, where the run hands over. The coordinator's mid-point notice is held
    // on its way, so the second pause comes after meeting 2 and before the hand-over.
    const moved2 = Date.parse((await status(handle)).meetings!.nextAt!);
    await t.sleepUntil(moved2, -DAY);
    const firstRun = await runOf(handle);
    const held = t.stubs.gate();
    t.stubs.override({
      sendEmail: async (input) => {
        if (input.template === 'coordinator-midpoint') await held.opened;
        return 'sent';
      },
    });
    // The clock stands still while the notice is held: this sleep ends once it is let go.
    const sleeping = t.sleepUntil(moved2, MEETING_OVER);
    await expect.poll(() => emailsNamed(wf, 'coordinator-midpoint').length).toBe(1);
    const pausedAt = await t.now();
    await pause('Parental leave');
    expect(await runOf(handle)).toBe(firstRun);
    held.open();
    await sleeping;
    await expect.poll(() => runOf(handle)).not.toBe(firstRun);

    // The new run is still paused, since the same moment, and knows meeting 3 by its planned date.
    const carried = await status(handle);
    expect(carried.paused?.reason).toBe('Parental leave');
    const since = Date.parse(carried.paused!.since);
    expect(Math.abs(since - pausedAt)).toBeLessThan(5_000);
    expect(carried.meetings).toMatchObject({ number: 2, held: 1 });
    const planned3 = Date.parse(carried.meetings!.nextAt!);
    expect(planned3).toBeGreaterThan(moved2);
    expect(emailsNamed(wf, 'relationship-paused').map((e) => [e.to, e.data])).toEqual(
      expect.arrayContaining(both.map((to) => [to, { reason: 'Parental leave' }])),
    );
    expect(emailsNamed(wf, 'relationship-paused')).toHaveLength(4);
    // The steps asked before the hand-over are answered in the new run.
    await answerWhenOpen(handle, 'pairing-1/meeting-2/log', 'mentee', { held: 'yes' });
    await answerWhenOpen(handle, 'pairing-1/midpoint/mentee', 'mentee');
    await answerWhenOpen(handle, 'pairing-1/midpoint/mentor', 'mentor');
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(2);

    // Past meeting 3's date while paused: nobody is reminded, no log is asked.
    await t.sleepUntil(planned3, 10 * DAY);
    expect(emailsNamed(wf, 'meeting-reminder').filter((e) => e.key.includes('/meeting-3/'))).toEqual([]);
    expect((await status(handle)).meetings?.number).toBe(2);
    expect(await openIds(handle)).toEqual([]);

    // Resumed in the new run: meeting 3 moves by the whole time paused, and both are told of its new date.
    const resumedAt = await t.now();
    await resume();
    const s = await status(handle);
    expect(s.paused).toBeUndefined();
    const moved3 = Date.parse(s.meetings!.nextAt!);
    expect(Math.abs(moved3 - planned3 - (resumedAt - since))).toBeLessThan(5_000);
    const resumed = emailsNamed(wf, 'relationship-resumed').filter((e) =>
      e.key.includes(`/resumed-${since}/`),
    );
    expect(resumed.map((e) => e.to)).toEqual(expect.arrayContaining(both));
    expect(resumed).toHaveLength(2);
    // The calendar entry of meeting 3 (its id is the date first planned, before any pause) moves in place.
    const planned3First = planned3 - earlier;
    expect(resumed[0]!.meeting).toMatchObject({
      start: s.meetings!.nextAt,
      uid: `${wf}/meeting-at-${planned3First}`,
    });
    expect(resumed[0]!.meeting!.sequence).toBeGreaterThan(0);

    // The reminder comes three days before the moved meeting, then the log is asked.
    await t.sleepUntil(moved3, -4 * DAY);
    expect(emailsNamed(wf, 'meeting-reminder').filter((e) => e.key.includes('/meeting-3/'))).toEqual([]);
    await t.sleepUntil(moved3, -2 * DAY);
    await expect
      .poll(() => emailsNamed(wf, 'meeting-reminder').filter((e) => e.key.includes('/meeting-3/')).length)
      .toBe(2);
    expect(
      emailsNamed(wf, 'meeting-reminder').find((e) => e.key.includes('/meeting-3/'))!.meeting,
    ).toMatchObject({ start: s.meetings!.nextAt, uid: `${wf}/meeting-at-${planned3First}` });
    await t.sleepUntil(moved3, MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-3/log');
  });
});
