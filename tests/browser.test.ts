/**
 * People with a phone-sized browser and JavaScript switched off: a mentee applies (the form shows its
 * errors and keeps what was typed, then goes through, and the emailed status link opens the status),
 * then signs the agreement and logs a meeting from emailed links. axe-core checks every page they see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { relationshipStatus, STATUS_MEMO } from '../workflows/messages.js';
import {
  accessibilityViolations,
  chromiumPath,
  launchChromium,
  requireChromiumInCi,
} from './helpers/chromium.js';
import {
  AGREEMENT,
  answerLatest,
  linkIn,
  mailTo,
  matchedMentee,
  pooledMentor,
  useSettings,
  waitForMail,
  subjectIs,
} from './helpers/flows.js';
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

  /** The page as the person sees it now passes axe's WCAG 2.1 AA and best-practice rules. */
  async function expectAccessible(page: import('playwright-core').Page) {
    const violations = await accessibilityViolations(browser, stack.baseUrl, await page.content());
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    checked++;
  }
  let checked = 0;
  const phone = () =>
    browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 }, isMobile: true });

  it('fills in the form, fixes a mistake, submits, and follows the emailed link', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    expect(await page.locator('h1').textContent()).toBe('Apply for a mentor');
    expect(await page.locator('[aria-current=step]').textContent()).toBe('Application');
    await expectAccessible(page);

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
    await expectAccessible(page);

    await page.getByLabel('Your work email').fill('ingrid@example.se');
    await page.getByLabel(/I agree/).check();
    await page.getByRole('button', { name: 'Send my application' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, your application is in');

    const [mail] = (
      await stack.smtp.waitFor((m) => m.some((x) => x.subject === 'Your mentoring application is received'))
    ).filter((x) => x.subject === 'Your mentoring application is received');
    const link = /(http\S+\/s\/\S+)/.exec(mail!.text!)![1]!;
    // The confirmation leaves before the workflow moves on to the endorsement: a reload shows it.
    await expect
      .poll(async () => {
        await page.goto(link);
        return page.locator('[aria-current=step]').textContent();
      })
      .toBe('Manager endorsement');
    await page.screenshot({ path: 'data/screenshots/status.png', fullPage: true });
    await expectAccessible(page);

    // The same form in Norwegian, chosen from the page's language links.
    await page.goto(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    await page.getByRole('link', { name: 'Norsk' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Søk om mentor');
    await page.getByRole('button', { name: 'Send søknaden' }).click();
    await expect
      .poll(() => page.locator('.error-summary h2').textContent())
      .toMatch(/^Rett opp disse \d+ tingene$/);
    await page.screenshot({ path: 'data/screenshots/apply-errors-nb.png', fullPage: true });
    await expectAccessible(page);

    // Nothing overflows a phone's width (measured with scripts on, in a context of its own).
    const measuring = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const m = await measuring.newPage();
    await m.goto(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    expect(await m.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await measuring.close();
    await context.close();
  });

  it('signs the agreement after a mistake, then logs the first meeting, every page accessible', async () => {
    await useSettings(stack, {
      managerEndorsement: false,
      duration: 'PT20S',
      meetingCadence: 'PT5S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT10M',
    });
    const mentor = await pooledMentor(stack, 'greta@example.org', 'Greta Garbo', '1');
    const relationship = await matchedMentee(stack, 'liv@example.org', mentor);
    const context = await phone();
    const page = await context.newPage();

    const invitation = (await mailTo(stack, 'liv@example.org', 4)).find((m) =>
      subjectIs(m.subject, 'Your mentoring agreement'),
    );
    await page.goto(linkIn(invitation!, 'f'));
    expect(await page.locator('h1').textContent()).toBe('Your mentoring agreement');
    expect(await page.locator('[aria-current=step]').textContent()).toBe('Kickoff');
    await expectAccessible(page);
    await page.getByLabel('What the mentee wants to achieve').fill('Lead a team of five.');
    await page.getByLabel('Concrete milestones on the way').fill('One-to-ones with everyone by March.');
    await page.getByLabel('How you meet').selectOption('video');
    await page.getByLabel(/What we discuss stays between us/).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('I sign this agreement.');
    expect(await page.getByLabel('Concrete milestones on the way').inputValue()).toBe(
      'One-to-ones with everyone by March.',
    );
    await expectAccessible(page);
    await page.screenshot({ path: 'data/screenshots/agreement-errors.png', fullPage: true });
    await page.getByLabel('I sign this agreement.').check();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, your answer is in');
    await expectAccessible(page);

    await answerLatest(stack, 'greta@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await waitForMail(stack, 'liv@example.org', 'Log of meeting 1');
    const log = (await mailTo(stack, 'liv@example.org', 6)).find((m) => m.subject === 'Log of meeting 1');
    // The same log in Swedish, as a person who chose that language sees it.
    const swedish = await context.newPage();
    await swedish.goto(`${linkIn(log!, 'f')}?lang=sv`);
    expect(await swedish.locator('h1').textContent()).toBe('Logg från mentorsmötet');
    expect(await swedish.getByLabel('Blev mötet av?').count()).toBe(1);
    await swedish.screenshot({ path: 'data/screenshots/meeting-log-sv.png', fullPage: true });
    await expectAccessible(swedish);
    await page.goto(linkIn(log!, 'f'));
    expect(await page.locator('[aria-current=step]').textContent()).toBe('Meetings');
    expect(await page.locator('.meeting-count').textContent()).toMatch(/^Meeting [1-4] of 4$/);
    await expectAccessible(page);
    await page.getByLabel('Did the meeting take place?').selectOption('yes');
    await page.getByLabel('When you met').fill('2027-02-01');
    await page.getByLabel('What you talked about (the agenda)').fill('Hard conversations.');
    await page.getByLabel('What you learned or will try').fill('Ask before telling.');
    await page.screenshot({ path: 'data/screenshots/meeting-log.png', fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Thank you, your answer is in');
    await expect.poll(async () => (await relationship.query(relationshipStatus)).meetings?.held).toBe(1);
    await context.close();
    expect(checked).toBe(9); // four pages while applying (one in Norwegian), five here (one in Swedish)
  });

  it('moves a meeting on a phone from its emailed link, after a mistake, every page accessible', async () => {
    await useSettings(stack, {
      managerEndorsement: false,
      timeZone: 'Europe/Oslo',
      duration: 'P3M',
      meetingCadence: 'P1M',
    });
    const before = checked;
    const mentor = await pooledMentor(stack, 'ingrid@example.org', 'Ingrid Bergman', '1');
    const relationship = await matchedMentee(stack, 'ulla@example.org', mentor);
    await answerLatest(stack, 'ulla@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await answerLatest(stack, 'ingrid@example.org', 'Your mentoring agreement', AGREEMENT, 4);
    await waitForMail(stack, 'ingrid@example.org', 'Your mentoring pair is under way');
    const kickoff = (await mailTo(stack, 'ingrid@example.org', 4)).find((m) =>
      subjectIs(m.subject, 'Your mentoring pair is under way'),
    );
    // The kickoff goes out a moment before the workflow publishes the meeting it announces.
    const status = async () =>
      (await stack.client.workflow.getHandle(relationship.workflowId).describe()).memo?.[STATUS_MEMO] as
        { meetings?: { next?: number } } | undefined;
    await expect.poll(async () => (await status())?.meetings?.next).toBe(1);
    const context = await phone();
    const page = await context.newPage();
    await page.goto(linkIn(kickoff!, 'm'));
    expect(await page.locator('h1').textContent()).toBe('Your mentoring meeting');
    await expectAccessible(page);
    await page.getByLabel('New time (Europe/Oslo)').fill('9');
    await page.getByRole('button', { name: 'Move the meeting' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('New time: enter a time');
    await expectAccessible(page);
    await page.getByLabel('New time (Europe/Oslo)').fill('09:00');
    await page.getByRole('button', { name: 'Move the meeting' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Moved.');
    expect(await page.locator('body').textContent()).toMatch(/at 9:00\s?AM Europe\/Oslo/);
    await expectAccessible(page);
    await page.screenshot({ path: 'data/screenshots/meeting-move.png', fullPage: true });
    await context.close();
    expect(checked - before).toBe(3);
  });
});
