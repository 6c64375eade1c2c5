/**
 * The admin pages on a phone: a coordinator who is also an auditor, in a real browser 375 px wide with
 * JavaScript switched off, reads the programme page (applications with an interview form in each row, the
 * pool with a pairing form in each row), a relationship in its meetings (open steps, one escalated with
 * its decision form, and a long timeline), the audit search results and one workflow's history, and a
 * learning-network cohort (enrolments, a withdrawal, a moved gathering, forms in table rows). The data
 * is real and long where people's data is long: names, departments, places and 60-character workflow ids.
 * Then the other admin pages, and an administrator's (users, API tokens, the programme with its erase
 * forms). On every page nothing pushes the page sideways (wide tables scroll in their own named box),
 * axe-core finds nothing at that width, and a screenshot is kept under data/screenshots/phone/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  accessibilityViolations,
  chromiumPath,
  launchChromium,
  requireChromiumInCi,
  type Violation,
} from './helpers/chromium.js';
import {
  AGREEMENT,
  answerForm,
  applyAsMentee,
  COORDINATOR,
  linkIn,
  mailTo,
  matchedMentee,
  pooledMentor,
  useSettings,
} from './helpers/flows.js';
import { Browser as HttpBrowser, hiddenValue } from './helpers/http.js';
import { makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

requireChromiumInCi();

const PHONE = { width: 375, height: 740 };
const SCREENSHOTS = join('data', 'screenshots', 'phone');

/** A department name as long as Scandinavian compounds get, and a name with a hyphen. */
const LONG_DEPARTMENT = 'Organisationsutvecklingsavdelningen';

/** axe-core's WCAG 2.1 A/AA and best-practice rules on the page's HTML, laid out at the phone's width. */
const phoneViolations = (browser: Browser, origin: string, html: string): Promise<Violation[]> =>
  accessibilityViolations(browser, origin, html, PHONE);

/**
 * The page's width against the phone's, and the elements that stick out past its right edge (outside any
 * box that scrolls or clips them), for the failure message.
 */
const MEASURE = `(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  // Clipped by a box that scrolls or hides its overflow; an absolutely positioned element only by such a
  // box from its containing block outwards.
  const clipped = (el) => {
    const position = getComputedStyle(el).position;
    const from = position === 'absolute' || position === 'fixed' ? el.offsetParent : el.parentElement;
    for (let p = from; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // An element's own box, or the text overflowing it (a word too long for its line).
  const right = (el) => {
    const box = el.getBoundingClientRect();
    if (getComputedStyle(el).overflowX !== 'visible') return box.right;
    return Math.max(box.right, box.left + el.scrollWidth);
  };
  const sticking = [...document.body.querySelectorAll('*')]
    .filter((el) => right(el) > width + 0.5 && !clipped(el))
    .slice(0, 8)
    .map((el) => name(el) + ' (right ' + Math.round(right(el)) + '): ' +
      (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60));
  return { scrollWidth: root.scrollWidth, clientWidth: width, sticking };
})()`;

