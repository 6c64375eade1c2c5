/**
 * A person with a phone-sized browser and JavaScript switched off applies: the form shows its errors
 * and keeps what was typed, then goes through, and the emailed status link opens their status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium, requireChromiumInCi } from './helpers/chromium.js';
import { startStack, type Stack } from './helpers/stack.js';

requireChromiumInCi();

describe.skipIf(!chromiumPath)('applying in a real browser without JavaScript', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('pglite'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('fills in the form, fixes a mistake, submits, and follows the emailed link', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    expect(await page.locator('h1').textContent()).toBe('Apply for a mentor');

    await page.getByLabel('Your name').fill('Ingrid Bergman');
    await page.getByLabel('Your work email').fill('ingrid@example'); // a mistake
    await page.getByLabel('Department or unit').fill('Film');
    await page.getByLabel('Where you work').fill('Stockholm');
    await page.getByLabel('Your level in the organisation').selectOption('3');
    await page.getByLabel('Swedish').check();
    await page.getByLabel("Your daily manager's email").fill('boss@example.se');
    await page.getByLabel('Why do you want a mentor now?').fill('New role.');
    await page.getByLabel('What do you want to achieve or learn?').fill('Lead a team.');
    await page.getByRole('button', { name: 'Send my application' }).click();

    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    const summary = await page.locator('.error-summary').textContent();
    expect(summary).toContain('must be an email address');
    expect(summary).toContain('Please tick');
    expect(await page.getByLabel('Your name').inputValue()).toBe('Ingrid Bergman');
    expect(await page.getByLabel('Swedish').isChecked()).toBe(true);
    await page.screenshot({ path: 'data/screenshots/apply-errors.png', fullPage: true });

    await page.getByLabel('Your work email').fill('ingrid@example.se');
    await page.getByLabel(/I agree/).check();
    await page.getByRole('button', { name: 'Send my application' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, your application is in');

    const [mail] = (
      await stack.smtp.waitFor((m) => m.some((x) => x.subject === 'Your mentoring application is received'))
    ).filter((x) => x.subject === 'Your mentoring application is received');
    const link = /(http\S+\/s\/\S+)/.exec(mail!.text!)![1]!;
    await page.goto(link);
    expect(await page.locator('[aria-current=step]').textContent()).toBe('Manager endorsement');
    await page.screenshot({ path: 'data/screenshots/status.png', fullPage: true });

    // Nothing overflows a phone's width (measured with scripts on, in a context of its own).
    const measuring = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const m = await measuring.newPage();
    await m.goto(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    expect(await m.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await measuring.close();
    await context.close();
  });
});
