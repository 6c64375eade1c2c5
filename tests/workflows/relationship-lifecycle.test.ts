/**
 * A relationship from application to closure on the time-skipping test server, activities stubbed: the
 * address confirmation, the manager's endorsement, the interview, matching, the agreement, meetings with
 * reminders and logs, the fit check, the mid-point (where the run hands over to a new one), the final
 * evaluation and the closing summary.
 */
import { describe, expect, it } from 'vitest';
import { decideStep, recordInterview } from '../../workflows/messages.js';
import { by, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answerWhenOpen,
  MEETING_OVER,
  menteeInMatching,
  mentorInPool,
  mentorStatusOf,
  newProgramme,
  openStep,
  pairUp,
  SHORT,
  startMentee,
  status,
  templates,
  waitForPhase,
} from './support/participants.js';

describe.skipIf(!testServer)('relationship workflow: the whole story', () => {
  const t = useWorkflowTestEnv();

  it('goes from application to a completed closure, handing over to a new run at the mid-point', async () => {
    const programId = newProgramme();
    const { handle, participantId } = await startMentee(t, programId);
    const wf = handle.workflowId;
    const firstRun = (await handle.describe()).runId;

    // The applicant confirms the address before the manager is written to.
    const confirmation = await openStep(handle, 'address-confirmation');
    expect(confirmation).toMatchObject({ role: 'mentee', formId: 'address-confirmation', escalated: false });
    expect((await status(handle)).phase).toBe('application');
    expect(templates(t, wf)).toEqual(
      expect.arrayContaining(['application-received', 'coordinator-new-application', 'address-confirmation']),
    );
    expect(templates(t, wf)).not.toContain('endorsement-request');
    await answerWhenOpen(handle, 'address-confirmation', 'mentee');

    await waitForPhase(handle, 'endorsement');
    await answerWhenOpen(handle, 'endorsement', 'manager', { endorse: 'yes' });
    await waitForPhase(handle, 'interview');
    expect(await status(handle)).toMatchObject({ endorsed: true, waitingFor: 'coordinator' });
    expect(t.stubs.emails(wf).find((e) => e.template === 'endorsement-request')?.to).toEqual({
      managerOf: participantId,
    });

    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    await waitForPhase(handle, 'matching');
    expect((await status(handle)).matchingSince).toBeDefined();
    expect(templates(t, wf)).toContain('interview-accepted');

    const mentor = await mentorInPool(t, programId, 2);
    await pairUp({ handle }, mentor);
    const kickoff = await t.now();
    const meetings = await status(handle);
    expect(meetings.mentor?.mentorWorkflowId).toBe(mentor.handle.workflowId);
    expect(meetings.meetings).toMatchObject({ number: 0, planned: 3, held: 0 });
    expect((await mentorStatusOf(mentor.handle)).relationships).toEqual([wf]);
    const kickoffMails = t.stubs.emails(wf).filter((e) => e.template === 'pair-kickoff');
    expect(kickoffMails.map((e) => e.to)).toHaveLength(2);
    expect(kickoffMails.map((e) => e.to)).toEqual(
      expect.arrayContaining([{ participantId }, { participantId: mentor.participantId }]),
    );
    expect(kickoffMails[0]!.meeting!.start).toBe(meetings.meetings!.nextAt);

    // Meeting 1, a calendar month after kickoff: reminded three days before, then logged, with the fit check.
    const first = Date.parse(meetings.meetings!.nextAt!);
    const month = new Date(kickoff);
    month.setUTCMonth(month.getUTCMonth() + 1);
    expect(Math.abs(first - month.getTime())).toBeLessThan(5_000);
    await t.sleepUntil(first, -4 * 86_400_000);
    expect(templates(t, wf)).not.toContain('meeting-reminder');
    await t.sleepUntil(first, -2 * 86_400_000);
    await expect.poll(() => templates(t, wf).filter((x) => x === 'meeting-reminder').length).toBe(2);
    expect((await status(handle)).meetings?.number).toBe(1);
    await t.sleepUntil(first, MEETING_OVER);
    await answerWhenOpen(handle, 'pairing-1/meeting-1/log', 'mentee', { held: 'yes' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentee', 'mentee', { choice: 'continue' });
    await answerWhenOpen(handle, 'pairing-1/fit-check/mentor', 'mentor', { choice: 'continue' });
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(1);

    // Meeting 2 is the mid-point: both give feedback, the coordinator hears; then the run hands over.
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await openStep(handle, 'pairing-1/midpoint/mentee');
    await openStep(handle, 'pairing-1/midpoint/mentor');
    expect(templates(t, wf)).toContain('coordinator-midpoint');
    await expect.poll(async () => (await handle.describe()).runId).not.toBe(firstRun);
    // The new run carries the status and every open step (answered through the same workflow id).
    const carried = await status(handle);
    expect(carried).toMatchObject({ phase: 'meetings', meetings: { number: 2, planned: 3, held: 1 } });
    expect(carried.open.map((s) => s.stepId).sort()).toEqual([
      'pairing-1/meeting-2/log',
      'pairing-1/midpoint/mentee',
      'pairing-1/midpoint/mentor',
    ]);
    expect(carried.application).toBeDefined();
    await answerWhenOpen(handle, 'pairing-1/meeting-2/log', 'mentee', { held: 'yes' });
    await answerWhenOpen(handle, 'pairing-1/midpoint/mentee', 'mentee');
    await answerWhenOpen(handle, 'pairing-1/midpoint/mentor', 'mentor');
    await expect.poll(async () => (await status(handle)).meetings?.held).toBe(2);

    // Meeting 3, the last: logged; then the final evaluation from both, and the closing summary.
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await answerWhenOpen(handle, 'pairing-1/meeting-3/log', 'mentee', { held: 'yes' });
    await waitForPhase(handle, 'closure');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentee', 'mentee');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentor', 'mentor');
    expect(await handle.result()).toBe('completed');

    expect(await status(handle)).toMatchObject({ phase: 'closed', outcome: 'completed', open: [] });
    const outcomes = t.stubs.of(wf).filter((c) => c.name === 'recordOutcome');
    expect(outcomes.map((c) => c.input)).toEqual([
      { programId, outcome: 'completed', meetingsPlanned: 3, meetingsHeld: 3, meetingsMissed: 0 },
    ]);
    const summaries = t.stubs.emails(wf).filter((e) => e.template === 'closing-summary');
    expect(summaries.map((e) => e.data)).toEqual([
      { meetingsPlanned: 3, meetingsHeld: 3, evaluations: 'both' },
      { meetingsPlanned: 3, meetingsHeld: 3, evaluations: 'both' },
    ]);
    // The mentor's place comes back.
    await expect.poll(async () => (await mentorStatusOf(mentor.handle)).relationships).toEqual([]);
  });

  it('closes with the evaluations it has when the coordinator skips a missing one', async () => {
    const settings = { ...SHORT, duration: 'P1M' };
    const programId = newProgramme();
    const mentee = await menteeInMatching(t, programId, settings);
    const mentor = await mentorInPool(t, programId);
    await pairUp(mentee, mentor);
    const { handle } = mentee;
    await t.sleepUntil((await status(handle)).meetings!.nextAt!, MEETING_OVER);
    await waitForPhase(handle, 'closure');
    await answerWhenOpen(handle, 'pairing-1/final-evaluation/mentee', 'mentee');
    // The mentor does not answer: two reminders a week apart, then the coordinator is asked.
    const step = 'pairing-1/final-evaluation/mentor';
    await t.sleep(7 * 86_400_000 + 60_000);
    await expect.poll(async () => (await openStep(handle, step)).remindersSent).toBe(1);
    await t.sleep(14 * 86_400_000);
    await expect.poll(async () => (await openStep(handle, step)).escalated).toBe(true);
    expect((await status(handle)).waitingFor).toBe('coordinator');
    await handle.executeUpdate(decideStep, {
      args: [{ stepId: step, decision: 'skip', reason: 'Mentor left the company.', by }],
    });
    expect(await handle.result()).toBe('completed');
    const summaries = t.stubs.emails(handle.workflowId).filter((e) => e.template === 'closing-summary');
    expect(summaries[0]!.data).toMatchObject({ evaluations: 'mentee', meetingsPlanned: 1, meetingsHeld: 0 });
  });
});
