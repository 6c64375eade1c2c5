/**
 * A coordinator in a real browser with JavaScript switched off: signs in, records an interview on the
 * programme page, and opens the programme dashboard, whose chart is drawn on the server; on a phone,
 * changes the programme's settings and pairs a mentee from the pool. axe-core checks each page as the
 * coordinator saw it, and nothing overflows a phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  accessibilityViolations,
  chromiumPath,
  launchChromium,
  requireChromiumInCi,
} from './helpers/chromium.js';
import { applyAsMentee, COORDINATOR, pooledMentor, useSettings } from './helpers/flows.js';
import { makeUser, startStack, type Stack } from './helpers/stack.js';

requireChromiumInCi();

describe.skipIf(!chromiumPath)('the coordinator in a real browser without JavaScript', () => {
  let stack: Stack;
  let browser: Browser;
  let account: { email: string; password: string };
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('pglite'), launchChromium()]);
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    account = await makeUser(stack, 'coordinator.browser@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A browser without JavaScript at this size, signed in as the coordinator on the sign-in page. */
  async function signedIn(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Programmes');
    return { context, page };
  }

  it('records an interview on the programme page, then reads the dashboard and its chart', async () => {
    const { workflowId } = await applyAsMentee(stack, { name: 'Ines Interview', email: 'ines@example.org' });
    const relationship = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('interview');

    const { context, page } = await signedIn({ width: 1024, height: 900 });
    await page.getByRole('link', { name: 'Test programme' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Test programme');

    // The interview form shows once the visibility store lists Ines as waiting for her interview.
    const outcome = page.getByLabel('Outcome for Ines Interview');
    await expect
      .poll(
        async () => {
          if ((await outcome.count()) === 0) await page.reload();
          return outcome.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    await outcome.selectOption('accepted');
    await page.getByLabel('Notes (for the programme group only)').fill('Clear goals, ready to start.');
    await page.getByRole('button', { name: 'Record interview' }).click();

    // Back on the programme page without an error, and the relationship has moved on to matching.
    await expect
      .poll(() => page.url())
      .toBe(`${stack.baseUrl}/admin/programs/${stack.programId}?done=interviewed#applications-heading`);
    expect(await page.locator('.notice').textContent()).toContain('The interview is recorded');
    expect(await page.locator('#interview-error').count()).toBe(0);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Dashboard: Test programme');
    const matching = page.locator('#phase-table tr[data-phase=matching] td');
    await expect
      .poll(
        async () => {
          if ((await matching.textContent())?.trim() !== '1') await page.reload();
          return (await matching.textContent())?.trim();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('1');
    expect(await page.locator('#phase-table tr[data-phase=interview] td').textContent()).toBe('0');

    // The chart is a picture with a name, drawn without script, showing the phases with their numbers.
    const chart = page.getByRole('img', { name: 'Bar chart of the relationships in each phase' });
    expect(await chart.count()).toBe(1);
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    const chartText = await page.locator('svg.chart-bars').first().textContent();
    expect(chartText).toContain('Matching');
    expect(chartText).toContain('Manager endorsement');
    // The bars are drawn to scale: the matching bar is the only one with length.
    const widths = await page
      .locator('svg.chart-bars')
      .first()
      .locator('rect.bar')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    expect(widths.filter((w) => w > 0)).toHaveLength(1);

    const violations = await accessibilityViolations(browser, stack.baseUrl, await page.content());
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await page.screenshot({ path: 'data/screenshots/dashboard.png', fullPage: true });

    // The relationship page: where Ines stands, her phases over time as a picture, and who did what.
    await page.goto(`${stack.baseUrl}/admin/programs/${stack.programId}`);
    await page.getByRole('link', { name: 'Ines Interview' }).first().click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ines Interview');
    const picture = page.getByRole('img', { name: 'Phases over time' });
    expect(await picture.count()).toBe(1);
    expect((await picture.boundingBox())!.width).toBeGreaterThan(300);
    expect(await picture.textContent()).toContain('Interview');
    const interview = page.locator('table.timeline tr', { hasText: 'Interview recorded' });
    expect(await interview.textContent()).toContain(account.email);
    const relationshipViolations = await accessibilityViolations(
      browser,
      stack.baseUrl,
      await page.content(),
    );
    expect(relationshipViolations, JSON.stringify(relationshipViolations, null, 1)).toEqual([]);
    await page.screenshot({ path: 'data/screenshots/relationship.png', fullPage: true });

    // Nothing overflows a phone's width (measured with scripts on, in a context of its own, signed in).
    const measuring = await browser.newContext({ viewport: { width: 375, height: 740 } });
    await measuring.addCookies(await context.cookies());
    const phone = await measuring.newPage();
    await phone.goto(`${stack.baseUrl}/admin/programs/${stack.programId}/dashboard`);
    expect(await phone.locator('h1').textContent()).toBe('Dashboard: Test programme');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await measuring.close();
    await context.close();
  });

  it('changes a setting, is told a mistake by name, and pairs from the pool; axe finds nothing, nothing overflows', async () => {
    // Someone in the pool on each side: a mentee accepted at interview, and a mentor with a free place.
    await pooledMentor(stack, 'mira.mentor@example.org', 'Mira Mentor');
    const { workflowId } = await applyAsMentee(stack, { name: 'Pia Pool', email: 'pia@example.org' });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
    const { context, page } = await signedIn({ width: 375, height: 740 });

    await page.goto(`${stack.baseUrl}/admin/programs/${stack.programId}/settings`);
    expect(await page.locator('h1').textContent()).toBe('Programme settings');
    await page.getByLabel('Time between meetings').fill('fortnightly');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Time between meetings: enter a duration',
    );
    expect(await page.getByLabel('Time between meetings').inputValue()).toBe('fortnightly');
    const refused = await accessibilityViolations(browser, stack.baseUrl, await page.content());
    expect(refused, JSON.stringify(refused, null, 1)).toEqual([]);
    await page.getByLabel('Time between meetings').fill('P2W');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Settings saved.');
    expect(await page.getByLabel('Time between meetings').inputValue()).toBe('P2W');
    const saved = await accessibilityViolations(browser, stack.baseUrl, await page.content());
    expect(saved, JSON.stringify(saved, null, 1)).toEqual([]);
    await page.screenshot({ path: 'data/screenshots/settings.png', fullPage: true });

    // The pool lists Pia (once the visibility store has her) with Mira to choose.
    const choice = page.getByLabel('Mentor for Pia Pool');
    await page.goto(`${stack.baseUrl}/admin/programs/${stack.programId}`);
    await expect
      .poll(
        async () => {
          if ((await choice.count()) === 0) await page.reload();
          return choice.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    const pool = await accessibilityViolations(browser, stack.baseUrl, await page.content());
    expect(pool, JSON.stringify(pool, null, 1)).toEqual([]);
    await choice.selectOption({ label: 'Mira Mentor' });
    await page
      .locator('form[action$="/pool/pair"]', { has: page.getByLabel('Mentor for Pia Pool') })
      .getByRole('button', { name: 'Pair' })
      .click();
    await expect.poll(() => page.locator('[role=status]').first().textContent()).toContain('Pair made.');
    await page.screenshot({ path: 'data/screenshots/pool.png', fullPage: true });

    // Nothing overflows the phone's width (measured with scripts on, in a context of its own, signed in).
    const measuring = await browser.newContext({ viewport: { width: 375, height: 740 } });
    await measuring.addCookies(await context.cookies());
    const phone = await measuring.newPage();
    for (const path of ['/settings', '']) {
      await phone.goto(`${stack.baseUrl}/admin/programs/${stack.programId}${path}`);
      expect(await phone.locator('h1').textContent()).not.toBe('Page not found');
      expect(await phone.evaluate('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(375);
    }
    await measuring.close();
    await context.close();
  });
});
