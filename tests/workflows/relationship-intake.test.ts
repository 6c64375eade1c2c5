/**
 * A relationship's start, activities stubbed: the application, the address confirmation and the
 * manager's endorsement (given, refused, or overdue and decided by the coordinator), the interview
 * (accepted or declined), and the Updates the workflow turns away on the way.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decideStep,
  endRelationship,
  endWithoutFault,
  organisationChanged,
  pauseRelationship,
  recordInterview,
  rematchPair,
  resendLink,
  resumeRelationship,
  submitApplication,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { DEFAULT_SETTINGS } from '../../workflows/program-settings.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  answer,
  answerWhenOpen,
  menteeInMatching,
  newProgramme,
  openStep,
  SHORT,
  startMentee,
  startRelationship,
  status,
  templates,
  waitForPhase,
} from './support/participants.js';

const DAY = 86_400_000;

describe.skipIf(!testServer)('relationship workflow: application, endorsement and interview', () => {
  const t = useWorkflowTestEnv();

  /** A mentee whose address is confirmed, waiting for the manager's endorsement. */
  async function waitingForEndorsement() {
    const mentee = await startMentee(t, newProgramme());
    await answerWhenOpen(mentee.handle, 'address-confirmation', 'mentee');
    await openStep(mentee.handle, 'endorsement');
    return mentee;
  }

  it('goes straight to the interview when the programme asks no endorsement', async () => {
    const { handle } = await startMentee(t, newProgramme(), { ...SHORT, managerEndorsement: false });
    await waitForPhase(handle, 'interview');
    const s = await status(handle);
    expect(s).toMatchObject({ waitingFor: 'coordinator', open: [] });
    expect(s.endorsed).toBeUndefined();
    expect(s.application?.reference).toMatch(/^[0-9A-F]{8}$/);
    expect(templates(t, handle.workflowId)).toEqual(
      expect.arrayContaining([
        'application-received',
        'coordinator-new-application',
        'coordinator-interview-due',
      ]),
    );
    expect(templates(t, handle.workflowId)).not.toContain('endorsement-request');
    const [application] = t.stubs.of(handle.workflowId).filter((c) => c.name === 'recordApplication');
    expect(application?.input).toMatchObject({ role: 'mentee', formId: 'mentee-application' });
  });

  it('gives the receipt before the answers are stored, and tells nobody until they are', async () => {
    const storing = t.stubs.gate();
    t.stubs.override({
      recordApplication: async (input) => {
        await storing.opened;
        return { reference: input.id!.slice(0, 8).toUpperCase(), submittedAt: input.submittedAt! };
      },
    });
    const { handle } = await startRelationship(t, newProgramme());
    // The Update completes while the answers wait at the gate: the receipt comes from the workflow.
    const receipt = await handle.executeUpdate(submitApplication, {
      args: [{ submissionId: randomUUID(), formId: 'mentee-application', formVersion: 1, answers: {} }],
    });
    await expect.poll(() => t.stubs.of(handle.workflowId).map((c) => c.name)).toContain('recordApplication');
    const [stored] = t.stubs.of(handle.workflowId).filter((c) => c.name === 'recordApplication');
    expect(stored?.input).toMatchObject({ submittedAt: receipt.submittedAt });
    expect((stored?.input as { id: string }).id.slice(0, 8).toUpperCase()).toBe(receipt.reference);
    expect(templates(t, handle.workflowId)).toEqual([]);
    expect((await status(handle)).phase).toBe('application');

    storing.open();
    await openStep(handle, 'address-confirmation');
    expect(templates(t, handle.workflowId)).toEqual(
      expect.arrayContaining(['application-received', 'coordinator-new-application']),
    );
    expect((await status(handle)).application).toEqual(receipt);
  });

  it('gives an answer its receipt before it is stored, and the step settles once it is', async () => {
    const { handle } = await waitingForEndorsement();
    const storing = t.stubs.gate();
    t.stubs.override({
      recordStepAnswers: async (input) => {
        await storing.opened;
        return { stepId: input.stepId, submittedAt: input.submittedAt! };
      },
    });
    const receipt = await answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'yes' });
    expect(receipt).toMatchObject({ stepId: 'endorsement' });
    // Taken: listed as answered, and the workflow waits for the answer to be stored.
    const s = await status(handle);
    expect(s.open).toEqual([expect.objectContaining({ stepId: 'endorsement', answered: true })]);
    expect(s.phase).toBe('endorsement');
    expect(templates(t, handle.workflowId)).not.toContain('coordinator-interview-due');
    await expect
      .poll(() =>
        t.stubs
          .of(handle.workflowId)
          .filter((c) => c.name === 'recordStepAnswers')
          .map((c) => c.input),
      )
      .toContainEqual(expect.objectContaining({ stepId: 'endorsement', submittedAt: receipt.submittedAt }));

    storing.open();
    await waitForPhase(handle, 'interview');
    expect((await status(handle)).endorsed).toBe(true);
  });

  it('asks the manager at once when the programme does not confirm addresses', async () => {
    const { handle } = await startMentee(t, newProgramme(), { ...SHORT, confirmAddress: false });
    await openStep(handle, 'endorsement');
    expect((await status(handle)).phase).toBe('endorsement');
    expect(templates(t, handle.workflowId)).not.toContain('address-confirmation');
  });

  it('takes a manager who does not endorse to the interview, where the coordinator declines', async () => {
    const { handle, participantId } = await waitingForEndorsement();
    await answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'no' });
    await waitForPhase(handle, 'interview');
    expect((await status(handle)).endorsed).toBe(false);

    await expectRefusal(
      handle.executeUpdate(recordInterview, { args: [{ outcome: 'declined', reason: ' ', by }] }),
      Refusal.reasonNeeded,
    );
    await expectRefusal(
      handle.executeUpdate(recordInterview, {
        args: [{ outcome: 'accepted', reason: '', by: { userId: '' } }],
      }),
      Refusal.noActor,
    );
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'No places this year.', notes: 'internal', by }],
    });
    expect(await handle.result()).toBe('declined');
    const declined = t.stubs.emails(handle.workflowId).find((e) => e.template === 'application-declined');
    expect(declined).toMatchObject({ to: { participantId }, data: { reason: 'No places this year.' } });
    expect(JSON.stringify(t.stubs.emails(handle.workflowId))).not.toContain('internal');
    const outcomes = t.stubs.of(handle.workflowId).filter((c) => c.name === 'recordOutcome');
    expect(outcomes.map((c) => c.input)).toEqual([
      { programId: expect.any(String), outcome: 'declined', meetingsPlanned: 0, meetingsHeld: 0 },
    ]);
    expect(await status(handle)).toMatchObject({ phase: 'closed', outcome: 'declined' });
  });

  it('reminds an unanswered endorsement twice, escalates it, and extends it on the coordinator’s word', async () => {
    const { handle } = await waitingForEndorsement();
    const wf = handle.workflowId;
    // Due once its invitation has gone out (the step is listed a moment before, without a due time).
    let dueAt: string | undefined;
    await expect.poll(async () => (dueAt = (await openStep(handle, 'endorsement')).dueAt)).toBeDefined();
    const reminders = () => t.stubs.emails(wf).filter((e) => e.template === 'form-reminder');

    await t.sleepUntil(dueAt!, -60_000);
    expect(reminders()).toHaveLength(0);
    await t.sleep(2 * 60_000);
    await expect.poll(async () => (await openStep(handle, 'endorsement')).remindersSent).toBe(1);
    expect(reminders()[0]).toMatchObject({
      key: `${wf}/endorsement/reminder-0-1`,
      to: { managerOf: expect.any(String) },
    });
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await openStep(handle, 'endorsement')).remindersSent).toBe(2);
    await t.sleep(7 * DAY);
    await expect.poll(async () => (await openStep(handle, 'endorsement')).escalated).toBe(true);
    const escalated = await status(handle);
    expect(escalated.waitingFor).toBe('coordinator');
    expect(escalated.open[0]!.dueAt).toBeUndefined();
    expect(t.stubs.emails(wf).find((e) => e.template === 'coordinator-step-overdue')).toMatchObject({
      key: `${wf}/endorsement/escalation-0`,
      to: { coordinatorOf: expect.any(String) },
    });
    // Escalated, it waits for the coordinator however long it takes.
    await t.sleep(30 * DAY);
    expect(reminders()).toHaveLength(2);

    await expectRefusal(
      handle.executeUpdate(decideStep, {
        args: [{ stepId: 'endorsement', decision: 'extend', reason: '', by }],
      }),
      Refusal.reasonNeeded,
    );
    await expectRefusal(
      handle.executeUpdate(decideStep, {
        args: [{ stepId: 'endorsement', decision: 'extend', reason: 'On leave', by: { userId: '' } }],
      }),
      Refusal.noActor,
    );
    await expectRefusal(
      handle.executeUpdate(decideStep, {
        args: [{ stepId: 'nothing', decision: 'extend', reason: 'x', by }],
      }),
      Refusal.stepNotOpen,
    );
    await handle.executeUpdate(decideStep, {
      args: [{ stepId: 'endorsement', decision: 'extend', reason: 'Manager on leave', by }],
    });
    await expect.poll(async () => (await status(handle)).waitingFor).toBe('participant');
    expect((await openStep(handle, 'endorsement')).escalated).toBe(false);
    // A new round of reminders.
    await t.sleep(7 * DAY + 60_000);
    await expect.poll(() => reminders().map((e) => e.key)).toContain(`${wf}/endorsement/reminder-1-1`);
    await answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'yes' });
    await waitForPhase(handle, 'interview');
    expect((await status(handle)).endorsed).toBe(true);
  });

  it('goes on to the interview without the endorsement when the coordinator skips it', async () => {
    const { handle } = await waitingForEndorsement();
    await t.sleep(21 * DAY + 60_000);
    await expect.poll(async () => (await openStep(handle, 'endorsement')).escalated).toBe(true);
    await handle.executeUpdate(decideStep, {
      args: [{ stepId: 'endorsement', decision: 'skip', reason: 'Manager unreachable', by }],
    });
    await waitForPhase(handle, 'interview');
    const s = await status(handle);
    expect(s.endorsed).toBeUndefined();
    expect(s.open).toEqual([]);
  });

  it('ends the relationship when the coordinator ends it through the overdue endorsement', async () => {
    const { handle, participantId } = await waitingForEndorsement();
    await t.sleep(21 * DAY + 60_000);
    await expect.poll(async () => (await openStep(handle, 'endorsement')).escalated).toBe(true);
    await handle.executeUpdate(decideStep, {
      args: [{ stepId: 'endorsement', decision: 'end', reason: 'No endorsement in time', by }],
    });
    expect(await handle.result()).toBe('ended-by-coordinator');
    const ended = t.stubs.emails(handle.workflowId).filter((e) => e.template === 'relationship-ended');
    expect(ended.map((e) => [e.to, e.data])).toEqual([
      [{ participantId }, { reason: 'No endorsement in time' }],
    ]);
    const outcomes = t.stubs.of(handle.workflowId).filter((c) => c.name === 'recordOutcome');
    expect(outcomes.map((c) => (c.input as { outcome: string }).outcome)).toEqual(['ended-by-coordinator']);
  });

  it('sends a step’s link again when the coordinator asks, once per request', async () => {
    const { handle } = await waitingForEndorsement();
    await expectRefusal(
      handle.executeUpdate(resendLink, { args: [{ stepId: 'endorsement', by: { userId: '' } }] }),
      Refusal.noActor,
    );
    await expectRefusal(
      handle.executeUpdate(resendLink, { args: [{ stepId: 'address-confirmation', by }] }),
      Refusal.stepNotOpen,
    );
    await handle.executeUpdate(resendLink, { args: [{ stepId: 'endorsement', by }], updateId: 'resend-a' });
    await handle.executeUpdate(resendLink, { args: [{ stepId: 'endorsement', by }], updateId: 'resend-a' });
    await handle.executeUpdate(resendLink, { args: [{ stepId: 'endorsement', by }], updateId: 'resend-b' });
    const resent = t.stubs.emails(handle.workflowId).filter((e) => e.key.includes('/endorsement/resend-'));
    expect(resent.map((e) => e.key.split('/').pop())).toEqual(['resend-resend-a', 'resend-resend-b']);
    expect(resent[0]).toMatchObject({
      template: 'endorsement-request',
      links: { formUrl: { step: 'endorsement' } },
    });
  });

  it('turns away a second application, answers to steps not open, and interviews not due', async () => {
    const { handle } = await waitingForEndorsement();
    await expectRefusal(
      handle.executeUpdate(submitApplication, {
        args: [{ submissionId: randomUUID(), formId: 'mentee-application', formVersion: 1, answers: {} }],
      }),
      Refusal.alreadyApplied,
    );
    await expectRefusal(
      handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] }),
      Refusal.noInterviewWaiting,
    );
    // Never opened, opened for another role, closed and answered, another form version.
    await expectRefusal(
      answer(handle, 'final-evaluation', 'mentee', 'final-evaluation'),
      Refusal.stepNotOpen,
    );
    await expectRefusal(answer(handle, 'endorsement', 'mentee', 'manager-endorsement'), Refusal.stepNotOpen);
    await expectRefusal(
      answer(handle, 'address-confirmation', 'mentee', 'address-confirmation'),
      Refusal.stepAlreadyAnswered,
    );
    await expectRefusal(
      answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'yes' }, 2),
      Refusal.stepFormChanged,
    );
    await expectRefusal(
      answer(handle, 'endorsement', 'manager', 'another-form', { endorse: 'yes' }),
      Refusal.stepFormChanged,
    );
    await answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'yes' });
    await expectRefusal(
      answer(handle, 'endorsement', 'manager', 'manager-endorsement', { endorse: 'no' }),
      Refusal.stepAlreadyAnswered,
    );
    await waitForPhase(handle, 'interview');
    // Only one application was recorded, and one answer to each step.
    const names = t.stubs.of(handle.workflowId).map((c) => c.name);
    expect(names.filter((n) => n === 'recordApplication')).toHaveLength(1);
    expect(names.filter((n) => n === 'recordStepAnswers')).toHaveLength(2);
  });

  it('turns away endings, pauses and pair changes that lack an actor, a reason, or a pair', async () => {
    const { handle, participantId } = await menteeInMatching(t, newProgramme());
    const noOne = { userId: '' };
    await expectRefusal(
      handle.executeUpdate(endRelationship, { args: [{ reason: 'x', by: noOne }] }),
      Refusal.noActor,
    );
    await expectRefusal(
      handle.executeUpdate(endRelationship, { args: [{ reason: '  ', by }] }),
      Refusal.reasonNeeded,
    );
    // Before a pair is made there is no pair to end.
    await expectRefusal(
      handle.executeUpdate(endWithoutFault, { args: [{ role: 'mentee', participantId }] }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(rematchPair, { args: [{ reason: 'Does not work', by }] }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(organisationChanged, { args: [{ change: 'same-unit', by }] }),
      Refusal.noPairToEnd,
    );
    await expectRefusal(
      handle.executeUpdate(organisationChanged, {
        args: [{ change: 'merger' as 'same-unit', by }],
      }),
      Refusal.unknownChange,
    );
    await expectRefusal(handle.executeUpdate(resumeRelationship, { args: [{ by }] }), Refusal.notPaused);
    await expectRefusal(
      handle.executeUpdate(pauseRelationship, { args: [{ reason: '', by }] }),
      Refusal.reasonNeeded,
    );
    await expectRefusal(
      handle.executeUpdate(pauseRelationship, { args: [{ reason: 'Leave', by: noOne }] }),
      Refusal.noActor,
    );
    // Nothing of it reached the workflow: it still waits in matching, unpaused.
    const s = await status(handle);
    expect(s).toMatchObject({ phase: 'matching' });
    expect(s.paused).toBeUndefined();
  });

  it('pauses before a match, telling only the mentee', async () => {
    const { handle, participantId } = await menteeInMatching(t, newProgramme());
    await handle.executeUpdate(pauseRelationship, { args: [{ reason: 'Parental leave', by }] });
    await expectRefusal(
      handle.executeUpdate(pauseRelationship, { args: [{ reason: 'Again', by }] }),
      Refusal.alreadyPaused,
    );
    expect((await status(handle)).paused).toMatchObject({ reason: 'Parental leave' });
    await t.sleep(10 * DAY);
    await handle.executeUpdate(resumeRelationship, { args: [{ by }] });
    expect((await status(handle)).paused).toBeUndefined();
    const told = t.stubs
      .emails(handle.workflowId)
      .filter((e) => e.template === 'relationship-paused' || e.template === 'relationship-resumed');
    expect(told.map((e) => [e.template, e.to])).toEqual([
      ['relationship-paused', { participantId }],
      ['relationship-resumed', { participantId }],
    ]);
    // No meeting yet, so the resume carries no calendar entry.
    expect(told[1]!.meeting).toBeUndefined();
  });

  it('keeps the programme’s settings as they were when the mentee applied', async () => {
    const settings = { ...DEFAULT_SETTINGS, managerEndorsement: false, formReminders: 1 };
    const { handle } = await startMentee(t, newProgramme(), settings);
    await waitForPhase(handle, 'interview');
    expect((await status(handle)).settings).toEqual(settings);
  });
});
