/**
 * A learning-network cohort at its limits, activities stubbed: at most 100 organisations enrol in one
 * cohort (the 101st is refused), and a form an organisation has not answered, reminded and counted as
 * missing, gets a new round of waiting when the coordinator extends it (a cohort's form is never
 * escalated, and cannot end the cohort).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  COHORT_FORMS,
  DEFAULT_COHORT_SETTINGS,
  cohortStatus,
  decideEnrolment,
  enrolOrganisation,
  recordAttendance,
} from '../../workflows/cohort-messages.js';
import type { cohortWorkflow } from '../../workflows/cohort.js';
import { decideStep, type StepDecision } from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { by, expectRefusal, patientQuery, testServer, useWorkflowTestEnv } from './support/env.js';
import { answer, newProgramme } from './support/participants.js';

const DAY = 86_400_000;
const FORMS = Object.fromEntries(
  Object.entries(COHORT_FORMS).map(([k, id]) => [k, { id, version: 1 }]),
) as Record<keyof typeof COHORT_FORMS, { id: string; version: number }>;
/** workflows/cohort.ts: enrolments one cohort takes at most, approved or not. */
const MAX_ORGANISATIONS = 100;

describe.skipIf(!testServer)('learning-network cohort workflow: its limits', () => {
  const t = useWorkflowTestEnv({ freshPerTest: true });

  async function startCohort(days: number[]) {
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
    const wf = handle.workflowId;
    const status = () => patientQuery(handle, () => handle.query(cohortStatus));
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
    const decideStepOf = (decision: Omit<StepDecision, 'by'>, who = by) =>
      handle.executeUpdate(decideStep, { args: [{ ...decision, by: who }] });
    const step = async (stepId: string) => (await status()).open.find((s) => s.stepId === stepId);
    const emailsNamed = (template: string) => t.stubs.emails(wf).filter((e) => e.template === template);
    const at = (n: number) => Date.parse(gatherings[n - 1]!.date);
    const attend = async (n: number, present: string[]) => {
      await t.sleepUntil(at(n), 60_000);
      await expect.poll(async () => (await status()).attendanceDue).toBe(true);
      await handle.executeUpdate(recordAttendance, { args: [{ number: n, present, by }] });
    };
    return { programId, handle, wf, status, enrol, decide, decideStepOf, step, emailsNamed, at, attend };
  }
  const leader = (org: string) => `${org}-leader`;

  it('takes 100 organisations, approved or not, and refuses the 101st', async () => {
    const c = await startCohort([20, 40]);
    const names = Array.from({ length: MAX_ORGANISATIONS }, (_, i) => `org${i + 1}`);
    const ids: string[] = [];
    for (let i = 0; i < names.length; i += 10)
      ids.push(...(await Promise.all(names.slice(i, i + 10).map((name) => c.enrol(name)))));
    expect(new Set(ids).size).toBe(MAX_ORGANISATIONS);
    // Declined or approved, an enrolment keeps its place in the count.
    await c.decide(ids[0]!, 'decline', 'Outside the region');
    await c.decide(ids[1]!, 'approve');

    const refused = await c.enrol('org101').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe(Refusal.enrolmentClosed);
    expect(cause.message).toBe('the cohort takes no more organisations');
    await expectRefusal(c.enrol('org102'), Refusal.enrolmentClosed);

    // Refused by the validator: nothing stored, nobody told, and the cohort goes on with its hundred.
    const enrolments = t.stubs.of(c.wf).filter((call) => call.name === 'recordEnrolment');
    expect(enrolments).toHaveLength(MAX_ORGANISATIONS);
    expect(c.emailsNamed('coordinator-new-enrolment')).toHaveLength(MAX_ORGANISATIONS);
    const s = await c.status();
    expect(s.organisations).toHaveLength(MAX_ORGANISATIONS);
    expect(s.organisations.map((o) => o.state).filter((state) => state === 'pending')).toHaveLength(98);
    expect(s).toMatchObject({ phase: 'enrolment', waitingFor: 'coordinator' });
    await c.decide(ids[99]!, 'approve');
    expect((await c.status()).organisations.find((o) => o.id === ids[99])).toMatchObject({
      state: 'approved',
      joinedAt: 1,
    });
  });

  it('gives a homework form that lapsed unanswered a new round when the coordinator extends it', async () => {
    const c = await startCohort([10, 60]);
    const a = await c.enrol('a');
    await c.decide(a, 'approve');
    const firstRun = (await c.handle.describe()).runId;
    await c.attend(1, [leader(a)]);
    const homework = `gathering-1/homework/${a}`;
    // The cohort hands over to a run for the next gathering once the homework is asked; sleeping across
    // that hand-over can stop the test server's clock for good on a loaded machine, so it is waited for.
    await expect.poll(async () => (await c.handle.describe()).runId).not.toBe(firstRun);
    await expect.poll(() => c.step(homework)).toBeDefined();

    // Reminded once a week after, then counted as missing a week later; the coordinator is not asked.
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(async () => (await c.step(homework))?.remindersSent).toBe(1);
    expect((await c.step(homework))?.lapsed).toBeUndefined();
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await c.step(homework))?.lapsed).toBe(true);
    expect(await c.step(homework)).toMatchObject({ escalated: false, remindersSent: 1 });
    expect(c.emailsNamed('coordinator-step-overdue')).toEqual([]);

    // What the coordinator cannot do with it: end the cohort, decide without a reason or without an id.
    await expectRefusal(
      c.decideStepOf({ stepId: homework, decision: 'end', reason: 'No' }),
      Refusal.stepCannotEnd,
    );
    await expectRefusal(
      c.decideStepOf({ stepId: homework, decision: 'extend', reason: ' ' }),
      Refusal.reasonNeeded,
    );
    await expectRefusal(
      c.decideStepOf({ stepId: homework, decision: 'extend', reason: 'Ill' }, { userId: '' }),
      Refusal.noActor,
    );
    await expectRefusal(
      c.decideStepOf({ stepId: 'gathering-1/homework/unknown', decision: 'extend', reason: 'Ill' }),
      Refusal.stepNotOpen,
    );

    const extendedAt = await t.now();
    await c.decideStepOf({ stepId: homework, decision: 'extend', reason: 'The project leader was ill' });
    await expect.poll(async () => (await c.step(homework))?.lapsed).toBeUndefined();
    const extended = (await c.step(homework))!;
    expect(Math.abs(Date.parse(extended.dueAt!) - extendedAt - 7 * DAY)).toBeLessThan(5_000);

    // A new round: one more reminder, with a key of its own, then missing again.
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(async () => (await c.step(homework))?.remindersSent).toBe(2);
    // The workflow counts a reminder before its email activity runs: the emails are waited for.
    const reminders = () => c.emailsNamed('form-reminder').filter((e) => e.key.includes(`/${homework}/`));
    await expect
      .poll(() => reminders().map((e) => [e.key, e.to]))
      .toEqual([
        [`${c.wf}/${homework}/reminder-0-1`, { memberId: leader(a) }],
        [`${c.wf}/${homework}/reminder-1-1`, { memberId: leader(a) }],
      ]);
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await c.step(homework))?.lapsed).toBe(true);
    expect(c.emailsNamed('coordinator-step-overdue')).toEqual([]);

    // Still open: the answer that comes now is taken, before the homework's own due date.
    await answer(c.handle, homework, 'member', 'network-homework');
    await expect.poll(() => c.step(homework)).toBeUndefined();
    const delivered = (await c.status()).homework.find((h) => h.organisationId === a)!;
    expect(delivered.deliveredAt).toBeDefined();
    expect(delivered.late).toBe(false);
  });

  it('waits for a final evaluation the coordinator extended before it makes the report', async () => {
    const c = await startCohort([10]);
    const [a, b] = [await c.enrol('a'), await c.enrol('b')];
    await c.decide(a, 'approve');
    await c.decide(b, 'approve');
    await c.attend(1, []);
    const [finalA, finalB] = [`final/${a}`, `final/${b}`];
    await expect.poll(async () => (await c.step(finalB)) !== undefined).toBe(true);
    const askedAt = await t.now();
    await answer(c.handle, finalA, 'member', 'network-final-evaluation', { overall: '4' });

    // B's is reminded after a week; three days later, overdue, the coordinator gives B more time.
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(async () => (await c.step(finalB))?.remindersSent).toBe(1);
    await t.sleep(3 * DAY);
    await c.decideStepOf({ stepId: finalB, decision: 'extend', reason: 'B asked for a week' });

    // Past the day B's form would have counted as missing: no report yet, B is reminded again.
    await t.sleepUntil(askedAt, 15 * DAY);
    expect(t.stubs.of(c.wf).filter((call) => call.name === 'recordCohortReport')).toEqual([]);
    expect((await c.status()).phase).toBe('closing');
    await t.sleepUntil(askedAt, 17 * DAY + 60_000);
    await expect.poll(async () => (await c.step(finalB))?.remindersSent).toBe(2);
    // The workflow counts the reminder before its email activity runs: wait for the email itself.
    await expect
      .poll(() => c.emailsNamed('form-reminder').at(-1)?.key)
      .toBe(`${c.wf}/${finalB}/reminder-1-1`);

    // B answers within its new round: the report follows, with both final evaluations given.
    await answer(c.handle, finalB, 'member', 'network-final-evaluation', { overall: '3' });
    expect(await c.handle.result()).toEqual({ organisations: 2, gatherings: 1 });
    expect(
      t.stubs
        .of(c.wf)
        .filter((call) => call.name === 'recordStepAnswers')
        .map((call) => (call.input as { stepId: string }).stepId),
    ).toEqual([finalA, finalB]);
    expect(c.emailsNamed('cohort-report')).toHaveLength(1);
    expect(await c.status()).toMatchObject({ phase: 'closed', open: [] });
  });
});
