/**
 * A service the API needs is down for a moment: the person gets a 503 that says to try again, with
 * the form as typed and its submission id, and sending that same form once the service is back
 * stores it once. The errors are real ones: a Temporal client and a PostgreSQL client aimed at a port
 * where nothing listens.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../api/app.js';
import type { Services } from '../api/types.js';
import { freePort } from '../platform/temporal/dev-server.js';
import { isUnavailable, isWorkflowTaskFailing, patiently, waitingOut } from '../platform/unavailable.js';
import { statusOf } from '../services/workflow-status.js';
import { mentorStatus, relationshipStatus } from '../workflows/messages.js';
import { pooledMentor } from './helpers/flows.js';
import { Browser, hiddenValue, menteeAnswers } from './helpers/http.js';
import { startStack, type Stack } from './helpers/stack.js';

describe('when a service is down for a moment', () => {
  let stack: Stack;
  let deadPort: number;
  beforeAll(async () => {
    stack = await startStack('pglite');
    deadPort = await freePort();
  });
  afterAll(async () => stack?.close());

  it('tells the errors of an unreachable service from the errors of a bug', async () => {
    const nowhere = postgres(`postgres://x:y@127.0.0.1:${deadPort}/x`, { connect_timeout: 2, max: 1 });
    const refused = await nowhere`select 1`.catch((err: unknown) => err);
    await nowhere.end();
    expect(isUnavailable(refused)).toBe(true);
    const bug = await stack.sql`select * from no_such_table`.catch((err: unknown) => err);
    expect(isUnavailable(bug)).toBe(false);
    expect(isUnavailable(new Error('boom'))).toBe(false);
  });

  it('waits out an unavailable service for a while, and gives up at once on anything else', async () => {
    const nowhere = postgres(`postgres://x:y@127.0.0.1:${deadPort}/x`, { connect_timeout: 2, max: 1 });
    let calls = 0;
    // Down for the first two tries (a real refused connection), then back.
    const attempt = async () =>
      (++calls <= 2 ? nowhere`select 1` : stack.sql`select 1 as back`).then((r) => r[0]);
    expect(await waitingOut(attempt, 30_000, () => Promise.resolve())).toEqual({ back: 1 });
    expect(calls).toBe(3);
    await nowhere.end();
    let tries = 0;
    const bug = () => {
      tries++;
      return stack.sql`select * from no_such_table`;
    };
    await expect(waitingOut(bug, 30_000, () => Promise.resolve())).rejects.toThrow('no_such_table');
    expect(tries).toBe(1);
  });

  it('answers 503 with the application as typed, and the same form sent later is stored once', async () => {
    const temporal = new Client({
      connection: Connection.lazy({ address: `127.0.0.1:${deadPort}` }),
      dataConverter: stack.shared.dataConverter,
    });
    const services: Services = {
      config: stack.config,
      sql: stack.sql,
      temporal,
      taskQueue: stack.taskQueue,
      views: stack.shared.views,
      signer: stack.shared.signer,
      codec: stack.shared.codec,
    };
    const app = await buildApi(services, { devMailbox: false, logger: false });
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    try {
      const url = (base: string) => `${base}/programs/${stack.programId}/apply`;
      const browser = new Browser();
      const form = await browser.get(url(`http://127.0.0.1:${port}`));
      const submissionId = hiddenValue(form, 'submissionId');
      const answers = menteeAnswers({ email: 'noor@example.org', name: 'Noor Haddad' });
      const page = await browser.post(url(`http://127.0.0.1:${port}`), { ...answers, submissionId });

      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('30');
      expect(page.text).toContain('Please try again in a minute');
      expect(page.doc.querySelector('#f-name')?.getAttribute('value')).toBe('Noor Haddad');
      expect(page.doc.querySelector('#f-reasons')?.textContent).toBe(answers.reasons);
      expect(hiddenValue(page, 'submissionId')).toBe(submissionId);
      // The instance says so to its load balancer and to Prometheus.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ok: false, database: 'ok', temporal: 'unavailable' });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^mentorflow_temporal_call_errors_total\{reason="unavailable"\} [1-9]/m);

      // Back again: the same form, as the page now holds it, reaches the workflow once.
      const again = await browser.post(url(stack.baseUrl), { ...answers, submissionId });
      expect([200, 202]).toContain(again.status);
      const twice = await browser.post(url(stack.baseUrl), { ...answers, submissionId });
      expect([200, 202]).toContain(twice.status);
      await expect
        .poll(
          async () =>
            (
              await stack.sql`select count(*)::int as n from applications where submission_id = ${submissionId}`
            )[0]!.n,
        )
        .toBe(1);
    } finally {
      await app.close();
      await temporal.connection.close();
    }
  });

  it('a page that cannot be drawn says to try again, with 503', async () => {
    const nowhere = postgres(`postgres://x:y@127.0.0.1:${deadPort}/x`, { connect_timeout: 2, max: 1 });
    const services: Services = {
      config: stack.config,
      sql: nowhere,
      temporal: stack.client,
      taskQueue: stack.taskQueue,
      views: stack.shared.views,
      signer: stack.shared.signer,
      codec: stack.shared.codec,
    };
    const app = await buildApi(services, { devMailbox: false, logger: false });
    try {
      const res = await app.inject({ url: `/programs/${stack.programId}/apply?lang=sv` });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.body).toContain('Tjänsten är upptagen en liten stund');
    } finally {
      await app.close();
      await nowhere.end();
    }
  });

  /**
   * The error a Query gets, asked with a short deadline: until the server counts the workflow's task as
   * failing (a retry or two after its first failure), a Query waits for a task that never completes.
   */
  const queryError = (query: () => Promise<unknown>) =>
    stack.client.withDeadline(Date.now() + 2_000, query).then(
      () => undefined,
      (err: unknown) => err,
    );

  it('a workflow whose task keeps failing is a 503 too, not a 500', async () => {
    // A real failing task, in a workflow that never published its status (its very first task fails:
    // it was started without its input), so the page has to ask it by Query. The server refuses the
    // queries of a workflow whose task is failing.
    const stuck = await stack.client.workflow.start('relationshipWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `relationship-stuck-${Date.now()}`,
    });
    const asked = () => queryError(() => stuck.query(relationshipStatus));
    await expect.poll(async () => isWorkflowTaskFailing(await asked()), { timeout: 30_000 }).toBe(true);
    expect(isUnavailable(await asked())).toBe(false);

    const token = stack.shared.signer.sign({
      p: 'status',
      wf: stuck.workflowId,
      step: 'status',
      role: 'mentee',
      ttlSeconds: 60,
    });
    const page = await new Browser().get(`${stack.baseUrl}/s/${token}`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('30');
    expect(page.text).toContain('Please try again in a minute');
    await stuck.terminate('a test workflow that cannot go on');
  });

  it('a workflow that published its status shows it even while its task keeps failing', async () => {
    // A signal without its argument makes the mentor's handler throw on every retry of the task.
    const mentor = await pooledMentor(stack, 'stuck.mentor@example.org', 'Stuck Mentor');
    await mentor.signal('relationshipEnded');
    await expect
      .poll(async () => isWorkflowTaskFailing(await queryError(() => mentor.query(mentorStatus))), {
        timeout: 30_000,
      })
      .toBe(true);
    expect((await statusOf(mentor, mentorStatus)).phase).toBe('pool');
    await mentor.terminate('a test workflow that cannot go on');
  });

  it('asks a busy workflow again while its calls time out, and gives up at once on anything else', async () => {
    // No worker polls this queue: a Query waits until its deadline, as one to a busy worker does.
    const busy = await stack.client.workflow.start('nobodyRunsThis', {
      taskQueue: `nobody-${Date.now()}`,
      workflowId: `busy-${Date.now()}`,
    });
    let attempts = 0;
    const timedOut = await patiently(() => {
      attempts++;
      return stack.client.withDeadline(Date.now() + 1000, () => busy.query('status'));
    }, 2_500).catch((err: unknown) => err);
    // Asked again at least once after a timed-out call (how often depends on the machine's load).
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(isUnavailable(timedOut), `${String(timedOut)} ${JSON.stringify(timedOut)}`).toBe(true);
    await busy.terminate('a test workflow');
    // A gRPC server may give up early, before the client's deadline, with CANCELLED: also out of time.
    let cancelledCalls = 0;
    const early = Object.assign(new Error('context canceled'), {
      code: 1,
      details: 'context canceled',
      metadata: {},
    });
    await expect(
      patiently(() => {
        cancelledCalls++;
        return Promise.reject(early);
      }, 100),
    ).rejects.toBe(early);
    expect(cancelledCalls).toBeGreaterThanOrEqual(2);
    expect(isUnavailable(early)).toBe(true);

    let tries = 0;
    const missing = stack.client.workflow.getHandle(`no-such-workflow-${Date.now()}`);
    await expect(
      patiently(() => {
        tries++;
        return missing.query('status');
      }, 10_000),
    ).rejects.toThrow(WorkflowNotFoundError);
    expect(tries).toBe(1);
  });
});
