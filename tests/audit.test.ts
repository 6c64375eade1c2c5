/**
 * The audit trail over real HTTP: a coordinator takes a relationship through approval, matching, a
 * pause, a resent link and an early ending on the admin pages; an auditor then finds it, reads each
 * action on its timeline with the coordinator and the reason, downloads its history (which replays),
 * and still reads it from the archive after the Temporal server has dropped it. Once the mentee is
 * erased, the archived timeline says "erased" where their data was.
 */
import { searchAttributes } from '../workflows/search-attributes.js';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApi } from '../api/app.js';
import { dataConverter } from '../platform/temporal/data-converter.js';
import { freePort, startDevServer } from '../platform/temporal/dev-server.js';
import { apiServices } from '../api/services.js';
import { temporalConfig } from '../temporal.config.js';
import {
  EncryptionCodec,
  memoryKeyStore,
  newMasterKey,
  parseMasterKeys,
} from '../platform/temporal/payload-codec.js';
import { mentorStatus, relationshipStatus, roundStatus } from '../workflows/messages.js';
import {
  applyAsMentee,
  applyAsMentor,
  expectReplays,
  historiesDir,
  matchedMentee,
  pooledMentor,
  useSettings,
  subjectIs,
} from './helpers/flows.js';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

/** The timeline table's rows as { what, who, why, details }. */
function timeline(page: Page) {
  return page.doc.querySelectorAll('table.timeline tbody tr').map((tr) => {
    const [when, what, who, why, details] = tr.querySelectorAll('td, th').map((c) => c.textContent.trim());
    return { when, what, who, why, details, erased: tr.classList.contains('erased') };
  });
}

