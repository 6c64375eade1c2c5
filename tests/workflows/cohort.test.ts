/**
 * A learning-network cohort, activities stubbed: organisations enrol and are approved or declined,
 * gatherings are invited, reminded and attended, evaluations, homework and guidance logs follow each,
 * every gathering hands over to a new run, an organisation withdraws, a gathering moves (and its timers
 * with it), and the cohort closes with final evaluations and a report.
 */
import { describe, expect, it } from 'vitest';
import {
  COHORT_FORMS,
  DEFAULT_COHORT_SETTINGS,
  cohortStatus,
  decideEnrolment,
  enrolOrganisation,
  moveGathering,
  recordAttendance,
  withdrawOrganisation,
} from '../../workflows/cohort-messages.js';
import type { cohortWorkflow } from '../../workflows/cohort.js';
import { decideStep } from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, patientQuery, useWorkflowTestEnv, testServer } from './support/env.js';
import { answer, newProgramme } from './support/participants.js';

const DAY = 86_400_000;
const FORMS = Object.fromEntries(
  Object.entries(COHORT_FORMS).map(([k, id]) => [k, { id, version: 1 }]),
) as Record<keyof typeof COHORT_FORMS, { id: string; version: number }>;

describe.skipIf(!testServer)('learning-network cohort workflow', () => {
  const t = useWorkflowTestEnv({ freshPerTest: true });

  /** A cohort of two gatherings, 20 and 40 days from now. */
  async function startCohort(days = [20, 40]) {
    const programId = newProgramme();
    const now = await t.now();
    const gatherings = days.map((d, i) => ({
      date: new Date(now + d * DAY).toISOString(),
      place: `Hall ${i + 1}`,
      theme: `Theme ${i + 1}`,
    }));
    const handle = await t.client.workflow.start<typeof cohortWorkflow>('cohortWorkflow', {
      workflowId: `cohort-${programId}-1`,
      taskQueue: t.taskQueue,
      args: [
        { programId, number: 1, gatherings, settings: DEFAULT_COHORT_SETTINGS, forms: FORMS, openedBy: by },
      ],
    });
    t.started.push(handle);
    const status = () => patientQuery(handle, () => handle.query(cohortStatus));
    const wf = handle.workflowId;
    const enrol = async (name: string) =>
      (
        await handle.executeUpdate(enrolOrganisation, {
          args: [
            {
              submissionId: `${name}-${programId}`,
              formId: 'network-enrolment',
              formVersion: 1,
              answers: {},
            },
          ],
        })
      ).organisationId;
    const decide = (organisationId: string, decision: 'approve' | 'decline', reason = '') =>
      handle.executeUpdate(decideEnrolment, { args: [{ organisationId, decision, reason, by }] });
    const emailsNamed = (template: string) => t.stubs.emails(wf).filter((e) => e.template === template);
    const at = (n: number) => Date.parse(gatherings[n - 1]!.date);
    const openSteps = async () => (await status()).open.map((s) => s.stepId);
    return { programId, handle, wf, status, enrol, decide, emailsNamed, at, openSteps };
  }
  const leader = (org: string) => `${org}-leader`;
  const member = (org: string) => `${org}-member`;

  it('runs enrolment, two gatherings with their forms, and closes with a report', async () => {
    const c = await startCohort();
    const { handle } = c;
    const firstRun = (await handle.describe()).runId;
    await expect.poll(() => c.emailsNamed('coordinator-cohort-opened').length).toBe(1);
    expect(c.emailsNamed('coordinator-cohort-opened')[0]!.data).toEqual({ cohortNumber: 1, gatherings: 2 });
    // The email is out when its activity completed; the cohort turns to its first gathering in the
    // workflow task after that, so the status is waited for, not read at once.
    await expect.poll(async () => (await c.status()).current).toBe(1);
    expect(await c.status()).toMatchObject({ phase: 'enrolment', current: 1, organisations: [] });

    const [a, b, x] = [await c.enrol('a'), await c.enrol('b'), await c.enrol('x')];
    expect(await c.status()).toMatchObject({ waitingFor: 'coordinator' });
    expect(c.emailsNamed('cohort-enrolment-received').map((e) => e.to)).toEqual(
      expect.arrayContaining([{ memberId: leader(a) }, { memberId: leader(b) }, { memberId: leader(x) }]),
    );
    expect(c.emailsNamed('coordinator-new-enrolment')).toHaveLength(3);
    await expectRefusal(c.decide(x, 'decline'), Refusal.reasonNeeded);
    await c.decide(x, 'decline', 'Outside the region');
    await c.decide(a, 'approve');
    await c.decide(b, 'approve');
    await expectRefusal(c.decide(a, 'approve'), Refusal.noSuchEnrolment);
    const enrolled = await c.status();
    expect(enrolled.organisations.map((o) => [o.id, o.state, o.joinedAt])).toEqual([
      [a, 'approved', 1],
      [b, 'approved', 1],
      [x, 'declined', undefined],
    ]);
    expect(enrolled.waitingFor).toBe('nobody');
    expect(c.emailsNamed('cohort-enrolment-declined')[0]).toMatchObject({
      to: { memberId: leader(x) },
      data: { reason: 'Outside the region' },
    });
    // Approved after gathering 1's invitations went out (to nobody): theirs come at once, with a calendar entry.
    const invitations = c.emailsNamed('gathering-invitation');
    expect(invitations.map((e) => e.to)).toEqual(
      expect.arrayContaining([leader(a), member(a), leader(b), member(b)].map((memberId) => ({ memberId }))),
    );
    expect(invitations[0]!.meeting).toMatchObject({
      start: new Date(c.at(1)).toISOString(),
      location: 'Hall 1',
    });

    // Reminded a week before; at the gathering the coordinator records who came.
    await t.sleepUntil(c.at(1), -7 * DAY + 60_000);
    await expect.poll(() => c.emailsNamed('gathering-reminder').length).toBe(4);
    await t.sleepUntil(c.at(1), 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    expect(await c.status()).toMatchObject({ phase: 'gatherings', waitingFor: 'coordinator' });
    await expect.poll(() => c.emailsNamed('coordinator-attendance-due')).toHaveLength(1);
    const attend = (number: number, present: string[]) =>
      handle.executeUpdate(recordAttendance, { args: [{ number, present, by }] });
    await expectRefusal(attend(2, [leader(a)]), Refusal.attendanceNotDue);
    await expectRefusal(attend(1, ['stranger']), Refusal.notAMember);
    await expectRefusal(attend(1, [leader(x)]), Refusal.notAMember);
    await attend(1, [leader(a), member(a), leader(b), leader(a)]);

    // Evaluations from those who came, homework and a guidance log from each leader; then a new run.
    await expect.poll(async () => (await handle.describe()).runId).not.toBe(firstRun);
    const afterFirst = await c.status();
    expect(afterFirst.gatherings[0]!.attendance?.present).toEqual([leader(a), member(a), leader(b)]);
    expect(afterFirst.homework.map((h) => [h.after, h.organisationId, h.dueAt])).toEqual([
      [1, a, new Date(c.at(2) - 7 * DAY).toISOString()],
      [1, b, new Date(c.at(2) - 7 * DAY).toISOString()],
    ]);
    expect((await c.openSteps()).sort()).toEqual(
      [
        `gathering-1/evaluation/${leader(a)}`,
        `gathering-1/evaluation/${member(a)}`,
        `gathering-1/evaluation/${leader(b)}`,
        `gathering-1/homework/${a}`,
        `gathering-1/guidance/${a}`,
        `gathering-1/homework/${b}`,
        `gathering-1/guidance/${b}`,
      ].sort(),
    );
    await answer(handle, `gathering-1/evaluation/${leader(a)}`, 'member', 'gathering-evaluation', {
      useful: '5',
    });
    await answer(handle, `gathering-1/homework/${a}`, 'member', 'network-homework');
    await answer(handle, `gathering-1/guidance/${a}`, 'member', 'guidance-log', { held: 'yes' });
    await answer(handle, `gathering-1/guidance/${b}`, 'member', 'guidance-log', { held: 'no' });
    await expect
      .poll(async () => (await c.status()).guidance)
      .toEqual([
        { after: 1, organisationId: a, held: true },
        { after: 1, organisationId: b, held: false },
      ]);
    // B's homework comes after its due date: late.
    await t.sleepUntil(c.at(2), -6 * DAY);
    await answer(handle, `gathering-1/homework/${b}`, 'member', 'network-homework');
    await expect.poll(async () => (await c.status()).homework.map((h) => h.late)).toEqual([false, true]);
    // Unanswered forms of a cohort are reminded once, then count as missing; the coordinator is not asked.
    await t.sleepUntil(c.at(2), -3 * DAY);
    const evaluation = (await c.status()).open.find(
      (s) => s.stepId === `gathering-1/evaluation/${member(a)}`,
    )!;
    expect(evaluation).toMatchObject({ remindersSent: 1, lapsed: true, escalated: false });
    expect(c.emailsNamed('coordinator-step-overdue')).toEqual([]);

    // Gathering 2, the last: then the final evaluation from each organisation, and the report.
    await t.sleepUntil(c.at(2), 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    await attend(2, [leader(a)]);
    await expect.poll(async () => (await c.status()).phase).toBe('closing');
    await expect.poll(c.openSteps).toEqual(expect.arrayContaining([`final/${a}`, `final/${b}`]));
    await expectRefusal(c.enrol('late'), Refusal.enrolmentClosed);
    await answer(handle, `final/${a}`, 'member', 'network-final-evaluation', { overall: '4' });
    // B never answers: reminded once, then the report goes without it.
    await t.sleep(15 * DAY);
    expect(await handle.result()).toEqual({ organisations: 2, gatherings: 2 });
    const report = t.stubs.of(c.wf).find((call) => call.name === 'recordCohortReport')!.input as {
      status: { phase: string; organisations: unknown[] };
    };
    expect(report.status.phase).toBe('closing');
    expect(report.status.organisations).toHaveLength(3);
    expect(c.emailsNamed('cohort-report')).toHaveLength(1);
    expect(await c.status()).toMatchObject({ phase: 'closed', waitingFor: 'nobody', open: [] });
  });

  it('moves a gathering and every wait for it, telling those invited', async () => {
    const c = await startCohort();
    const { handle } = c;
    const a = await c.enrol('a');
    await c.decide(a, 'approve');
    const move = (number: number, date: number | string, reason = 'Hall booked') =>
      handle.executeUpdate(moveGathering, {
        args: [{ number, date: new Date(date).toISOString(), place: 'Annex', reason, by }],
      });
    const now = await t.now();
    await expectRefusal(move(3, now + 25 * DAY), Refusal.noSuchGathering);
    await expectRefusal(move(1, now - DAY), Refusal.dateInPast);
    await expectRefusal(move(1, c.at(2) + DAY), Refusal.gatheringOrder);
    await expectRefusal(move(2, c.at(1) - DAY), Refusal.gatheringOrder);
    await expectRefusal(move(1, now + 25 * DAY, ' '), Refusal.reasonNeeded);
    const moved = now + 30 * DAY;
    await move(1, moved);
    const g = (await c.status()).gatherings[0]!;
    expect(g).toMatchObject({ date: new Date(moved).toISOString(), place: 'Annex' });
    expect(g.moved).toEqual({ from: new Date(c.at(1)).toISOString(), by, reason: 'Hall booked' });
    const told = c.emailsNamed('gathering-moved');
    expect(told.map((e) => e.to)).toEqual(
      expect.arrayContaining([{ memberId: leader(a) }, { memberId: member(a) }]),
    );
    expect(told[0]!.meeting).toMatchObject({ start: new Date(moved).toISOString(), sequence: 1 });

    // The old reminder time passes quietly; the new one comes a week before the new date.
    await t.sleepUntil(c.at(1), -7 * DAY + DAY);
    expect(c.emailsNamed('gathering-reminder')).toEqual([]);
    await t.sleepUntil(moved, -7 * DAY + 60_000);
    await expect.poll(() => c.emailsNamed('gathering-reminder').length).toBe(2);
    await t.sleepUntil(moved, 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    await expectRefusal(move(1, moved + DAY), Refusal.gatheringBegun);
  });

  it('closes the forms of an organisation that withdraws, and turns away what no longer fits', async () => {
    const c = await startCohort();
    const { handle } = c;
    const firstRun = (await handle.describe()).runId;
    const [a, b] = [await c.enrol('a'), await c.enrol('b')];
    await c.decide(a, 'approve');
    await c.decide(b, 'approve');
    await t.sleepUntil(c.at(1), 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    await handle.executeUpdate(recordAttendance, {
      args: [{ number: 1, present: [leader(a), leader(b)], by }],
    });
    await expect.poll(c.openSteps).toContain(`gathering-1/homework/${b}`);
    // Changes go to the run that carries on after the gathering (see the test below).
    await expect.poll(async () => (await handle.describe()).runId).not.toBe(firstRun);
    const withdraw = (organisationId: string, reason = 'Reorganisation', who = by) =>
      handle.executeUpdate(withdrawOrganisation, { args: [{ organisationId, reason, by: who }] });
    await expectRefusal(withdraw(b, ''), Refusal.reasonNeeded);
    await expectRefusal(withdraw(b, 'x', { userId: '' }), Refusal.noActor);
    await expectRefusal(withdraw('unknown'), Refusal.notInCohort);
    // One form cannot end a cohort.
    await expectRefusal(
      handle.executeUpdate(decideStep, {
        args: [{ stepId: `gathering-1/homework/${b}`, decision: 'end', reason: 'No', by }],
      }),
      Refusal.stepCannotEnd,
    );
    await withdraw(b);
    await expectRefusal(withdraw(b), Refusal.notInCohort);
    await expect.poll(c.openSteps).not.toContain(`gathering-1/homework/${b}`);
    const s = await c.status();
    expect(s.organisations.find((o) => o.id === b)).toMatchObject({ state: 'withdrawn', leftAfter: 1 });
    expect(s.open.map((o) => o.stepId).filter((id) => id.includes(b) || id.includes(leader(b)))).toEqual([]);
    expect(s.open.map((o) => o.stepId)).toContain(`gathering-1/homework/${a}`);
    expect(c.emailsNamed('cohort-withdrawn')[0]).toMatchObject({
      to: { memberId: leader(b) },
      data: { reason: 'Reorganisation' },
    });
    // Gathering 2 (whose invitations went out as the new run began) is reminded to those still in the cohort.
    await t.sleepUntil(c.at(2), -7 * DAY + 60_000);
    await expect
      .poll(() => c.emailsNamed('gathering-reminder').filter((e) => e.key.includes('/gathering-2/')).length)
      .toBe(2);
    expect(
      c
        .emailsNamed('gathering-reminder')
        .filter((e) => e.key.includes('/gathering-2/'))
        .map((e) => e.to),
    ).toEqual(expect.arrayContaining([{ memberId: leader(a) }, { memberId: member(a) }]));
  });

  it('lets an organisation join at the next gathering, and moves homework with the gathering it is due before', async () => {
    const c = await startCohort();
    const { handle } = c;
    const firstRun = (await handle.describe()).runId;
    const a = await c.enrol('a');
    await c.decide(a, 'approve');
    await t.sleepUntil(c.at(1), 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    await handle.executeUpdate(recordAttendance, { args: [{ number: 1, present: [leader(a)], by }] });
    await expect.poll(async () => (await c.status()).current).toBe(2);
    // Changes go to the run that carries on after the gathering, once it has begun (the status is asked
    // patiently: the test server can hold a Query that comes while the runs change hands).
    await expect.poll(async () => (await handle.describe()).runId).not.toBe(firstRun);

    // Joining after gathering 1: it takes part from gathering 2, whose invitations it gets at once.
    const late = await c.enrol('late');
    await c.decide(late, 'approve');
    expect((await c.status()).organisations.find((o) => o.id === late)?.joinedAt).toBe(2);
    const invited = c.emailsNamed('gathering-invitation').filter((e) => e.key.includes('/gathering-2/'));
    expect(invited.map((e) => e.to)).toEqual(
      expect.arrayContaining(
        [leader(a), member(a), leader(late), member(late)].map((memberId) => ({ memberId })),
      ),
    );

    // Gathering 2 moves five days later: the homework due before it moves too, and everyone invited hears.
    const later = c.at(2) + 5 * DAY;
    await handle.executeUpdate(moveGathering, {
      args: [{ number: 2, date: new Date(later).toISOString(), place: '', reason: 'Strike', by }],
    });
    const s = await c.status();
    expect(s.homework).toEqual([
      { after: 1, organisationId: a, dueAt: new Date(later - 7 * DAY).toISOString() },
    ]);
    expect(s.gatherings[1]!.place).toBe('Hall 2');
    expect(c.emailsNamed('gathering-moved')).toHaveLength(4);
  });

  it('takes no changes while the report is made, and no enrolment once every gathering has begun', async () => {
    const c = await startCohort([10]);
    const { handle } = c;
    const [a, late] = [await c.enrol('a'), await c.enrol('late')];
    await c.decide(a, 'approve');
    const reporting = t.stubs.gate();
    t.stubs.override({
      recordCohortReport: async () => {
        await reporting.opened;
        return { organisations: 1, gatherings: 1 };
      },
    });
    await t.sleepUntil(c.at(1), 60_000);
    await expect.poll(async () => (await c.status()).attendanceDue).toBe(true);
    // Only one gathering, now begun: nothing is left to join.
    await expectRefusal(c.enrol('another'), Refusal.enrolmentClosed);
    await expectRefusal(c.decide(late, 'approve'), Refusal.enrolmentClosed);
    await handle.executeUpdate(recordAttendance, { args: [{ number: 1, present: [], by }] });
    await expect.poll(c.openSteps).toEqual([`final/${a}`]);
    // Answered, not left to lapse: time stands still while an activity (the report, held here) runs.
    await answer(handle, `final/${a}`, 'member', 'network-final-evaluation', { overall: '5' });
    await expect.poll(() => t.stubs.of(c.wf).some((call) => call.name === 'recordCohortReport')).toBe(true);
    await expectRefusal(c.decide(late, 'decline', 'Too late'), Refusal.cohortReporting);
    await expectRefusal(
      handle.executeUpdate(withdrawOrganisation, { args: [{ organisationId: a, reason: 'Leaving', by }] }),
      Refusal.cohortReporting,
    );
    reporting.open();
    expect(await handle.result()).toEqual({ organisations: 1, gatherings: 1 });
    expect((await c.status()).organisations.find((o) => o.id === late)?.state).toBe('pending');
  });
});
