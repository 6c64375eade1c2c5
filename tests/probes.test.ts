/**
 * What a load balancer and Prometheus see of an API instance: `/livez`, `/readyz` (database and
 * Temporal checked, failing while the instance drains), and `/metrics` whose counters move as people
 * send forms. (That `/readyz` fails while PostgreSQL is down and recovers after is shown by the
 * PostgreSQL outage drill, which stops a real server.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenValue, menteeAnswers } from './helpers/http.js';
import { serveWorkerHealth } from '../worker/health.js';
import { startStack, type Stack } from './helpers/stack.js';

/** The value of one sample of the exposition text, 0 when it is not there yet. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('probes and metrics of an API instance', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(async () => stack?.close());
  const metrics = async () => (await fetch(`${stack.baseUrl}/metrics`)).text();

  it('answers /livez and /readyz with what it checked', async () => {
    expect(await (await fetch(`${stack.baseUrl}/livez`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${stack.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, draining: false, database: 'ok', temporal: 'ok' });
  });

  it('counts form submissions accepted and refused, request durations by route, and the outbox', async () => {
    const before = await metrics();
    const browser = new Browser();
    const applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
    const form = await browser.get(applyUrl);
    const action = new URL(form.doc.querySelector('main form')!.getAttribute('action')!, applyUrl).href;
    const refused = await browser.post(action, {
      ...menteeAnswers(),
      email: 'not an address',
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(refused.status).toBe(400);
    const accepted = await browser.post(action, {
      ...menteeAnswers(),
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(accepted.status).toBe(200);
    await stack.smtp.waitFor((m) => m.length >= 3);

    const after = await metrics();
    const submissions = 'mentorflow_form_submissions_total';
    expect(sample(after, submissions, '{outcome="accepted"}')).toBe(
      sample(before, submissions, '{outcome="accepted"}') + 1,
    );
    expect(sample(after, submissions, '{outcome="refused"}')).toBe(
      sample(before, submissions, '{outcome="refused"}') + 1,
    );
    const route = 'route="/programs/:programId/apply"';
    expect(
      sample(after, 'mentorflow_http_request_duration_seconds_count', `{method="GET",${route},status="200"}`),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'mentorflow_emails_sent_total')).toBeGreaterThanOrEqual(3);
    await expect
      .poll(async () => sample(await metrics(), 'mentorflow_outbox_emails', '{state="sent"}'))
      .toBeGreaterThanOrEqual(3);
    // The exposition names no person and carries no link token: link routes appear as their patterns
    // (`/f/:token`), never as a path with the token in it.
    expect(after).not.toMatch(/example\.org|\/[fsm]\/[^:]/);
  });

  it('gives the worker its own /livez, /readyz and /metrics, with the emails it sent', async () => {
    const health = await serveWorkerHealth({
      port: 0,
      host: '127.0.0.1',
      worker: stack.worker,
      sql: stack.sql,
    });
    try {
      const base = `http://127.0.0.1:${health.port}`;
      expect(await (await fetch(`${base}/livez`)).json()).toEqual({ ok: true });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, worker: 'RUNNING', database: 'ok' });
      // The application above made this process's worker send three emails.
      expect(
        sample(await (await fetch(`${base}/metrics`)).text(), 'mentorflow_emails_sent_total'),
      ).toBeGreaterThanOrEqual(3);
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    } finally {
      health.server.close();
    }
  });

  it('fails /readyz while it drains, and serves no metrics in production without the token', async () => {
    const app = stack.app;
    app.lifecycle.draining = true;
    try {
      const draining = await fetch(`${stack.baseUrl}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ ok: false, draining: true, database: 'ok' });
      // Still live, and still serving the people already sent here.
      expect((await fetch(`${stack.baseUrl}/livez`)).status).toBe(200);
    } finally {
      app.lifecycle.draining = false;
    }
    expect((await fetch(`${stack.baseUrl}/readyz`)).status).toBe(200);

    const config = stack.config;
    const was = { env: config.env, metricsToken: config.metricsToken };
    try {
      config.env = 'production';
      expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(404);
      config.metricsToken = 'a-token-for-prometheus';
      expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(404);
      const scraped = await fetch(`${stack.baseUrl}/metrics`, {
        headers: { authorization: 'Bearer a-token-for-prometheus' },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('# TYPE mentorflow_form_submissions_total counter');
    } finally {
      Object.assign(config, was);
    }
  });
});
