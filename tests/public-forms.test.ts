/**
 * Abuse of the public application forms: nothing goes to a manager before the applicant confirmed
 * their own address through the emailed link, an applicant cannot name themselves as their manager,
 * and one address can send only so many applications to a programme in an hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationshipStatus } from '../workflows/messages.js';
import { applyAsMentee, expectReplays, linkIn, mailTo, useSettings, waitForMail } from './helpers/flows.js';
import { Browser, hiddenValue, menteeAnswers } from './helpers/http.js';
import { backends, extraApi, startStack, type Stack } from './helpers/stack.js';

const backend = backends()[0]!;

describe('the public application form', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend, { PUBLIC_FORM_LIMIT: '6' });
    // As a real programme is: the applicant confirms the address before the manager hears of it.
    // Its people work at example.org.
    await useSettings(stack, {
      confirmAddress: true,
      formReminderAfter: 'PT10M',
      emailDomains: ['example.org'],
    });
  });
  afterAll(async () => stack?.close());

  const applyUrl = () => `${stack.baseUrl}/programs/${stack.programId}/apply`;
  async function send(answers: Record<string, string | string[]>) {
    const browser = new Browser();
    const form = await browser.get(applyUrl());
    return browser.post(applyUrl(), { ...answers, submissionId: hiddenValue(form, 'submissionId') });
  }

  it('writes to the manager only after the applicant confirmed the address from the emailed link', async () => {
    const { workflowId } = await applyAsMentee(stack, {
      name: 'Vera Vik',
      email: 'vera@example.org',
      managerEmail: 'boss.vera@example.org',
    });
    await waitForMail(stack, 'vera@example.org', 'Please confirm your mentoring application');
    // The manager gets nothing while the address is unconfirmed: the workflow waits on the confirmation
    // step alone, still in the application phase, so no endorsement request has been asked for at all.
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect
      .poll(async () => (await handle.query(relationshipStatus)).open.map((step) => step.stepId))
      .toEqual(['address-confirmation']);
    expect((await handle.query(relationshipStatus)).phase).toBe('application');
    expect(
      await stack.sql`select 1 from email_outbox where recipient = 'boss.vera@example.org'`,
    ).toHaveLength(0);
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes('boss.vera@example.org'))).toBe(
      false,
    );
    const confirm = (await mailTo(stack, 'vera@example.org', 2)).find(
      (m) => m.subject === 'Please confirm your mentoring application',
    )!;
    const browser = new Browser();
    const page = await browser.get(linkIn(confirm, 'f'));
    expect(page.text).toContain('this email address is mine');
    const done = await browser.post(linkIn(confirm, 'f'), {
      confirm: 'yes',
      submissionId: hiddenValue(page, 'submissionId'),
    });
    expect(done.status, done.text).toBe(200);
    await waitForMail(stack, 'boss.vera@example.org', 'Please endorse a mentoring application');
    await expectReplays(stack, workflowId, 'address-confirmed-before-manager');
  });

  it('refuses an applicant who names their own address as their manager’s, keeping what was typed', async () => {
    const page = await send(
      menteeAnswers({ name: 'Sam Self', email: 'sam@example.org', managerEmail: 'SAM@example.org' }),
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain("enter your manager's address, not your own");
    expect(page.html).toContain('value="Sam Self"');
    expect(
      await stack.sql`select 1 from participants where email = 'sam@example.org' and program_id = ${stack.programId}`,
    ).toHaveLength(0);
  });

  it('refuses addresses outside the programme’s email domains, naming the field', async () => {
    const outside = await send(menteeAnswers({ name: 'Out Side', email: 'out@elsewhere.com' }));
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('Your work email: use your address at example.org.');
    const manager = await send(
      menteeAnswers({ name: 'In Side', email: 'in@example.org', managerEmail: 'boss@elsewhere.com' }),
    );
    expect(manager.status).toBe(400);
    expect(manager.text).toContain("Your daily manager's email: use an address at example.org.");
    expect(stack.smtp.messages.some((m) => JSON.stringify(m.to).includes('elsewhere.com'))).toBe(false);
  });

  it('takes only so many applications from one address to one programme in an hour', async () => {
    // Four were sent above (three refused); the limit is six an hour.
    for (const n of [1, 2]) {
      const page = await send(
        menteeAnswers({ name: `Many ${n}`, email: `many${n}@example.org`, managerEmail: 'boss@example.org' }),
      );
      expect(page.status, page.text).toBe(200);
    }
    const refused = await send(
      menteeAnswers({ name: 'Many 3', email: 'many3@example.org', managerEmail: 'boss@example.org' }),
    );
    expect(refused.status).toBe(429);
    expect(
      await stack.sql`select 1 from participants where email = 'many3@example.org' and program_id = ${stack.programId}`,
    ).toHaveLength(0);

    // Another API instance behind the same load balancer counts against the same limit: no fresh six.
    const other = await extraApi(stack);
    try {
      const url = `${other.url}/programs/${stack.programId}/apply`;
      const browser = new Browser();
      const form = await browser.get(url);
      const elsewhere = await browser.post(url, {
        ...menteeAnswers({ name: 'Many 4', email: 'many4@example.org', managerEmail: 'boss@example.org' }),
        submissionId: hiddenValue(form, 'submissionId'),
      });
      expect(elsewhere.status).toBe(429);
    } finally {
      await other.app.close();
    }
    // The count is kept under a hash: no client address is stored.
    const keys = await stack.sql<{ key: string }[]>`select key from rate_limits`;
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.map((k) => k.key).join(' ')).not.toMatch(/127\.0\.0\.1|::1/);
  });
});