/** The app's API on the same database, talking to a fresh Temporal dev server that knows no workflow. */
async function apiOnEmptyServer(stack: Stack) {
  const server = await startDevServer({
    searchAttributes,
    namespace: 'default',
    port: await freePort(),
    log: () => {},
  });
  const api = await apiServices(
    stack.config,
    { ...temporalConfig({}), address: server.address, taskQueue: stack.taskQueue },
    stack.shared,
  );
  const app = await buildApi(api.services, { devMailbox: false, logger: { level: 'error' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await api.close();
      await server.stop();
    },
  };
}

/** A mentor in the pool and a mentee matched with them, both asked to sign the agreement. */
async function pairAwaitingAgreement(stack: Stack, name: string) {
  const mentor = await pooledMentor(stack, `${name}.mentor@example.org`, `Mentor ${name}`);
  const relationship = await matchedMentee(stack, `${name}.mentee@example.org`, mentor);
  await expect
    .poll(async () => (await relationship.query(relationshipStatus)).phase, { timeout: 20_000 })
    .toBe('kickoff');
  return { mentor, relationship };
}

describe.each(backends())('the audit trail (database: %s)', (backend) => {
  let stack: Stack;
  let coordinator: Browser;
  let auditor: Browser;
  let programUrl: string;
  const coordinatorEmail = 'steer@example.org';

  beforeAll(async () => {
    stack = await startStack(backend, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    await stack.sql`update programs set applications_open = false where id = ${stack.programId}`;
    coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, coordinatorEmail, [{ role: 'coordinator', programId: stack.programId }]),
    );
    auditor = await signIn(stack.baseUrl, await makeUser(stack, 'audit@example.org', [{ role: 'auditor' }]));
    programUrl = `${stack.baseUrl}/admin/programs/${stack.programId}`;
  });
  afterAll(async () => stack?.close());

  /** Posts a form of the coordinator's page at `page` (the programme page by default) with its CSRF token. */
  async function act(path: string, fields: Record<string, string>, page = programUrl): Promise<Page> {
    const form = await coordinator.get(page);
    return coordinator.post(`${page}${path}`, { ...fields, _csrf: hiddenValue(form, '_csrf') });
  }

  it('records who approved, matched, paused and ended, and why, for the auditor to read', async () => {
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 19);
    expect((await act('/rounds', { deadline: inAWeek, places: '1' })).status).toBe(303);
    const mentor = await applyAsMentor(stack, { email: 'mona@example.org', name: 'Mona Berg' });
    const mentee = await applyAsMentee(stack, { email: 'ida@example.org', name: 'Ida Lund' });
    const relationship = stack.client.workflow.getHandle(mentee.workflowId);
    const round = stack.client.workflow.getHandle(`round-${stack.programId}-1`);

    // Approval: both interviews recorded on the programme page, the mentee's with a reason.
    for (const [who, reason] of [
      [mentor.workflowId, ''],
      [mentee.workflowId, 'Clear goals and a supportive manager'],
    ] as const) {
      await expect
        .poll(async () => (await coordinator.get(programUrl)).html.includes(`value="${who}"`), {
          timeout: 20_000,
        })
        .toBe(true);
      expect(
        (await act('/interviews', { workflowId: who, outcome: 'accepted', reason, notes: '' })).status,
      ).toBe(303);
    }
    await expect
      .poll(async () => (await round.query(roundStatus)).phase, { timeout: 20_000 })
      .toBe('matching');

    const mentorHandle = stack.client.workflow.getHandle(mentor.workflowId);
    await expect
      .poll(async () => (await mentorHandle.query(mentorStatus)).phase, { timeout: 20_000 })
      .toBe('pool');
    // Matching: the coordinator proposes the pair by hand and approves it.
    expect(
      (await act('/rounds/proposal', { [`mentor:${mentee.workflowId}`]: mentor.workflowId })).status,
    ).toBe(303);
    expect(
      (
        await act('/rounds/decision', {
          decision: 'approve',
          reason: 'Different units, shared language',
          version: '1',
        })
      ).status,
    ).toBe(303);
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).phase, { timeout: 20_000 })
      .toBe('kickoff');

    // The relationship page: what is due, and the coordinator's actions.
    const relationshipUrl = `${programUrl}/relationships/${mentee.workflowId}`;
    let page = await coordinator.get(relationshipUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ida Lund');
    expect(page.text).toContain('Mona Berg');
    const agreementStep = `pairing-1/agreement/mentee`;
    // Due next names the form and who is asked; the step's code travels only in the resend form.
    expect(page.text).toMatch(/Your mentoring agreement\s*the mentee/);
    expect(page.text).not.toContain(agreementStep);
    expect(page.html).toContain(`value="${agreementStep}"`);

    const agreements = (all: { subject?: string }[]) =>
      all.filter((m) => subjectIs(m.subject, 'Your mentoring agreement')).length;
    await stack.smtp.waitFor((all) => agreements(all) === 2);
    expect((await act('/resend', { stepId: agreementStep }, relationshipUrl)).status).toBe(303);
    await stack.smtp.waitFor((all) => agreements(all) === 3);

    // A pause needs a reason: refused with the message, nothing sent to the workflow.
    const refused = await act('/pause', { reason: '  ' }, relationshipUrl);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Give a reason');
    expect((await relationship.query(relationshipStatus)).paused).toBeUndefined();
    expect((await act('/pause', { reason: 'Parental leave' }, relationshipUrl)).status).toBe(303);
    expect((await relationship.query(relationshipStatus)).paused?.reason).toBe('Parental leave');
    // The workflow's own rule comes back as the page's message: it is already paused.
    const twice = await act('/pause', { reason: 'Again' }, relationshipUrl);
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('already paused');
    expect((await act('/resume', {}, relationshipUrl)).status).toBe(303);

    // An auditor only reads: the coordinator's actions are refused to them.
    const token = hiddenValue(await auditor.get(relationshipUrl), '_csrf');
    expect((await auditor.post(`${relationshipUrl}/end`, { reason: 'No', _csrf: token })).status).toBe(403);

    // Early ending with a reason.
    expect((await act('/end', { reason: 'The mentee left the company' }, relationshipUrl)).status).toBe(303);
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).phase, { timeout: 20_000 })
      .toBe('closed');
    page = await coordinator.get(relationshipUrl);
    expect(page.text).toContain('Ended by the coordinator');
    expect(page.doc.querySelector('form[action$="/end"]')).toBeNull();

    // The auditor finds it by programme and kind, and reads its timeline.
    const search = await auditor.get(
      `${stack.baseUrl}/admin/audit?program=${stack.programId}&type=relationshipWorkflow&status=COMPLETED`,
    );
    expect(search.status).toBe(200);
    await expect
      .poll(
        async () =>
          (await auditor.get(`${stack.baseUrl}/admin/audit?program=${stack.programId}&status=COMPLETED`))
            .text,
        { timeout: 20_000 },
      )
      .toContain(mentee.workflowId);
    const bad = await auditor.get(`${stack.baseUrl}/admin/audit?status=NOPE&program=x'or'1`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Check the search');

    const workflowUrl = `${stack.baseUrl}/admin/audit/workflows/${mentee.workflowId}`;
    const workflowPage = await auditor.get(workflowUrl);
    // Beside the download, how a developer replays this workflow against the code about to be deployed.
    expect(workflowPage.text).toContain('a developer replays this workflow against it');
    expect(workflowPage.doc.querySelector('pre')?.textContent).toBe(
      `npm run replay -- --workflow ${mentee.workflowId}`,
    );
    const entries = timeline(workflowPage);
    const find = (what: string) => entries.filter((e) => e.what === what);
    expect(find('Application submitted')[0]).toMatchObject({ who: 'the applicant' });
    expect(find('Interview recorded')[0]).toMatchObject({
      who: coordinatorEmail,
      why: 'Clear goals and a supportive manager',
      details: expect.stringContaining('outcome: Accepted'),
    });
    expect(find('Mentor assigned')).toHaveLength(1);
    expect(find('Form link sent again')[0]).toMatchObject({ who: coordinatorEmail });
    expect(find('Paused')[0]).toMatchObject({ who: coordinatorEmail, why: 'Parental leave' });
    expect(find('Resumed')[0]).toMatchObject({ who: coordinatorEmail });
    expect(find('Ended by the coordinator')[0]).toMatchObject({
      who: coordinatorEmail,
      why: 'The mentee left the company',
    });
    expect(entries.map((e) => e.what)).toEqual(
      expect.arrayContaining(['Phase: Interview', 'Phase: Matching', 'Phase: Kickoff', 'Phase: Closed']),
    );
    expect(entries.some((e) => e.what === 'Email “Your mentoring relationship has ended” sent')).toBe(true);
    expect(entries.at(-1)?.what).toBe('Workflow closed (Completed)');

    // The round's timeline holds the matching: proposed and approved, by whom and why.
    const roundEntries = timeline(
      await auditor.get(`${stack.baseUrl}/admin/audit/workflows/${round.workflowId}`),
    );
    expect(roundEntries.find((e) => e.what === 'Pairs proposed')).toMatchObject({
      who: coordinatorEmail,
      details: expect.stringContaining('pairs: 1'),
    });
    expect(roundEntries.find((e) => e.what === 'Proposal decided')).toMatchObject({
      who: coordinatorEmail,
      why: 'Different units, shared language',
      details: expect.stringContaining('decision: approved'),
    });

    // The downloaded history is decoded and replays against the workflow code as it is.
    const { runId } = await relationship.describe();
    const download = await fetch(`${workflowUrl}/runs/${runId}/history.json`, {
      headers: { cookie: [...auditor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const json = await download.text();
    // Decoded: no payload is left encrypted, and the coordinator's reason is there to read.
    expect(json).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
    type Accepted = { acceptedRequest: { input: { name: string; args: { payloads: { data: string }[] } } } };
    const endUpdate = (
      JSON.parse(json) as { events: { workflowExecutionUpdateAcceptedEventAttributes?: Accepted }[] }
    ).events.find(
      (e) =>
        e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest.input.name === 'endRelationship',
    )!.workflowExecutionUpdateAcceptedEventAttributes!;
    const reason = endUpdate.acceptedRequest.input.args.payloads[0]!.data;
    expect(Buffer.from(reason, 'base64').toString()).toContain('The mentee left the company');
    const replayer = dataConverter(
      new EncryptionCodec(memoryKeyStore(), parseMasterKeys(newMasterKey('replay'))),
    );
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: replayer },
      historyFromJSON(JSON.parse(json)),
      'downloaded',
    );
    if (backend === 'pglite' && process.env.RECORD_HISTORIES === '1')
      writeFileSync(join(historiesDir, 'relationship-coordinator-actions.json'), json + '\n');
    // Coordinators read their relationships but not the raw histories.
    expect((await coordinator.get(`${workflowUrl}/runs/${runId}/history.json`)).status).toBe(403);

    // The CSV export has the relationship with its outcome.
    const csv = await coordinator.get(`${programUrl}/relationships.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csv.html.trim().split('\n');
    expect(rows[0]).toBe(
      'reference,role,workflow_id,name,department,applied_at,phase,status,outcome,meetings_planned,meetings_held,closed_at,mentor,meetings_moved,meetings_cancelled,meetings_missed',
    );
    expect(rows.find((r) => r.includes(mentee.workflowId))).toMatch(
      /,closed,COMPLETED,ended-by-coordinator,0,0,/,
    );

    // The archive copies closed histories; once the server has dropped one, the timeline reads the archive.
    const archived = await stack.client.workflow.execute('historyArchiveWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `archive-${stack.taskQueue}`,
    });
    expect((archived as { archived: number }).archived).toBeGreaterThanOrEqual(1);
    const [row] = await stack.sql`
      select status, program_id, events from workflow_archive where workflow_id = ${mentee.workflowId}`;
    expect(row).toMatchObject({ status: 'COMPLETED', program_id: stack.programId });
    // A Temporal server that has none of it stands for one whose retention dropped it: the same database,
    // the same auditor's session, an API on a fresh dev server.
    const bare = await apiOnEmptyServer(stack);
    const archivedUrl = `${bare.url}/admin/audit/workflows/${mentee.workflowId}`;
    const fromArchive = await auditor.get(archivedUrl);
    expect(fromArchive.text).toContain('Archive (the server no longer has it)');
    expect(timeline(fromArchive).find((e) => e.what === 'Ended by the coordinator')).toMatchObject({
      who: coordinatorEmail,
      why: 'The mentee left the company',
    });
    // A second sweep archives nothing twice.
    const again = await stack.client.workflow.execute('historyArchiveWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `archive-${stack.taskQueue}-2`,
    });
    expect((again as { archived: number }).archived).toBe(0);

    // Erasing the mentee destroys their keys: the archived timeline keeps the events and says "erased".
    const outcomesBefore =
      await stack.sql`select outcome, count(*)::int from relationship_outcomes group by outcome`;
    const [person] = await stack.sql<{ id: string }[]>`
      select participant_id::text as id from applications where workflow_id = ${mentee.workflowId}`;
    const admin = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'admin@example.org', [{ role: 'administrator' }]),
    );
    const programPage = await admin.get(programUrl);
    const erase = await admin.post(`${programUrl}/participants/${person!.id}/erase`, {
      confirm: 'yes',
      _csrf: hiddenValue(programPage, '_csrf'),
    });
    expect(erase.status).toBe(303);
    // On the server and in the archive alike.
    for (const url of [workflowUrl, archivedUrl]) {
      const page = await auditor.get(url);
      const erased = timeline(page);
      expect(erased.find((e) => e.what === 'Ended by the coordinator')).toMatchObject({
        who: 'erased',
        why: 'erased',
        erased: true,
      });
      expect(erased.find((e) => e.what === 'Interview recorded')).toMatchObject({
        who: 'erased',
        erased: true,
      });
      // Every event is still there; only an email's template was inside what is now unreadable.
      expect(erased.map((e) => e.what)).toEqual(
        entries.map((e) => (e.what?.startsWith('Email “') ? 'An email was sent' : e.what)),
      );
      expect(page.text).not.toContain('The mentee left the company');
      expect(page.text).not.toContain(coordinatorEmail);
    }
    await bare.close();
    expect(
      await stack.sql`select outcome, count(*)::int from relationship_outcomes group by outcome`,
    ).toEqual(outcomesBefore);
  });
  it('takes a decision on an overdue form and a rematch from the relationship page, each on the timeline', async () => {
    // Applications open outside rounds again; forms escalate to the coordinator a second after the
    // invitation, with no reminder in between.
    await stack.sql`update programs set applications_open = true, current_round = null where id = ${stack.programId}`;
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT1S', formReminders: 0 });
    const { mentor, relationship } = await pairAwaitingAgreement(stack, 'rematch');
    const relationshipUrl = `${programUrl}/relationships/${relationship.workflowId}`;
    const step = 'pairing-1/agreement/mentee';
    await expect
      .poll(
        async () =>
          (await relationship.query(relationshipStatus)).open.find((s) => s.stepId === step)?.escalated,
        {
          timeout: 20_000,
        },
      )
      .toBe(true);

    // The decision needs a choice; the refusal keeps the page and says what is missing.
    const undecided = await act(
      '/decide',
      { stepId: step, decision: '', reason: 'Away this week' },
      relationshipUrl,
    );
    expect(undecided.status).toBe(400);
    expect(undecided.text).toContain('Choose what happens with the form.');
    expect(
      (await act('/decide', { stepId: step, decision: 'extend', reason: 'Away this week' }, relationshipUrl))
        .status,
    ).toBe(303);

    // The pair does not work: the coordinator ends it and the mentee goes back to matching.
    expect((await act('/rematch', { reason: 'Different expectations' }, relationshipUrl)).status).toBe(303);
    await expect
      .poll(async () => (await relationship.query(relationshipStatus)).phase, { timeout: 20_000 })
      .toBe('matching');
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    // A second rematch is refused by the workflow: there is no pair any more.
    const again = await act('/rematch', { reason: 'Again' }, relationshipUrl);
    expect(again.status).toBe(409);

    const entries = timeline(
      await auditor.get(`${stack.baseUrl}/admin/audit/workflows/${relationship.workflowId}`),
    );
    expect(entries.find((e) => e.what === 'Coordinator decided on an overdue form')).toMatchObject({
      who: coordinatorEmail,
      why: 'Away this week',
      details: expect.stringContaining('decision: more time'),
    });
    expect(entries.find((e) => e.what === 'Rematch asked for by the coordinator')).toMatchObject({
      who: coordinatorEmail,
      why: 'Different expectations',
    });
    expect(entries.some((e) => e.what === 'Email “A form step is overdue” sent')).toBe(true);
    await expectReplays(
      stack,
      relationship.workflowId,
      backend === 'pglite' ? 'relationship-decided-and-rematched' : undefined,
    );
  });
});
