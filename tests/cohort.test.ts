/**
 * A whole two-year learning-network cohort, compressed to seconds, on the real dev server and over real
 * HTTP and SMTP: three organisations enrol and are approved, a fourth joins late, one withdraws, the
 * coordinator moves a gathering and records attendance at each, members evaluate, project leaders do
 * their homework (one of them late) and log guidance, and at the end the coordinator reads the report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { cohortStatus, type CohortStatus } from '../workflows/cohort-messages.js';
import { answerForm, expectReplays, linkIn } from './helpers/flows.js';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { COORDINATOR_EMAIL, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

/**
 * Seconds between gatherings; invitations go out and homework is due four seconds before the next, time
 * enough to move a gathering once its invitations are out, on a loaded machine too.
 */
const SPACING = 16;
const AHEAD = 4;
const GATHERINGS = 7;

const addressedTo = (m: ParsedMail, address: string) =>
  [m.to ?? []].flat().some((to) => to.value.some((v) => v.address?.toLowerCase() === address));

describe('a learning-network cohort', () => {
  let stack: Stack;
  let coordinator: Browser;
  let cohortUrl: string;
  const workflowId = () => `cohort-${stack.programId}-1`;

  beforeAll(async () => {
    stack = await startStack('pglite', { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    await stack.sql`
      update programs set model = 'learning-network',
        settings = ${stack.sql.json({
          template: 'learning-network',
          cohort: {
            reminderBefore: `PT${AHEAD}S`,
            homeworkDueBefore: `PT${AHEAD}S`,
            formReminderAfter: 'PT5S',
            formReminders: 1,
          },
        })}
      where id = ${stack.programId}`;
    coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'network@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    cohortUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/cohorts/1`;
  });
  afterAll(async () => stack?.close());

  const status = () => stack.client.workflow.getHandle(workflowId()).query(cohortStatus);
  async function act(path: string, fields: Record<string, string | string[]>): Promise<Page> {
    const page = await coordinator.get(cohortUrl);
    return coordinator.post(`${cohortUrl}/${path}`, { ...fields, _csrf: hiddenValue(page, '_csrf') });
  }
  const mails = (address: string, subject?: string) =>
    stack.smtp
      .waitFor(() => true)
      .then((all) => all.filter((m) => addressedTo(m, address) && (!subject || m.subject === subject)));
  async function mailOnce(address: string, subject: string): Promise<ParsedMail> {
    const all = await stack.smtp.waitFor(
      (all) => all.some((m) => addressedTo(m, address) && m.subject === subject),
      30_000,
    );
    return all.filter((m) => addressedTo(m, address) && m.subject === subject).at(-1)!;
  }
  async function answer(address: string, subject: string, answers: Record<string, string>) {
    const page = await answerForm(linkIn(await mailOnce(address, subject), 'f'), answers);
    expect(page.status, `${subject} for ${address}: ${page.text}`).toBe(200);
  }

  /** An organisation enrols through the public form: owner, leader and one more member. */
  async function enrol(key: string) {
    const browser = new Browser();
    const url = `${stack.baseUrl}/programs/${stack.programId}/enrol`;
    const form = await browser.get(url);
    expect(form.status, form.text).toBe(200);
    const res = await browser.post(url, {
      organisation: `Municipality ${key.toUpperCase()}`,
      ownerName: `Owner ${key}`,
      ownerEmail: `${key}.owner@example.org`,
      leaderName: `Leader ${key}`,
      leaderEmail: `${key}.leader@example.org`,
      members: `Member ${key}, ${key}.member@example.org`,
      motivation: 'New nurses leave within a year; mentors could help them stay.',
      consent: 'yes',
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(res.status, res.text).toBe(200);
    const [org] = await stack.sql<{ id: string }[]>`
      select id::text from cohort_organisations where name = ${`Municipality ${key.toUpperCase()}`}`;
    return org!.id;
  }
  const membersOf = async (key: string) =>
    (
      await stack.sql<{ id: string; email: string }[]>`
        select id::text, email from cohort_members where email like ${`${key}.%`} order by email`
    ).map((m) => m.id);

  /** Waits until gathering `n` has begun and waits for its attendance. */
  async function gatheringBegun(n: number): Promise<CohortStatus> {
    await expect
      .poll(
        async () => {
          const s = await status();
          return s.current === n && s.attendanceDue;
        },
        { timeout: (SPACING + 10) * 1000, interval: 200 },
      )
      .toBe(true);
    return status();
  }

  it('runs seven gatherings with a late joiner, a withdrawal, a moved gathering and a late homework', async () => {
    const firstAt = Date.now() + 15_000;
    const rows: Record<string, string> = {};
    for (let n = 1; n <= GATHERINGS; n++) {
      rows[`date-${n}`] = new Date(firstAt + (n - 1) * SPACING * 1000).toISOString().slice(0, 19);
      rows[`place-${n}`] = `Town hall ${n}`;
      rows[`theme-${n}`] = `Theme ${n}`;
    }
    const list = await coordinator.get(`${stack.baseUrl}/admin/programs/${stack.programId}/cohorts`);
    // A gathering in the past is refused with the reason, and nothing starts.
    const bad = await coordinator.post(`${stack.baseUrl}/admin/programs/${stack.programId}/cohorts`, {
      ...rows,
      'date-2': '2020-01-01T09:00',
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('each after the one before');
    expect(await stack.sql`select 1 from cohorts`).toHaveLength(0);
    const started = await coordinator.post(`${stack.baseUrl}/admin/programs/${stack.programId}/cohorts`, {
      ...rows,
      _csrf: hiddenValue(list, '_csrf'),
    });
    expect(started.status).toBe(303);

    // Three organisations enrol; a bad project-group line is refused and what was typed kept.
    const browser = new Browser();
    const url = `${stack.baseUrl}/programs/${stack.programId}/enrol`;
    const form = await browser.get(url);
    const refused = await browser.post(url, {
      organisation: 'Municipality X',
      ownerName: 'Owner x',
      ownerEmail: 'x.owner@example.org',
      leaderName: 'Leader x',
      leaderEmail: 'x.leader@example.org',
      members: 'Someone without an address',
      motivation: 'Because.',
      consent: 'yes',
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Line 1 of the project group is not a name and an email address');
    expect(refused.html).toContain('Municipality X');
    const orgs = { a: await enrol('a'), b: await enrol('b'), c: await enrol('c') };
    await mailOnce('a.leader@example.org', 'We have received your enrolment in the learning network');
    for (const id of Object.values(orgs))
      expect((await act('enrolment', { organisationId: id, decision: 'approve', reason: '' })).status).toBe(
        303,
      );
    const members = {
      a: await membersOf('a'),
      b: await membersOf('b'),
      c: await membersOf('c'),
      d: [] as string[],
    };
    expect(members.a).toHaveLength(3);
    await mailOnce('c.member@example.org', 'Invitation: gathering 1 of the learning network');

    /** Organisation B withdraws after gathering 4; its homework for gathering 5 is never given in. */
    async function withdrawB() {
      expect((await act('withdraw', { organisationId: orgs.b, reason: '' })).status).toBe(400);
      expect(
        (await act('withdraw', { organisationId: orgs.b, reason: 'No project leader any more' })).status,
      ).toBe(303);
      await mailOnce('b.leader@example.org', 'Your organisation has left the learning network');
    }

    for (let n = 1; n <= GATHERINGS; n++) {
      if (n === 4) {
        // The coordinator moves gathering 4 three seconds later, once its invitations are out.
        await mailOnce('a.owner@example.org', 'Invitation: gathering 4 of the learning network');
        const planned = (await status()).gatherings[3]!.date;
        const moved = new Date(new Date(planned).getTime() + 3000).toISOString().slice(0, 19);
        const noReason = await act('move', { gathering: '4', date: moved, place: 'Library', reason: '' });
        expect(noReason.status).toBe(400);
        expect(
          (await act('move', { gathering: '4', date: moved, place: 'Library', reason: 'The hall is booked' }))
            .status,
        ).toBe(303);
        const mail = await mailOnce('b.member@example.org', 'Moved: gathering 4 of the learning network');
        expect(mail.text).toContain('Library');
        expect(mail.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
      }
      const s = await gatheringBegun(n);
      if (n === 4) expect(Date.now()).toBeGreaterThanOrEqual(new Date(s.gatherings[3]!.date).getTime());
      // Everyone came, except organisation B at gathering 2.
      const present = [...members.a, ...(n === 2 || n > 4 ? [] : members.b), ...members.c, ...members.d];
      expect((await act('attendance', { gathering: String(n), present })).status).toBe(303);
      // The organisations answer side by side, each its homework first (it is due before the next
      // gathering), then its guidance log and evaluations; at gathering 4 B withdraws once it answered.
      const answering = (['a', 'b', 'c', 'd'] as const).map(async (key) => {
        // B is in the cohort until it withdraws after gathering 4, D from gathering 3.
        if ((key === 'b' && n > 4) || (key === 'd' && n < 3)) return;
        if (n < GATHERINGS && !(key === 'b' && n === 4)) {
          if (!(key === 'a' && n === 2))
            await answer(`${key}.leader@example.org`, `Homework before gathering ${n + 1}`, {
              report: 'We met twice.',
            });
          await answer(`${key}.leader@example.org`, `Guidance session before gathering ${n + 1}`, {
            held: 'yes',
          });
        }
        if (!(key === 'b' && n === 2))
          for (const who of ['owner', 'leader', 'member'])
            await answer(`${key}.${who}@example.org`, `Evaluation of gathering ${n}`, {
              useful: String(n === 1 ? 3 : 4),
            });
        if (key === 'b' && n === 4) await withdrawB();
      });
      await Promise.all(answering);
      if (n === 2) {
        // Organisation D joins late: it enrols now and takes part from gathering 3.
        const d = await enrol('d');
        expect((await act('enrolment', { organisationId: d, decision: 'approve', reason: '' })).status).toBe(
          303,
        );
        members.d = await membersOf('d');
        await mailOnce('d.member@example.org', 'Invitation: gathering 3 of the learning network');
        // Organisation A's homework is late: a reminder comes first, the answer after the due time.
        await mailOnce('a.leader@example.org', 'Reminder: Homework before gathering 3');
        // Late by the workflow's own clock: gathering 3's reminder is timed for the homework's due time
        // (reminderBefore = homeworkDueBefore), so once it is out, the workflow's time has passed it.
        const cohort = await status();
        const due = cohort.homework.find((h) => h.after === 2 && h.organisationId === orgs.a)!.dueAt;
        expect(Date.parse(cohort.gatherings[2]!.date) - Date.parse(due)).toBe(AHEAD * 1000);
        await mailOnce('a.owner@example.org', 'Reminder: gathering 3 of the learning network');
        await answer('a.leader@example.org', 'Homework before gathering 3', { report: 'Late, but done.' });
      }
    }

    // Closing: each organisation still in the cohort gives its final evaluation; then the report.
    for (const key of ['a', 'c', 'd'])
      await answer(`${key}.leader@example.org`, 'Final evaluation of the learning network', {
        overall: '5',
        programme: 'running',
      });
    await mailOnce(COORDINATOR_EMAIL, 'Cohort 1 has closed: its report');
    await expect.poll(async () => (await status()).phase, { timeout: 20_000 }).toBe('closed');

    // Emails: invitations to every gathering an organisation was part of, none once B had left.
    const invitations = async (address: string) =>
      (await mails(address)).filter((m) => m.subject?.startsWith('Invitation: gathering')).length;
    expect(await invitations('a.member@example.org')).toBe(7);
    // B left after gathering 4, when the invitation to gathering 5 had already gone out.
    expect(await invitations('b.member@example.org')).toBe(5);
    expect(await invitations('c.owner@example.org')).toBe(7);
    expect(await invitations('d.leader@example.org')).toBe(5);
    expect(
      (await mails('a.owner@example.org')).filter((m) => m.subject?.startsWith('Reminder: gathering')),
    ).toHaveLength(7);
    expect(await mails('b.leader@example.org', 'Evaluation of gathering 5')).toHaveLength(0);

    // The report the coordinator sees at the end.
    const page = await coordinator.get(cohortUrl);
    expect(page.status).toBe(200);
    const cells = (selector: string) =>
      page.doc
        .querySelectorAll(`${selector} tbody tr`)
        .map((tr) => tr.querySelectorAll('th, td').map((c) => c.textContent.replace(/\s+/g, ' ').trim()));
    const perGathering = cells('#report-gatherings');
    expect(perGathering).toHaveLength(7);
    expect(perGathering[0]!.slice(3)).toEqual(['3', '9 / 9', '9', '3']);
    expect(perGathering[1]!.slice(3)).toEqual(['2', '6 / 9', '6', '4']);
    expect(perGathering[2]!.slice(3)).toEqual(['4', '12 / 12', '12', '4']);
    expect(perGathering[3]![1]).toContain('moved from');
    expect(perGathering[4]!.slice(3)).toEqual(['3', '9 / 9', '9', '4']);
    const perOrganisation = Object.fromEntries(cells('#report-organisations').map((r) => [r[0], r.slice(1)]));
    // state, joined at, attended, on time, late, missing, guidance, final score
    expect(perOrganisation['Municipality A']).toEqual(['approved', '1', '7', '5', '1', '0', '6', '5']);
    expect(perOrganisation['Municipality B']).toEqual(['withdrawn', '1', '3', '3', '0', '1', '3', '']);
    expect(perOrganisation['Municipality C']).toEqual(['approved', '1', '7', '6', '0', '0', '6', '5']);
    expect(perOrganisation['Municipality D']).toEqual(['approved', '3', '5', '4', '0', '0', '4', '5']);
    const csv = await coordinator.get(`${cohortUrl}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.html).toContain('organisation,Municipality A,approved,1,7,5,1,0,6,5,running');
    // Kept beside the screenshots, for anyone who wants to see what the coordinator gets.
    mkdirSync('data/screenshots', { recursive: true });
    writeFileSync('data/screenshots/cohort-report.csv', csv.html);

    // Every run (one per gathering) replays against the workflow code as it is.
    await expectReplays(stack, workflowId(), 'learning-network-cohort-closes-after-reminders');

    // Retention: once the programme keeps data no longer, the members are erased and the report stays.
    await stack.sql`update programs set retention_days = 0 where id = ${stack.programId}`;
    await stack.client.workflow.execute('retentionSweepWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `retention-${stack.taskQueue}`,
    });
    expect(await stack.sql`select 1 from cohort_members where email not like '%@invalid'`).toHaveLength(0);
    expect(await stack.sql`select 1 from form_submissions where workflow_id = ${workflowId()}`).toHaveLength(
      0,
    );
    expect(await stack.sql`select 1 from erasures where rule = 'retention'`).toHaveLength(12);
    const after = await coordinator.get(cohortUrl);
    expect(after.text).toContain('Municipality A');
    expect(after.text).not.toContain('Leader a');
    expect(after.doc.querySelectorAll('#report-organisations tbody tr')).toHaveLength(4);
  }, 240_000);
});
