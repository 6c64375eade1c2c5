/**
 * A 24-meeting relationship (the seeds' two years, one meeting a month) with each month compressed to
 * a second: the exact sequence of phases, every email once, the worker restarted twice on the way,
 * and the history of its single run well below Temporal's limits.
 */
import protos, { type temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerLatest,
  expectReplays,
  mailTo,
  matchedMentee,
  pooledMentor,
  waitForMail,
  AGREEMENT,
  useSettings,
} from './helpers/flows.js';
import { startStack, type Stack } from './helpers/stack.js';

const { EventType } = protos.temporal.api.enums.v1;
const evaluation = { goals: '5', satisfaction: '5', summary: 'Two good years.', trainingNeeds: '' };

/** The Phase search attribute's values in the order the workflow set them. */
function phases(history: temporal.api.history.v1.IHistory): string[] {
  const seen: string[] = [];
  for (const event of history.events ?? []) {
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
    const mentor = await pooledMentor(stack, 'pia@example.org', 'Pia Tafdrup');
    const relationship = await matchedMentee(stack, 'rolf@example.org', mentor);
    await answerLatest(stack, 'rolf@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await answerLatest(stack, 'pia@example.org', 'Your mentoring agreement', AGREEMENT, 4);

    await waitForMail(stack, 'rolf@example.org', 'Mentoring meeting 6 of 24');
    await stack.restartWorker();
    await waitForMail(stack, 'rolf@example.org', 'Mentoring meeting 15 of 24');
    await stack.restartWorker();
    await waitForMail(stack, 'rolf@example.org', 'Final evaluation', 60_000);
    await answerLatest(stack, 'rolf@example.org', 'Final evaluation', evaluation, 30);
    await answerLatest(stack, 'pia@example.org', 'Final evaluation', evaluation, 28);
    expect(await relationship.result()).toBe('completed');

    const history = await relationship.fetchHistory();
    expect(phases(history)).toEqual([
      'application',
      'interview',
      'matching',
      'kickoff',
      'meetings',
      'closure',
      'closed',
    ]);
    const events = history.events?.length ?? 0;
    console.log(`history events in the single run of a 24-meeting relationship: ${events}`);
    expect(events).toBeLessThan(4096);

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
    await expectReplays(stack, relationship.workflowId, 'two-years-compressed');
  }, 180_000);
});
