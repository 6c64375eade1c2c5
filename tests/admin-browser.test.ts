/**
 * A coordinator in a real browser with JavaScript switched off: signs in, records an interview on the
 * programme page, and opens the programme dashboard, whose chart is drawn on the server. axe-core checks
 * the dashboard as the coordinator saw it, and nothing on it overflows a phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { relationshipStatus } from '../workflows/messages.js';
import {
  accessibilityViolations,
  chromiumPath,
  launchChromium,
  requireChromiumInCi,
} from './helpers/chromium.js';
import { applyAsMentee, useSettings } from './helpers/flows.js';
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

  it('records an interview on the programme page, then reads the dashboard and its chart', async () => {
    const { workflowId } = await applyAsMentee(stack, { name: 'Ines Interview', email: 'ines@example.org' });
    const relationship = stack.client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('interview');

    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Programmes');
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
    await expect.poll(() => page.url()).toBe(`${stack.baseUrl}/admin/programs/${stack.programId}`);
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
    await page.getByRole('link', { name: 'Ines Interview' }).click();
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
});
