/** Emails go out once per key, even when the activity runs again after a crash or an SMTP outage. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.js';
import { activityDeps } from '../activities/index.js';
import { mailerFor } from '../platform/shared.js';
import { startStack, type Stack } from './helpers/stack.js';
import { startSmtp } from './helpers/smtp.js';

describe('the email activity', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(async () => stack?.close());

  const env = (heartbeatDetails?: unknown) =>
    new MockActivityEnvironment({
      workflowExecution: { workflowId: 'relationship-x-1', runId: 'r' },
      heartbeatDetails,
    });

  const workingActivities = () =>
    createActivities(
      activityDeps(
        stack.config,
        stack.shared,
        mailerFor(stack.config, () => {}),
      ),
    );
  const toCoordinator = (key: string) => ({
    key: `${key}-${Date.now()}`,
    template: 'coordinator-new-application',
    adminPaths: { programUrl: `admin/programs/${stack.programId}` },
    to: { coordinatorOf: stack.programId },
    programId: stack.programId,
  });

  it('sends each key once however often it runs', async () => {
    const activities = workingActivities();
    const input = toCoordinator('k');
    expect(await env().run(activities.sendEmail, input)).toBe('sent');
    expect(await env().run(activities.sendEmail, input)).toBe('already-sent');
    // No wait needed: the loopback SMTP server keeps a message before it acknowledges it, and an attempt
    // returns only after SMTP acknowledged its send, so whatever the two runs sent is in the mailbox now.
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

    const working = workingActivities();
    expect(await env().run(working.sendEmail, input)).toBe('sent');
    const [mail] = await stack.smtp
      .waitFor((m) => m.some((x) => x.subject === 'Your mentoring application is received'))
      .then((m) => m.filter((x) => x.subject === 'Your mentoring application is received'));
    // The same link as rendered before the outage: a retry never mints a second token.
    expect(mail!.text!.trim()).toBe(String(kept!.text_body).trim());
    expect(mail!.messageId).toMatch(/^<[0-9a-f]{32}@127\.0\.0\.1>$/);
  });

  it('does not send again when the attempt that sent could not record it', async () => {
    const activities = workingActivities();
    const input = toCoordinator('k3');
    // The attempt that sends tells the server so at once, in its heartbeat.
    const first = env();
    const beats: unknown[] = [];
    first.on('heartbeat', (d: unknown) => beats.push(d));
    expect(await first.run(activities.sendEmail, input)).toBe('sent');
    expect(beats).toEqual([{ sent: expect.stringMatching(/^<[0-9a-f]{32}@/) }]);
    await stack.smtp.waitFor((m) => m.some((x) => x.messageId === (beats[0] as { sent: string }).sent));

    // Say the database went down before `sent_at` was written: the row reads as unsent, and the next
    // attempt gets that heartbeat back from the server. It records the send and sends nothing.
    await stack.sql`update email_outbox set sent_at = null, message_id = null where idempotency_key = ${input.key}`;
    const before = stack.smtp.messages.length;
    expect(await env(beats[0]).run(activities.sendEmail, input)).toBe('sent');
    const [row] = await stack.sql`select sent_at from email_outbox where idempotency_key = ${input.key}`;
    expect(row?.sent_at).toBeInstanceOf(Date);
    // The attempt has returned: had it sent, SMTP would have acknowledged (and the mailbox kept) it first.
    expect(stack.smtp.messages.length).toBe(before);
  });

  it('leaves an email to the attempt that is sending it, and takes it over once its lease ran out', async () => {
    const activities = workingActivities();
    const input = toCoordinator('k4');
    // An earlier attempt rendered it and is (say) still talking to a slow SMTP server.
    await expect(
      env().run(
        createActivities(
          activityDeps(
            stack.config,
            stack.shared,
            mailerFor({ ...stack.config, smtpUrl: 'smtp://127.0.0.1:1' }, () => {}),
          ),
        ).sendEmail,
        input,
      ),
    ).rejects.toThrow();
    await stack.sql`update email_outbox set sending_until = now() + interval '1 minute' where idempotency_key = ${input.key}`;
    await expect(env().run(activities.sendEmail, input)).rejects.toThrow(
      'another attempt is sending this email',
    );

    await stack.sql`update email_outbox set sending_until = now() - interval '1 second' where idempotency_key = ${input.key}`;
    expect(await env().run(activities.sendEmail, input)).toBe('sent');
    const [row] = await stack.sql`select message_id from email_outbox where idempotency_key = ${input.key}`;
    await stack.smtp.waitFor((m) => m.some((x) => x.messageId === row!.message_id));
  });
});
