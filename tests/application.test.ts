/**
 * The first slice end to end, on real HTTP, the real Temporal dev server, a real database and a real
 * SMTP server: apply, receive both emails, follow the status link, resubmit.
 */
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Browser, eventually, hiddenValue, menteeAnswers } from './helpers/http.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('a mentee applies (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
  });
  afterAll(async () => stack?.close());

  it('submits the form, gets both emails, follows the status link, and a resubmission starts nothing new', async () => {
    const browser = new Browser();
    const applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
    const form = await browser.get(applyUrl);
    expect(form.status).toBe(200);
    // Every input has a label, and the form works without JavaScript: a plain POST back to itself.
    const formEl = form.doc.querySelector('main form')!;
    expect(formEl.getAttribute('method')).toBe('post');
    expect(form.doc.querySelectorAll('script')).toHaveLength(0);
    for (const input of form.doc.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      const id = input.getAttribute('id');
      expect(id, input.toString()).toBeTruthy();
      expect(form.doc.querySelector(`label[for=${id}]`), `label for ${id}`).toBeTruthy();
    }

    const submission = { ...menteeAnswers(), submissionId: hiddenValue(form, 'submissionId') };
    const first = await browser.post(new URL(formEl.getAttribute('action')!, applyUrl).href, submission);
    expect(first.status).toBe(200);
    const reference = /Your reference is (\w{8})/.exec(first.text)?.[1];
    expect(reference).toBeTruthy();

    const mail = await stack.smtp.waitFor((m) => m.length >= 3);
    const toApplicant = mail.find((m) => m.to && JSON.stringify(m.to).includes('ada.lovelace@example.org'));
    const toCoordinator = mail.find((m) => m.to && JSON.stringify(m.to).includes(COORDINATOR_EMAIL));
    expect(toApplicant?.subject).toBe('Your mentoring application is received');
    expect(toCoordinator?.subject).toMatch(/^New mentee application: /);
    const toManager = mail.find((m) => JSON.stringify(m.to).includes('charles.babbage@example.org'));
    expect(toManager?.subject).toMatch(/^Please endorse a mentoring application: /);
    expect(toManager?.text).toContain(`${stack.baseUrl}/f/`);
    // Subjects carry no names; links are absolute and built from PUBLIC_URL.
    expect(toCoordinator!.text).toContain(`${stack.baseUrl}/admin/programs/${stack.programId}`);
    const statusUrl = /(http\S+\/s\/\S+)/.exec(toApplicant!.text ?? '')?.[1];
    expect(statusUrl?.startsWith(`${stack.baseUrl}/s/`)).toBe(true);
    expect(toApplicant!.html).toContain(`href="${statusUrl}"`);

    const status = await browser.get(statusUrl!);
    expect(status.status).toBe(200);
    expect(status.text).toContain(reference!);
    expect(status.doc.querySelector('[aria-current=step]')?.textContent).toBe('Manager endorsement');
    expect(status.headers.get('cache-control')).toBe('no-store');
    expect(status.headers.get('referrer-policy')).toBe('no-referrer');

    // The same form sent again (a double click, a browser retry): the same answer, nothing new.
    const again = await browser.post(new URL(formEl.getAttribute('action')!, applyUrl).href, submission);
    expect(again.status).toBe(200);
    expect(again.text).toContain(reference!);

    const query = `ProgramId = "${stack.programId}"`;
    const listed = await eventually(
      async () => {
        const found = [];
        for await (const wf of stack.client.workflow.list({ query })) found.push(wf);
        return found;
      },
      (found) => found.length > 0,
    );
    expect(listed).toHaveLength(1);
    // The page of the resubmission showed the receipt, the result of the workflow Update that took the
    // application; its answers are stored a moment later. One row and one run say nothing new began.
    const count = async () =>
      (
        (await stack.sql`select count(*)::int as n from applications where program_id = ${stack.programId}`) as unknown as [
          { n: number },
        ]
      )[0].n;
    expect(await eventually(count, (n) => n > 0)).toBe(1);
    const applicant = await stack.client.workflow.getHandle(listed[0]!.workflowId).describe();
    expect(applicant.runId).toBe(listed[0]!.runId);
    // Visibility lags; the row count above is the check that does not.
    expect((await stack.client.workflow.count(query)).count).toBe(1);
    expect(stack.smtp.messages.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/^New mentee application: /),
      expect.stringMatching(/^Please endorse a mentoring application: /),
      'Your mentoring application is received',
    ]);

    // No personal data where Temporal cannot encrypt it: the workflow id and the search attributes.
    const wf = listed[0]!;
    const visible = JSON.stringify({
      id: wf.workflowId,
      sa: wf.searchAttributes,
      typed: wf.typedSearchAttributes,
    });
    for (const personal of [
      'Ada',
      'Lovelace',
      'ada.lovelace',
      'example.org',
      'Analytical',
      'London',
      'babbage',
    ]) {
      expect(visible).not.toContain(personal);
    }
    expect(wf.workflowId).toMatch(new RegExp(`^relationship-${stack.programId}-[0-9a-f-]{36}$`));

    // The recorded history replays against today's workflow code.
    const history = await stack.client.workflow.getHandle(wf.workflowId).fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: stack.shared.dataConverter },
      history,
      wf.workflowId,
    );
  });

  it('refuses a different second application from the same address with 409 and keeps the first', async () => {
    const browser = new Browser();
    const applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
    const form = await browser.get(applyUrl);
    const second = await browser.post(applyUrl, {
      ...menteeAnswers({ email: 'ADA.Lovelace@example.org', goals: 'Something else entirely' }),
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(second.status).toBe(409);
    expect(second.text).toContain('already registered');
    const rows =
      await stack.sql`select answers->>'goals' as goals from applications where program_id = ${stack.programId}`;
    expect(rows.map((r) => r.goals)).toEqual(['Learn to give feedback & run <b>meetings</b>.']);
  });
});
