/** Emails go out once per key, even when the activity runs again after a crash or an SMTP outage. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.js';
import { activityDeps, mailerFor } from '../lib/services.js';
import { startStack, type Stack } from './helpers/stack.js';
import { startSmtp } from './helpers/smtp.js';

describe('the email activity', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(async () => stack?.close());

  const env = () =>
    new MockActivityEnvironment({ workflowExecution: { workflowId: 'relationship-x-1', runId: 'r' } });

  it('sends each key once however often it runs', async () => {
    const activities = createActivities(
      activityDeps(
        stack.config,
        stack.shared,
        mailerFor(stack.config, () => {}),
      ),
    );
    const input = {
      key: `k-${Date.now()}`,
      template: 'coordinator-new-application',
      adminPaths: { programUrl: `admin/programs/${stack.programId}` },
      to: { coordinatorOf: stack.programId },
      programId: stack.programId,
    };
    expect(await env().run(activities.sendEmail, input)).toBe('sent');
    expect(await env().run(activities.sendEmail, input)).toBe('already-sent');
    await stack.smtp.waitFor((m) => m.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.smtp.messages.filter((m) => m.subject === 'New mentee application')).toHaveLength(1);
  });

  it('keeps the rendered message through an SMTP outage and sends that same message on retry', async () => {
    const down = await startSmtp();
    await down.close(); // nothing listens on its port now
    const failing = createActivities(
      activityDeps(
        { ...stack.config },
        stack.shared,
        mailerFor({ ...stack.config, smtpUrl: down.url }, () => {}),
      ),
    );
    const [participant] = await stack.sql`
      insert into participants (program_id, email, name) values (${stack.programId}, 'grace@example.org', 'Grace') returning id`;
    const input = {
      key: `k2-${Date.now()}`,
      template: 'application-received',
      to: { participantId: participant!.id as string },
      programId: stack.programId,
      links: { statusUrl: { p: 'status' as const, step: 'status', role: 'mentee' as const } },
    };
    await expect(env().run(failing.sendEmail, input)).rejects.toThrow();
    const [kept] =
      await stack.sql`select text_body, sent_at from email_outbox where idempotency_key = ${input.key}`;
    expect(kept?.sent_at).toBeNull();

    const working = createActivities(
      activityDeps(
        stack.config,
        stack.shared,
        mailerFor(stack.config, () => {}),
      ),
    );
    expect(await env().run(working.sendEmail, input)).toBe('sent');
    const [mail] = await stack.smtp
      .waitFor((m) => m.some((x) => x.subject === 'Your mentoring application is received'))
      .then((m) => m.filter((x) => x.subject === 'Your mentoring application is received'));
    // The same link as rendered before the outage: a retry never mints a second token.
    expect(mail!.text!.trim()).toBe(String(kept!.text_body).trim());
    expect(mail!.messageId).toMatch(/^<[0-9a-f]{32}@127\.0\.0\.1>$/);
  });
});
