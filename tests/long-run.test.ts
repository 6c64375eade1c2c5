/**
 * A 24-meeting relationship (the seeds' two years, one meeting a month) with each month compressed to
 * a second: the exact sequence of phases, every email once, the worker restarted twice on the way,
 * two runs (handing over at the mid-point) each well below Temporal's limits, and a form link from
 * the first run still answered in the second.
 */
import protos, { type temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationshipStatus } from '../workflows/messages.js';
import { Browser } from './helpers/http.js';
import {
  answerForm,
  answerLatest,
  expectReplays,
  linkIn,
  mailTo,
  waitForMail,
  useSettings,
  runHistories,
  signedPair,
  subjectIs,
} from './helpers/flows.js';
import { startStack, type Stack } from './helpers/stack.js';

const { EventType } = protos.temporal.api.enums.v1;
const evaluation = { goals: '5', satisfaction: '5', summary: 'Two good years.', trainingNeeds: '' };

/** The Phase search attribute's values in the order the workflow set them. */
function phases(runs: temporal.api.history.v1.IHistory[]): string[] {
  const seen: string[] = [];
  for (const event of runs.flatMap((history) => history.events ?? [])) {
    const fields =
      event.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
        ? event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
        : event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
          ? event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields
          : undefined;
    const phase = fields?.Phase?.data;
    if (phase) {
      const value = (JSON.parse(Buffer.from(phase).toString()) as string[] | string).toString();
      if (seen.at(-1) !== value) seen.push(value);
    }
  }
  return seen;
}

describe('two years of monthly meetings, compressed', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
    await useSettings(stack, {
      duration: 'PT24S',
      meetingCadence: 'PT1S',
      meetingReminderBefore: 'PT0.5S',
      formReminderAfter: 'PT10M',
      managerEndorsement: false,
    });
  });
  afterAll(async () => stack?.close());

  it('runs 24 meetings through closure, survives worker restarts without a duplicate email, and stays small', async () => {
    const { relationship } = await signedPair(stack, 'rolf@example.org', 'pia@example.org', 'Pia Tafdrup');

    await waitForMail(stack, 'rolf@example.org', 'Mentoring meeting 6 of 24');
    await stack.restartWorker();
    await waitForMail(stack, 'rolf@example.org', 'Mentoring meeting 15 of 24');
    // The log of meeting 1 was opened in the first run; its link names the workflow, so it still works.
    const firstLog = (await mailTo(stack, 'rolf@example.org', 20)).find(
      (m) => m.subject === 'Log of meeting 1',
    )!;
    const logged = await answerForm(linkIn(firstLog, 'f'), {
      held: 'yes',
      date: '2027-02-01',
      topics: 'Getting started.',
      learning: 'How to plan a first month.',
    });
    expect(logged.status, logged.text).toBe(200);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).meetings?.held).toBe(1);
    // The query tells what is due next and when: the next meeting, and each open form's next reminder.
    // Meeting 15 has been reminded, so the next is that one or a later one: compared with meeting 15's
    // start in its calendar entry, not the wall clock, which a busy machine's workflow may lag behind.
    const now = await relationship.query(relationshipStatus);
    const fifteenth = (await mailTo(stack, 'rolf@example.org', 20)).find(
      (m) => m.subject === 'Mentoring meeting 15 of 24',
    )!;
    const start = /DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(
      fifteenth.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString(),
    )!;
    const fifteenthAt = Date.UTC(+start[1]!, +start[2]! - 1, +start[3]!, +start[4]!, +start[5]!, +start[6]!);
    expect(Date.parse(now.meetings!.nextAt!)).toBeGreaterThanOrEqual(fifteenthAt);
    expect(now.meetings!.number).toBeGreaterThanOrEqual(15);
    // (A step whose invitation is still on its way has no reminder time yet.)
    const waiting = now.open.filter((step) => step.dueAt !== undefined);
    expect(waiting.length).toBeGreaterThan(0);
    for (const step of waiting) expect(Date.parse(step.dueAt!)).toBeGreaterThan(Date.parse(step.openedAt));
    const agreement = (await mailTo(stack, 'rolf@example.org', 4)).find((m) =>
      subjectIs(m.subject, 'Your mentoring agreement'),
    )!;
    const again = await new Browser().get(linkIn(agreement, 'f'));
    expect(again.text).toContain('We already have your answer');
    await stack.restartWorker();
    await waitForMail(stack, 'rolf@example.org', 'Final evaluation', 60_000);
    await answerLatest(stack, 'rolf@example.org', 'Final evaluation', evaluation, 30);
    await answerLatest(stack, 'pia@example.org', 'Final evaluation', evaluation, 28);
    expect(await relationship.result()).toBe('completed');

    const runs = await runHistories(stack, relationship.workflowId);
    expect(phases(runs)).toEqual([
      'application',
      'interview',
      'matching',
      'kickoff',
      'meetings',
      'closure',
      'closed',
    ]);
    const events = runs.map((history) => history.events?.length ?? 0);
    console.log(`history events of each run of a 24-meeting relationship: ${events.join(', ')}`);
    expect(events).toHaveLength(2);
    expect(Math.max(...events)).toBeLessThan(4096);

    const mentee = (await mailTo(stack, 'rolf@example.org', 56)).map((m) => m.subject!);
    const reminders = mentee.filter((s) => s.startsWith('Mentoring meeting'));
    expect(reminders).toEqual(Array.from({ length: 24 }, (_, i) => `Mentoring meeting ${i + 1} of 24`));
    expect(mentee.filter((s) => s.startsWith('Log of meeting'))).toHaveLength(24);
    expect(mentee.at(-1)).toBe('Your mentoring relationship is closed');
    // Every email once, across two worker restarts: no (recipient, subject) pair twice.
    const sent = stack.smtp.messages.map((m) => `${JSON.stringify(m.to)} ${m.subject}`);
    expect(sent.length).toBe(new Set(sent).size);
    const [{ n }] =
      (await stack.sql`select count(*)::int as n from email_outbox where sent_at is null`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(0);
    await expectReplays(stack, relationship.workflowId, 'two-years-in-two-runs');
  }, 180_000);
});
