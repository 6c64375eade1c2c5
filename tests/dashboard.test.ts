/**
 * The coordinator's programme dashboard over real HTTP, real Temporal and real email: relationships in
 * different phases (one waiting for the manager's endorsement until it escalates, one at the interview,
 * one declined), a mentor in the pool; the page counts them per phase in its table and its chart, what
 * waits for the coordinator and which forms are overdue, and only the programme's readers see it.
 * Visibility is eventually consistent, so the page is read again until the counts settle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  answerForm,
  applyAsMentee,
  COORDINATOR,
  linkIn,
  mailTo,
  pooledMentor,
  useSettings,
} from './helpers/flows.js';
import type { Browser, Page } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('the programme dashboard (database: %s)', (backend) => {
  let stack: Stack;
  let otherProgram: string;
  let coordinator: Browser;
  let dashboardUrl: string;

  beforeAll(async () => {
    stack = await startStack(backend, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    otherProgram = `${stack.programId}-other`;
    await stack.sql`
      insert into programs (id, name, coordinator_email) values (${otherProgram}, 'Other', 'x@example.org')`;
    coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'coord@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    dashboardUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/dashboard`;
  });
  afterAll(async () => stack?.close());

  const status = (workflowId: string) =>
    stack.client.workflow.getHandle(workflowId).query(relationshipStatus);

  /** A mentee applies and their manager endorses from the emailed link: the relationship reaches the interview. */
  async function endorsedMentee(name: string, email: string) {
    const manager = `mgr.${email}`;
    const { workflowId } = await applyAsMentee(stack, { name, email, managerEmail: manager });
    const [invitation] = await mailTo(stack, manager, 1);
    expect((await answerForm(linkIn(invitation!, 'f'), { endorse: 'yes' })).status).toBe(200);
    await expect.poll(async () => (await status(workflowId)).phase).toBe('interview');
    return workflowId;
  }

  const numberIn = (page: Page, selector: string) => page.doc.querySelector(selector)?.text.trim();
  const rows = (page: Page, table: string, key: string) =>
    Object.fromEntries(
      page.doc
        .querySelectorAll(`${table} tbody tr`)
        .map((tr) => [tr.getAttribute(key), Number(tr.querySelector('td')!.text.trim())]),
    );

  it('shows the phases as a table and a chart, what waits for the coordinator, and the overdue forms', async () => {
    const atInterview = await endorsedMentee('Bea Interview', 'bea@example.org');
    const declined = await endorsedMentee('Cid Declined', 'cid@example.org');
    await stack.client.workflow.getHandle(declined).executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'Not this year.', by: COORDINATOR }],
    });
    await pooledMentor(stack, 'grace@example.org', 'Grace Hopper');
    // From here on the programme reminds after a second and escalates after one reminder; the
    // relationships above keep the settings they started with.
    await useSettings(stack, { formReminderAfter: 'PT1S', formReminders: 1 });
    const { workflowId: waiting } = await applyAsMentee(stack, {
      name: 'Ann Waiting',
      email: 'ann@example.org',
      managerEmail: 'mgr.ann@example.org',
    });
    await expect
      .poll(async () => (await status(waiting)).open.find((s) => s.stepId === 'endorsement')?.escalated, {
        timeout: 30_000,
      })
      .toBe(true);

    const snapshot = async () => {
      const page = await coordinator.get(dashboardUrl);
      return {
        status: page.status,
        phases: rows(page, '#phase-table', 'data-phase'),
        approvals: numberIn(page, '#figure-approvals'),
        overdue: numberIn(page, '#figure-overdue'),
        escalated: numberIn(page, '#figure-escalated'),
        pool: numberIn(page, '#figure-pool'),
      };
    };
    await expect.poll(snapshot, { timeout: 30_000, interval: 500 }).toEqual({
      status: 200,
      phases: {
        application: 0,
        endorsement: 1,
        interview: 1,
        matching: 0,
        kickoff: 0,
        meetings: 0,
        closure: 0,
        closed: 1,
      },
      // Bea's interview and the decision on Ann's unanswered endorsement.
      approvals: '2',
      overdue: '1',
      escalated: '1',
      pool: '1',
    });

    const page = await coordinator.get(dashboardUrl);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.doc.querySelector('#temporal-failed')).toBeNull();
    expect(rows(page, '#approval-table', 'data-approval')).toEqual({ interviews: 1, decisions: 1 });
    expect(rows(page, '#outcome-table', 'data-outcome')).toMatchObject({ declined: 1, completed: 0 });
    expect(numberIn(page, '#figure-active')).toBe('2');
    expect(numberIn(page, '#figure-closed')).toBe('1');

    // The chart: an image named by its title, drawing every phase with its number.
    const chart = page.doc.querySelector('svg.chart-bars[role=img]')!;
    expect(chart).toBeTruthy();
    const title = page.doc.querySelector(`#${chart.getAttribute('aria-labelledby')}`);
    expect(title?.text).toBe('Bar chart of the relationships in each phase');
    const drawn = chart.querySelectorAll('g.row > text:not(.value)').map((t) => t.text);
    expect(drawn).toEqual([
      'Application',
      'Manager endorsement',
      'Interview',
      'Matching',
      'Kickoff',
      'Meetings',
      'Closure',
      'Closed',
    ]);
    expect(chart.querySelectorAll('text.value').map((t) => t.text)).toEqual([
      '0',
      '1',
      '1',
      '0',
      '0',
      '0',
      '0',
      '1',
    ]);
    expect(page.html).not.toMatch(/<svg[^>]*\sstyle=/);

    // The overdue form, by the mentee's name from the database, linking to the relationship's page.
    const overdue = page.doc.querySelectorAll('#overdue-table tbody tr');
    expect(overdue).toHaveLength(1);
    const link = overdue[0]!.querySelector('a')!;
    expect(link.text).toBe('Ann Waiting');
    expect(link.getAttribute('href')).toBe(`/admin/programs/${stack.programId}/relationships/${waiting}`);
    expect(overdue[0]!.text).toContain("Manager's endorsement");
    expect(overdue[0]!.text).toContain('manager');
    expect(overdue[0]!.text).toContain('yes');
    // Bea is at the interview, nothing of hers is overdue.
    expect(page.text).not.toContain('Bea Interview');
    expect(atInterview).toBeTruthy();

    // The programme page links here, and the page speaks the coordinator's language.
    const programme = await coordinator.get(`${stack.baseUrl}/admin/programs/${stack.programId}`);
    expect(programme.doc.querySelector(`a[href="/admin/programs/${stack.programId}/dashboard"]`)?.text).toBe(
      'Dashboard',
    );
    const nb = await coordinator.get(`${dashboardUrl}?lang=nb`);
    expect(nb.doc.querySelector('h1')?.text).toBe('Oversikt: Test programme');
    expect(nb.doc.querySelector('#phase-table tr[data-phase=endorsement] th')?.text).toBe(
      'Leders anbefaling',
    );
    await coordinator.get(`${dashboardUrl}?lang=en`);
  }, 180_000);

  it("is the programme's readers' only: another programme's coordinator is refused, an auditor reads it", async () => {
    const other = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'other@example.org', [{ role: 'coordinator', programId: otherProgram }]),
    );
    const refused = await other.get(dashboardUrl);
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain('Ann Waiting');
    expect((await other.get(`${stack.baseUrl}/admin/programs/${otherProgram}/dashboard`)).status).toBe(200);

    const auditor = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'auditor@example.org', [{ role: 'auditor' }]),
    );
    expect((await auditor.get(dashboardUrl)).status).toBe(200);
    expect((await auditor.get(`${stack.baseUrl}/admin/programs/no-such-programme/dashboard`)).status).toBe(
      404,
    );
    // Without a session the page asks to sign in first.
    const anonymous = await fetch(dashboardUrl, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });
});
