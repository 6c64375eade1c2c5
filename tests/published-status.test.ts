/**
 * Workflows publish their status in the memo, and participants' pages read it from there: a status or
 * form link opens while no worker runs (a deploy, a crash), and opening it sends the workflow nothing.
 * Before, each page asked by Query; one sent while the worker was gone waited for it, and the way the
 * SDK answered it on the worker's return led to the nondeterminism errors the worker-kill drill found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus } from '../services/workflow-status.js';
import { mentorStatus, relationshipStatus, STATUS_MEMO } from '../workflows/messages.js';
import {
  AGREEMENT,
  answerLatest,
  expectReplays,
  linkIn,
  mailTo,
  matchedMentee,
  pooledMentor,
  useSettings,
  waitForMail,
  subjectIs,
} from './helpers/flows.js';
import { Browser, hiddenValue } from './helpers/http.js';
import { backends, startStack, type Stack } from './helpers/stack.js';

describe.each(backends().slice(0, 1))('status published in the memo (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
  });
  afterAll(async () => stack?.close());

  it('pages open while no workflow worker runs, and the memo follows every change', async () => {
    const mentor = await pooledMentor(stack, 'published.mentor@example.org', 'Mentor Published');
    const relationship = await matchedMentee(stack, 'published.mentee@example.org', mentor);
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).phase, { timeout: 20_000 })
      .toBe('kickoff');
    const mails = await mailTo(stack, 'published.mentee@example.org', 4);
    const statusLink = linkIn(mails[0]!, 's');
    const agreementLink = linkIn(
      mails.find((m) => subjectIs(m.subject, 'Your mentoring agreement'))!,
      'f',
    );

    // The memo says what the Query says (once the workflow task under way, if any, has completed), for
    // the relationship and for the mentor.
    await waitForMail(stack, 'published.mentor@example.org', 'Your mentoring agreement');
    const readBoth = async () => ({
      memo: (await readStatus(relationship, relationshipStatus)).status,
      query: await relationship.query(relationshipStatus),
    });
    await expect
      .poll(async () => {
        const { memo, query } = await readBoth();
        return JSON.stringify(memo) === JSON.stringify(query);
      })
      .toBe(true);
    const published = await readStatus(relationship, relationshipStatus);
    expect(published.running).toBe(true);
    expect(published.status.open.map((s) => s.role).sort()).toEqual(['mentee', 'mentor']);
    expect((await readStatus(mentor, mentorStatus)).status.relationships).toEqual([relationship.workflowId]);

    // Without a workflow worker, a Query could not be answered (the pages said "try again" after 45 s).
    await stack.replaceWorker('activities');
    const browser = new Browser();
    const started = Date.now();
    const status = await browser.get(statusLink);
    expect(status.status, status.text).toBe(200);
    expect(status.text).toContain('Agree on your goals together');
    const form = await browser.get(agreementLink);
    expect(form.status, form.text).toBe(200);
    expect(form.text).toContain('I sign this agreement');
    expect(hiddenValue(form, 'submissionId')).toMatch(/\S/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The pages asked the workflow nothing: its history has no task waiting for a worker.
    const { raw } = await relationship.describe();
    expect(raw.pendingWorkflowTask ?? null).toBeNull();

    await stack.replaceWorker('both');
    await answerLatest(stack, 'published.mentee@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await answerLatest(stack, 'published.mentor@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await expect
      .poll(async () => (await relationship.describe()).memo?.[STATUS_MEMO], { timeout: 20_000 })
      .toMatchObject({ phase: 'meetings', open: [] });
    const { memo, query } = await readBoth();
    expect(memo).toEqual(query);
    await expectReplays(stack, relationship.workflowId, 'status-published');
  });
});
