/**
 * Erasure and retention: an administrator erases a participant in the middle of a relationship, after
 * which their payloads in Temporal's history no longer decode (the codec endpoint says "[erased]"),
 * their rows are anonymised, and the programme's counts are unchanged; and the retention schedule
 * erases someone whose relationship closed longer ago than the programme keeps data.
 */
import { WorkflowNotFoundError, type ScheduleHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/api-tokens.js';
import { decodeHistoryJson } from '../platform/temporal/history-codec.js';
import { ErasedPayloadError } from '../platform/temporal/payload-codec.js';
import { readStatus } from '../services/workflow-status.js';
import { archiveScheduleId, ensureSchedules, retentionScheduleId } from '../platform/temporal/schedules.js';
import { mentorStatus, recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  applyAsMentee,
  applyAsMentor,
  COORDINATOR,
  expectReplays,
  linkIn,
  mailTo,
  runHistories,
  signedPair,
  useSettings,
  waitForMail,
} from './helpers/flows.js';
import { Browser, hiddenValue } from './helpers/http.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe('erasure and retention', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
    await useSettings(stack, {
      managerEndorsement: false,
      formReminderAfter: 'PT10M',
      meetingCadence: 'PT1H',
    });
  });
  afterAll(async () => stack?.close());

  /** A codec token for the Temporal CLI, as an administrator makes one on /admin/api-tokens. */
  const codecTokenOf = async (email: string) => {
    const [user] = await stack.sql<{ id: string }[]>`select id from users where email = ${email}`;
    return (await createApiToken(stack.sql, { name: 'Auditor CLI', kind: 'codec', by: user!.id })).token;
  };

  const counts = async () =>
    (
      await stack.sql<{ applications: number; by_role: unknown; outcomes: number }[]>`
    select (select count(*)::int from applications where program_id = ${stack.programId}) as applications,
           (select json_agg(r order by r.role) from (select role, count(*)::int from applications
              where program_id = ${stack.programId} group by role) r) as by_role,
           (select count(*)::int from relationship_outcomes where program_id = ${stack.programId}) as outcomes`
    )[0]!;

  it('erases a participant: their history no longer decodes, their rows are anonymised, the counts stay', async () => {
    const { mentor, relationship } = await signedPair(
      stack,
      'erik@example.org',
      'hanna@example.org',
      'Hanna Lie',
    );
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');
    const [erik] = await stack.sql<
      { id: string }[]
    >`select id from participants where email = 'erik@example.org'`;
    const before = await counts();

    const admin = await makeUser(stack, 'root@example.org', [{ role: 'administrator' }]);
    const browser = await signIn(stack.baseUrl, admin);
    const programUrl = `${stack.baseUrl}/admin/programs/${stack.programId}`;
    const eraseUrl = `${programUrl}/participants/${erik!.id}/erase`;
    const page = await browser.get(programUrl);
    expect(page.html).toContain(`participants/${erik!.id}/erase`);
    const unconfirmed = await browser.post(eraseUrl, { _csrf: hiddenValue(page, '_csrf') });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Nothing was erased');
    // A mentor still mentoring is not erased behind the mentee's back.
    const [hannaRow] = await stack.sql<
      { id: string }[]
    >`select id from participants where email = 'hanna@example.org'`;
    const refused = await browser.post(`${programUrl}/participants/${hannaRow!.id}/erase`, {
      _csrf: hiddenValue(page, '_csrf'),
      confirm: 'yes',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('1 running relationship(s); end or rematch them first');
    const erased = await browser.post(eraseUrl, { _csrf: hiddenValue(page, '_csrf'), confirm: 'yes' });
    expect(erased.status).toBe(303);

    // The workflow was stopped while it could still be read; its counts went to the statistics.
    expect((await relationship.describe()).status.name).toBe('TERMINATED');
    const [outcome] = await stack.sql`
      select outcome, meetings_planned from relationship_outcomes where workflow_id = ${relationship.workflowId}`;
    expect(outcome).toMatchObject({ outcome: 'erased' });
    const after = await counts();
    expect(after.applications).toBe(before.applications);
    expect(after.by_role).toEqual(before.by_role);
    expect(after.outcomes).toBe(before.outcomes + 1);

    // Nothing of theirs decodes any more, anywhere the keys are asked.
    stack.shared.codec.forget();
    // Their published status reads as gone, and lists of the programme's workflows still work.
    await expect(readStatus(relationship, relationshipStatus)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const listed: string[] = [];
    for await (const run of stack.client.workflow.list({ query: `ProgramId = '${stack.programId}'` }))
      listed.push(run.workflowId);
    expect(listed).toContain(relationship.workflowId);
    const [history] = await runHistories(stack, relationship.workflowId);
    await expect(
      decodeHistoryJson(JSON.parse(historyToJSON(history!)), stack.shared.codec),
    ).rejects.toBeInstanceOf(ErasedPayloadError);
    const [person] = await stack.sql`select name, email, language from participants where id = ${erik!.id}`;
    expect(person).toEqual({
      name: 'Erased participant',
      email: `erased-${erik!.id}@invalid`,
      language: null,
    });
    const [application] =
      await stack.sql`select answers from applications where participant_id = ${erik!.id}`;
    expect(application!.answers).toEqual({});
    expect(
      await stack.sql`select 1 from form_submissions where workflow_id = ${relationship.workflowId}`,
    ).toHaveLength(0);
    expect(
      await stack.sql`select 1 from email_outbox where recipient = 'erik@example.org' or strpos(text_body, 'erik@example.org') > 0`,
    ).toHaveLength(0);
    const [record] = await stack.sql<
      { rule: string; erased_by: string; details: { keysDestroyed: number } }[]
    >`
      select rule, erased_by, details from erasures where participant_id = ${erik!.id}`;
    expect(record!.rule).toBe('request');
    expect(record!.details.keysDestroyed).toBeGreaterThanOrEqual(1);

    // The auditor's view through the codec endpoint shows the events as erased.
    const auditor = await makeUser(stack, 'audit@example.org', [{ role: 'auditor' }]);
    const started = JSON.parse(historyToJSON(history!)).events[0].workflowExecutionStartedEventAttributes
      .input;
    const res = await fetch(`${stack.baseUrl}/admin/codec/decode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await codecTokenOf(auditor.email)}`,
      },
      body: JSON.stringify(started),
    });
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toBe('"[erased]"');
    // The mentor's place is free again, and the mentor's own data untouched.
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    const [hanna] = await stack.sql`select name from participants where email = 'hanna@example.org'`;
    expect(hanna!.name).toBe('Hanna Lie');
  });

  it('emails a participant the data held about them when they ask through their status link, once a day', async () => {
    await applyAsMentee(stack, {
      email: 'kari@example.org',
      name: 'Kari Nord',
      goals: 'Learn to chair meetings.',
    });
    const [received] = await mailTo(stack, 'kari@example.org', 1);
    const status = await new Browser().get(linkIn(received!, 's'));
    const action = status.doc
      .querySelector('#export ~ form, section[aria-labelledby=export] form')
      ?.getAttribute('action');
    expect(action).toMatch(/\/s\/\S+\/export$/);
    const exportUrl = new URL(action!, stack.baseUrl).href;
    const asked = await new Browser().post(exportUrl, {});
    expect(asked.status).toBe(202);
    expect(asked.text).toContain('Your data is on its way');
    await waitForMail(stack, 'kari@example.org', 'The data we hold about you');
    // The export's workflow, found from the outbox row its email left (its key is `<workflow id>/email`).
    // The row is marked sent a moment after SMTP took the message: wait for it, do not race it.
    const sentRow = async () =>
      (
        await stack.sql<{ idempotency_key: string }[]>`
          select idempotency_key from email_outbox
          where recipient = 'kari@example.org' and subject = 'The data we hold about you' and sent_at is not null`
      )[0];
    await expect.poll(sentRow).toBeDefined();
    const row = await sentRow();
    const exportRun = stack.client.workflow.getHandle(row!.idempotency_key.replace(/\/email$/, ''));
    await exportRun.result();
    const { runId } = await exportRun.describe();
    expect((await new Browser().post(exportUrl, {})).status).toBe(202);
    // Asking again started nothing: the day's export is still that one run, finished, and its single
    // email has long been acknowledged by SMTP; only then is the mailbox counted.
    const afterAgain = await exportRun.describe();
    expect({ runId: afterAgain.runId, status: afterAgain.status.name }).toEqual({
      runId,
      status: 'COMPLETED',
    });
    expect(
      await stack.sql`select 1 from email_outbox where recipient = 'kari@example.org' and subject = 'The data we hold about you'`,
    ).toHaveLength(1);
    const exports = (await mailTo(stack, 'kari@example.org', 2)).filter(
      (m) => m.subject === 'The data we hold about you',
    );
    expect(exports).toHaveLength(1);
    const json = JSON.parse(/\{[\s\S]*\}/.exec(exports[0]!.text!)![0]) as {
      participant: { email: string };
      applications: { role: string; answers: { goals: string } }[];
    };
    expect(json.participant.email).toBe('kari@example.org');
    expect(json.applications[0]).toMatchObject({
      role: 'mentee',
      answers: { goals: 'Learn to chair meetings.' },
    });
  });

  /** Triggers the schedule and waits until the sweep it started has finished. */
  async function sweepOnce(schedule: ScheduleHandle) {
    const taken = (await schedule.describe()).info.numActionsTaken;
    await schedule.trigger();
    await expect
      .poll(async () => (await schedule.describe()).info.numActionsTaken, { timeout: 30_000 })
      .toBeGreaterThan(taken);
    const { workflow } = (await schedule.describe()).info.recentActions.at(-1)!.action;
    await stack.client.workflow.getHandle(workflow.workflowId, workflow.firstExecutionRunId).result();
  }

  it('erases under the retention rule once a closed relationship is older than the programme keeps data', async () => {
    const { workflowId } = await applyAsMentee(stack, { email: 'sol@example.org', name: 'Sol Berg' });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'Not this round.', by: COORDINATOR }],
    });
    await handle.result();
    // Declined applications are now among the outcomes (a patched change); its history replays.
    const [declined] =
      await stack.sql`select outcome from relationship_outcomes where workflow_id = ${workflowId}`;
    expect(declined!.outcome).toBe('declined');
    await expectReplays(stack, workflowId, 'declined-outcome-recorded');
    const [sol] = await stack.sql<
      { id: string }[]
    >`select id from participants where email = 'sol@example.org'`;

    // A mentor declined at the interview records no outcome; the history archive knows when it closed.
    const mentor = await applyAsMentor(stack, { email: 'ove@example.org', name: 'Ove Dahl' });
    const mentorHandle = stack.client.workflow.getHandle(mentor.workflowId);
    await expect.poll(async () => (await mentorHandle.query(mentorStatus)).phase).toBe('interview');
    await mentorHandle.executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'Too new in the role.', by: COORDINATOR }],
    });
    await mentorHandle.result();
    const [ove] = await stack.sql<
      { id: string }[]
    >`select id from participants where email = 'ove@example.org'`;

    await ensureSchedules(stack.client, stack.taskQueue);
    const archive = stack.client.schedule.getHandle(archiveScheduleId(stack.taskQueue));
    await archive.trigger();
    await expect
      .poll(() => stack.sql`select 1 from workflow_archive where workflow_id = ${mentor.workflowId}`, {
        timeout: 30_000,
      })
      .toHaveLength(1);
    const schedule = stack.client.schedule.getHandle(retentionScheduleId(stack.taskQueue));
    // Kept for a year: the sweep leaves Sol alone. Counted once that sweep has finished, so it can
    // neither have erased Sol later nor still be running when the retention changes below.
    await sweepOnce(schedule);
    expect(await stack.sql`select 1 from erasures where participant_id = ${sol!.id}`).toHaveLength(0);
    // Kept for no time at all: the next sweep erases Sol, under the retention rule.
    await stack.sql`update programs set retention_days = 0 where id = ${stack.programId}`;
    await schedule.trigger();
    await expect
      .poll(
        async () =>
          (await stack.sql`select rule, erased_by from erasures where participant_id = ${sol!.id}`)[0],
        { timeout: 30_000 },
      )
      .toEqual({ rule: 'retention', erased_by: null });
    const [person] = await stack.sql`select name from participants where id = ${sol!.id}`;
    expect(person!.name).toBe('Erased participant');
    await expect
      .poll(async () => (await stack.sql`select rule from erasures where participant_id = ${ove!.id}`)[0], {
        timeout: 30_000,
      })
      .toEqual({ rule: 'retention' });
    await schedule.delete();
    await archive.delete();
  }, 60_000);
});
