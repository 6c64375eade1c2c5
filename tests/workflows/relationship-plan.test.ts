/**
 * The agreement sets the pair's meeting rhythm, activities stubbed: whoever signs second confirms or
 * changes the plan the first proposed, and the later plan stands; meetings then fall on the agreed day
 * and hour of the programme's clock, summer time or not, as long and where agreed; the mid-point and the
 * closing follow the meetings planned. A rhythm rarer than the programme's is not followed.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { invitation } from '../../activities/email.js';
import { assignMentee } from '../../workflows/messages.js';
import { wallClock } from '../../workflows/local-time.js';
import { by, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  menteeInMatching,
  mentorInPool,
  newProgramme,
  openStep,
  SHORT,
  status,
  waitForPhase,
} from './support/participants.js';

const SIGNED = {
  goals: 'Lead.',
  milestones: 'Soon.',
  form: 'in-person',
  confidentiality: true,
  signed: true,
};

describe.skipIf(!testServer)('relationship workflow: the meeting plan the agreement sets', () => {
  const t = useWorkflowTestEnv({ freshPerTest: true });

  const emailsNamed = (wf: string, template: string) =>
    t.stubs.emails(wf).filter((e) => e.template === template);

  /** A pair whose mentor signs first with `proposed`, then the mentee with `confirmed`. */
  async function signedInOrder(
    settings: typeof SHORT,
    proposed: Record<string, string>,
    confirmed: Record<string, string>,
  ) {
    const programId = newProgramme();
    const mentee = await menteeInMatching(t, programId, settings);
    const mentor = await mentorInPool(t, programId);
    await mentor.handle.executeUpdate(assignMentee, {
      args: [{ relationshipId: mentee.handle.workflowId, by }],
    });
    const { handle } = mentee;
    await answerWhenOpen(handle, 'pairing-1/agreement/mentor', 'mentor', { ...SIGNED, ...proposed });
    await answerWhenOpen(handle, 'pairing-1/agreement/mentee', 'mentee', { ...SIGNED, ...confirmed });
    await waitForPhase(handle, 'meetings');
    await expect.poll(async () => (await status(handle)).meetings?.nextAt).toBeTruthy();
    return handle;
  }

  it('meets on Tuesdays at nine every two weeks, as the later signature says, across the end of summer time', async () => {
    // Signed on Monday 4 October 2027 in Oslo; summer time ends on Sunday 31 October.
    await t.sleepUntil(Date.parse('2027-10-04T10:00:00Z'));
    const settings = { ...SHORT, timeZone: 'Europe/Oslo', duration: 'P2M', meetingCadence: 'P1M' };
    const handle = await signedInOrder(
      settings,
      { frequency: 'P1W', firstMeeting: '2027-10-12T16:00', meetingMinutes: '30', place: 'Café' },
      { frequency: 'P2W', firstMeeting: '2027-10-19T09:00', meetingMinutes: '45', place: 'Room 4' },
    );
    const wf = handle.workflowId;
    // Tuesdays 19 October, 2, 16 and 30 November fall within two months of kickoff (4 December).
    const s = await status(handle);
    expect(s.meetings).toMatchObject({ planned: 4, next: 1, nextAt: '2027-10-19T07:00:00.000Z' });
    const [kickoff] = emailsNamed(wf, 'pair-kickoff');
    expect(kickoff!.meeting).toMatchObject({
      start: '2027-10-19T07:00:00.000Z',
      minutes: 45,
      location: 'Room 4',
    });

    const reminded: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const at = Date.parse((await status(handle)).meetings!.nextAt!);
      await t.sleepUntil(at, MEETING_OVER);
      await expect
        .poll(() => emailsNamed(wf, 'meeting-reminder').filter((e) => e.key.includes(`/meeting-${n}/`)))
        .toHaveLength(2);
      const entry = emailsNamed(wf, 'meeting-reminder').find((e) =>
        e.key.includes(`/meeting-${n}/`),
      )!.meeting!;
      expect(entry).toMatchObject({ minutes: 45, location: 'Room 4' });
      expect(wallClock(Date.parse(entry.start), 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
      // The calendar entry the activity attaches, read by a calendar library: nine in Oslo, 45 minutes.
      const ics = new ICAL.Component(ICAL.parse(invitation(entry, `meeting-${n}`, 'Meeting', undefined)));
      const event = new ICAL.Event(ics.getFirstSubcomponent('vevent')!);
      const start = event.startDate.toJSDate().getTime();
      expect(wallClock(start, 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
      expect(event.endDate.toJSDate().getTime() - start).toBe(45 * 60_000);
      expect(event.location).toBe('Room 4');
      reminded.push(entry.start.slice(0, 16));
      // The mid-point is the second of four meetings: its feedback is asked there, not before.
      if (n === 1)
        expect((await status(handle)).open.map((o) => o.stepId)).not.toContain('pairing-1/midpoint/mentee');
      if (n === 2) await openStep(handle, 'pairing-1/midpoint/mentee');
    }
    // Summer time (07:00 UTC), then winter time (08:00 UTC): nine o'clock in Oslo throughout.
    expect(reminded).toEqual([
      '2027-10-19T07:00',
      '2027-11-02T08:00',
      '2027-11-16T08:00',
      '2027-11-30T08:00',
    ]);
    // The closing follows the last planned meeting (30 November), not the end of the duration (4 December).
    await waitForPhase(handle, 'closure');
    expect(await t.now()).toBeLessThan(Date.parse('2027-12-01T00:00:00Z'));
  });

  it('follows the programme where the agreement leaves the plan open or asks for a rarer rhythm', async () => {
    const settings = { ...SHORT, duration: 'P3M', meetingCadence: 'P2W' };
    const handle = await signedInOrder(settings, { frequency: 'P1W' }, { frequency: 'P1M' });
    const kickoff = await t.now();
    const s = await status(handle);
    // Every two weeks from kickoff, as the programme plans: monthly is rarer than it allows.
    expect(s.meetings!.planned).toBeGreaterThanOrEqual(6);
    const first = Date.parse(s.meetings!.nextAt!);
    expect(Math.abs(first - kickoff - 14 * 86_400_000)).toBeLessThan(60_000);
    expect(emailsNamed(handle.workflowId, 'pair-kickoff')[0]!.meeting).toMatchObject({ minutes: 60 });
  });
});
