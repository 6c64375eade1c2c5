/**
 * Meeting logs and missed meetings, activities stubbed: the programme names who logs (the mentee, the
 * mentor or both; with both, a meeting is held when either says so); a meeting nobody logged counts as
 * missed once the next meeting has ended, climbs the ladder as a log that says "not held" does, and a
 * late log that says held takes it back.
 */
import { describe, expect, it } from 'vitest';
import { useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  openStep,
  pairInMeetings,
  SHORT,
  status,
} from './support/participants.js';

describe.skipIf(!testServer)('relationship workflow: missed meetings', () => {
  const t = useWorkflowTestEnv({ freshPerTest: true });

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);

  it('counts a meeting nobody logged as missed once the next one has ended, and a late log takes it back', async () => {
    // Eight weekly meetings: the run hands over after the fourth, past what this test looks at (the
    // closing's count of unlogged meetings is in relationship-edges.test.ts).
    const settings = { ...SHORT, duration: 'P56D', meetingCadence: 'P7D', meetingReminderBefore: 'P1D' };
    const { mentee } = await pairInMeetings(t, settings);
    const { handle } = mentee;
    const wf = handle.workflowId;
    const missedNow = async () => (await status(handle)).meetings?.missed;
    /** Meeting n's time, once the schedule has come to it (a moment after the log before it is asked). */
    const meeting = async (n: number) => {
      await expect.poll(async () => (await status(handle)).meetings?.next).toBe(n);
      return (await status(handle)).meetings!.nextAt!;
    };
    expect(await missedNow()).toBe(0);

    // Nobody logs meeting 1: still only late when its log is asked, missed once meeting 2 has ended.
    await t.sleepUntil(await meeting(1), MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-1/log');
    expect(await missedNow()).toBe(0);
    await t.sleepUntil(await meeting(2), MEETING_OVER);
    await openStep(handle, 'pairing-1/meeting-2/log');
    await expect.poll(missedNow).toBe(1);
    expect(emailsNamed(wf, 'meetings-missed')).toEqual([]);
    // Meeting 2 is not logged either: two in a row, both are reminded to meet.
    await t.sleepUntil(await meeting(3), MEETING_OVER);
    await expect.poll(missedNow).toBe(2);
    await expect.poll(() => emailsNamed(wf, 'meetings-missed').length).toBe(2);
    expect(emailsNamed(wf, 'meetings-missed')[0]!.data).toEqual({ missed: 2 });

    // A late log for meeting 1 says it took place: one missed, one held.
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'yes' });
    await expect.poll(missedNow).toBe(1);
    expect((await status(handle)).meetings?.held).toBe(1);
  });

  it('asks the log of whom the programme names: both, and the meeting was held if either says so', async () => {
    const settings = { ...SHORT, duration: 'P21D', meetingCadence: 'P7D', meetingReminderBefore: 'P1D' };
    const both = await pairInMeetings(t, { ...settings, meetingLogBy: 'both' });
    const { handle } = both.mentee;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    expect((await openStep(handle, 'pairing-1/meeting-1/log')).role).toBe('mentee');
    expect((await openStep(handle, 'pairing-1/meeting-1/log/mentor')).role).toBe('mentor');
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'no' });
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log/mentor', 'mentor', { held: 'yes' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);
    expect((await status(handle)).meetings?.missed).toBe(0);
  });

  it('asks the mentor alone when the programme says so', async () => {
    const settings = { ...SHORT, duration: 'P21D', meetingCadence: 'P7D', meetingReminderBefore: 'P1D' };
    const { handle } = (await pairInMeetings(t, { ...settings, meetingLogBy: 'mentor' })).mentee;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    expect((await openStep(handle, 'pairing-1/meeting-1/log')).role).toBe('mentor');
    expect((await status(handle)).open.filter((o) => o.stepId.includes('/log')).map((o) => o.role)).toEqual([
      'mentor',
    ]);
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentor', { held: 'yes' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);
  });
});