describe.skipIf(!chromiumPath)('the admin pages on a phone without JavaScript', () => {
  let stack: Stack;
  let browser: Browser;
  let account: { email: string; password: string };
  let coordinator: PhoneSession;
  let page: Page;
  let networkId: string;
  let relationshipId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack('pglite', { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      launchChromium(),
    ]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await stack.sql`update programs set name = 'Mentorprogrammet för organisationsutveckling 2027' where id = ${stack.programId}`;
    // Meetings every few seconds and a short wait before a form is reminded and escalated, so that a
    // relationship reaches its meetings, with an overdue log, while the test waits.
    await useSettings(stack, {
      managerEndorsement: false,
      duration: 'PT10M',
      meetingCadence: 'PT8S',
      meetingReminderBefore: 'PT2S',
      formReminderAfter: 'PT3S',
      formReminders: 1,
    });
    networkId = `network-${stack.programId.slice(5)}`;
    await stack.sql`
      insert into programs (id, name, coordinator_email, model, settings)
      values (${networkId}, 'Lærande nettverk for kommunehelsetenesta', 'network.coordinator@example.org',
        'learning-network', ${stack.sql.json({ template: 'learning-network' })})`;
    account = await makeUser(stack, 'kari.nordmann-halvorsen.coordinator@example.org', [
      { role: 'coordinator', programId: stack.programId },
      { role: 'coordinator', programId: networkId },
      { role: 'auditor' },
    ]);

    coordinator = await phoneSession(account);
    page = coordinator.page;
  }, 180_000);

  afterAll(async () => {
    await coordinator?.close();
    await browser?.close();
    await stack?.close();
  });

  interface PhoneSession {
    /** The person's own browser: a phone without JavaScript. */
    page: Page;
    /** A context with the same session and scripts on, where the page's width is measured. */
    measuring: BrowserContext;
    close(): Promise<void>;
  }

  /** Signs `who` in on a phone without JavaScript, through the sign-in page. */
  async function phoneSession(who: { email: string; password: string }): Promise<PhoneSession> {
    const phone = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, isMobile: true });
    const page = await phone.newPage();
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programmes' }).waitFor();
    const measuring = await browser.newContext({ viewport: PHONE, isMobile: true });
    await measuring.addCookies(await phone.cookies());
    return {
      page,
      measuring,
      async close() {
        await measuring.close();
        await phone.close();
      },
    };
  }

  /** The page as the person sees it now: no sideways scrolling, nothing for axe, a screenshot kept. */
  async function expectFitsPhone(name: string, { page, measuring }: PhoneSession = coordinator) {
    const url = page.url();
    const violations = await phoneViolations(browser, stack.baseUrl, await page.content());
    expect.soft(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot of ${name} at 375 px: ${path}`);
    const m = await measuring.newPage();
    try {
      await m.goto(url);
      expect(await m.locator('h1').textContent()).toBe(await page.locator('h1').textContent());
      const { scrollWidth, clientWidth, sticking } = (await m.evaluate(MEASURE)) as {
        scrollWidth: number;
        clientWidth: number;
        sticking: string[];
      };
      expect.soft(clientWidth).toBe(PHONE.width);
      expect
        .soft(scrollWidth, `${name} scrolls sideways: ${sticking.join('; ')}`)
        .toBeLessThanOrEqual(clientWidth);
    } finally {
      await m.close();
    }
  }

  /** Reloads until `locator` is on the page (the visibility store lists new workflows after a moment). */
  async function reloadUntil(selector: string, count = 1) {
    await expect
      .poll(
        async () => {
          const n = await page.locator(selector).count();
          if (n < count) await page.reload();
          return n;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(count);
  }

  it('the programme page: applications with interview forms, the pool with pairing forms', async () => {
    // A pair who signed their agreement: the relationship's meetings begin.
    const mentee = 'maximiliane.oberdorfer-zwingli@example.org';
    const mentor = 'henrikke.aasmundstad-kvalheim@example.org';
    const relationship = await matchedMentee(
      stack,
      mentee,
      await pooledMentor(stack, mentor, 'Henrikke Aasmundstad-Kvalheim'),
    );
    relationshipId = relationship.workflowId;
    for (const address of [mentee, mentor]) {
      // "Your mentoring agreement", for a mentor with the mentee's name after it.
      const invitation = async () =>
        (await mailTo(stack, address, 1)).find((m) => m.subject?.startsWith('Your mentoring agreement'));
      await expect.poll(invitation, { timeout: 30_000, interval: 200 }).toBeTruthy();
      expect((await answerForm(linkIn((await invitation())!, 'f'), AGREEMENT)).status).toBe(200);
    }
    await pooledMentor(stack, 'bartholomew.featherstonehaugh@example.org', 'Bartholomew Featherstonehaugh');
    for (const [name, email] of [
      ['Aurelia Wolkenstein-Trostburg', 'aurelia@example.org'],
      ['Sigrún Þorvaldsdóttir', 'sigrun@example.org'],
    ] as const)
      await applyAsMentee(stack, { name, email, department: LONG_DEPARTMENT });
    // One mentee accepted at interview waits in the pool for a mentor.
    const { workflowId } = await applyAsMentee(stack, {
      name: 'Jean-Baptiste Delacroix-Montmorency',
      email: 'jean-baptiste@example.org',
      department: LONG_DEPARTMENT,
    });
    const pooled = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await pooled.query(relationshipStatus)).phase).toBe('interview');
    await pooled.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await expect.poll(async () => (await pooled.query(relationshipStatus)).phase).toBe('matching');

    await page.goto(`${stack.baseUrl}/admin/programs/${stack.programId}`);
    await reloadUntil('select[id^=outcome-]', 2);
    await reloadUntil('select[id^=pool-mentor-]');
    expect(await page.getByLabel('Outcome for Aurelia Wolkenstein-Trostburg').count()).toBe(1);
    expect(await page.getByLabel('Mentor for Jean-Baptiste Delacroix-Montmorency').count()).toBe(1);
    // The applications scroll in a box of their own, named by its heading.
    expect(await page.getByRole('region', { name: 'Applications received' }).count()).toBe(1);
    await expectFitsPhone('programme');
  }, 180_000);

  it('a relationship in its meetings: open steps with an escalated one, and a long timeline', async () => {
    const handle = stack.client.workflow.getHandle(relationshipId);
    // In its meetings, with a meeting's log overdue and handed to the coordinator.
    await expect
      .poll(
        async () => {
          const { phase, open } = await handle.query(relationshipStatus);
          return phase === 'meetings' && open.some((s) => s.escalated);
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    await page.goto(`${stack.baseUrl}/admin/programs/${stack.programId}/relationships/${relationshipId}`);
    expect(await page.locator('h1').textContent()).toBe('Mentee maximiliane.oberdorfer-zwingli@example.org');
    expect(
      await page.getByRole('group', { name: 'What happens with this form' }).count(),
    ).toBeGreaterThanOrEqual(1);
    expect(await page.locator('table.timeline tbody tr').count()).toBeGreaterThanOrEqual(15);
    await expectFitsPhone('relationship');
  }, 120_000);

  it('the audit search results and one workflow with its runs and timeline', async () => {
    await page.goto(`${stack.baseUrl}/admin/audit?program=${stack.programId}`);
    // Six workflows: two mentors and four mentees.
    await reloadUntil('main table tbody tr', 6);
    expect(await page.locator(`main a[href$="/admin/audit/workflows/${relationshipId}"]`).count()).toBe(1);
    expect(relationshipId.length).toBeGreaterThanOrEqual(57);
    await expectFitsPhone('audit-results');

    await page.locator(`main a[href$="/admin/audit/workflows/${relationshipId}"]`).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`History of ${relationshipId}`);
    expect(await page.locator('table.timeline tbody tr').count()).toBeGreaterThanOrEqual(15);
    await expectFitsPhone('audit-workflow');
  }, 120_000);

  it('a learning-network cohort: enrolments, a withdrawal, a moved gathering, forms in rows', async () => {
    const coordinator = await signIn(stack.baseUrl, account);
    const cohortsUrl = `${stack.baseUrl}/admin/programs/${networkId}/cohorts`;
    const rows: Record<string, string> = {};
    const day = 24 * 3600 * 1000;
    const first = Date.now() + 3 * day;
    for (let n = 1; n <= 7; n++) {
      rows[`date-${n}`] = new Date(first + (n - 1) * 30 * day).toISOString().slice(0, 16);
      rows[`place-${n}`] = `Rådhuset, Kongens gate ${n}, møterom Trondhjemsfjorden`;
      rows[`theme-${n}`] = `Samhandling ${n}: introduksjonsprogram for nyutdannede sykepleiere`;
    }
    const list = await coordinator.get(cohortsUrl);
    const started = await coordinator.post(cohortsUrl, { ...rows, _csrf: hiddenValue(list, '_csrf') });
    expect(started.status, started.text).toBe(303);

    const enrol = async (organisation: string, key: string) => {
      const http = new HttpBrowser();
      const url = `${stack.baseUrl}/programs/${networkId}/enrol`;
      const form = await http.get(url);
      const res = await http.post(url, {
        organisation,
        ownerName: `Eier ${key}`,
        ownerEmail: `${key}.eier@example.org`,
        leaderName: `Prosjektleder ${key}`,
        leaderEmail: `${key}.prosjektleder-kommunehelsetenesta@example.org`,
        members: `Medlem ${key}, ${key}.medlem@example.org`,
        motivation: 'Nyutdannede sykepleiere slutter innen et år; mentorer kan hjelpe dem å bli.',
        consent: 'yes',
        submissionId: hiddenValue(form, 'submissionId'),
      });
      expect(res.status, res.text).toBe(200);
      const [org] = await stack.sql<{ id: string }[]>`
        select id::text from cohort_organisations where name = ${organisation}`;
      return org!.id;
    };
    const cohortUrl = `${cohortsUrl}/1`;
    const act = async (path: string, fields: Record<string, string>) => {
      const current = await coordinator.get(cohortUrl);
      const res = await coordinator.post(`${cohortUrl}/${path}`, {
        ...fields,
        _csrf: hiddenValue(current, '_csrf'),
      });
      expect(res.status, res.text).toBe(303);
    };
    const orgs = [
      await enrol('Trøndelag fylkeskommune, Kompetanseutviklingsavdelingen', 'a'),
      await enrol('Midtre Gauldal kommune', 'b'),
      await enrol('Nordre Follo kommune, Helse- og omsorgstjenestene', 'c'),
      await enrol('Vestre Slidre kommune', 'd'),
    ];
    for (const id of orgs.slice(0, 3))
      await act('enrolment', { organisationId: id, decision: 'approve', reason: '' });
    await act('withdraw', {
      organisationId: orgs[1]!,
      reason: 'Prosjektlederen har sluttet og ingen tar over.',
    });
    await act('move', {
      gathering: '2',
      date: new Date(first + 31 * day).toISOString().slice(0, 16),
      place: 'Biblioteket, Peter Egges plass 1',
      reason: 'Rådhuset er opptatt den dagen.',
    });

    await page.goto(cohortUrl);
    expect(await page.locator('h1').textContent()).toBe(
      'Cohort 1 of Lærande nettverk for kommunehelsetenesta',
    );
    await reloadUntil('input[id^=withdraw-reason-]', 2);
    expect(await page.locator('input[id^=move-date-]').count()).toBe(7);
    expect(await page.locator('main').textContent()).toContain('Vestre Slidre kommune');
    await expectFitsPhone('cohort');

    await page.goto(cohortsUrl);
    expect(await page.locator('input[id^=date-]').count()).toBeGreaterThanOrEqual(1);
    await expectFitsPhone('cohorts');
  }, 120_000);

  it('the other admin pages: programmes, dashboard, forms, a form, settings; users and tokens for an administrator', async () => {
    const programme = `${stack.baseUrl}/admin/programs/${stack.programId}`;
    const pages: [string, string][] = [
      ['programmes', `${stack.baseUrl}/admin`],
      ['dashboard', `${programme}/dashboard`],
      ['settings', `${programme}/settings`],
      ['forms', `${programme}/forms`],
      ['audit-search', `${stack.baseUrl}/admin/audit`],
    ];
    for (const [name, url] of pages) {
      await page.goto(url);
      expect(await page.locator('h1').textContent(), name).not.toMatch(/not found|not allowed/i);
      await expectFitsPhone(name);
    }
    await page.goto(`${programme}/forms`);
    await page.locator('main table a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectFitsPhone('form-editor');

    // An administrator sees more: every account with its forms, the API tokens, the new-programme form.
    const administrator = await phoneSession(
      await makeUser(stack, 'ingeborg.administrator-sørensen@example.org', [{ role: 'administrator' }]),
    );
    try {
      const admin = administrator.page;
      await admin.goto(`${stack.baseUrl}/admin/api-tokens`);
      await admin.getByLabel('Name').fill('Personalsystemets nattlige eksport av deltakere');
      await admin.getByLabel('Programme').selectOption(stack.programId);
      await admin.getByRole('button', { name: 'Create token' }).click();
      await admin.locator('#new-token').waitFor();
      await expectFitsPhone('api-tokens', administrator);
      for (const [name, path] of [
        ['users', 'admin/users'],
        ['new-programme', 'admin/programs/new'],
        ['programme-as-administrator', `admin/programs/${stack.programId}`],
      ] as const) {
        await admin.goto(`${stack.baseUrl}/${path}`);
        expect(await admin.locator('h1').textContent(), name).not.toMatch(/not found|not allowed/i);
        await expectFitsPhone(name, administrator);
      }
    } finally {
      await administrator.close();
    }
  }, 120_000);
});
