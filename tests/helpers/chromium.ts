/** Debian's Chromium, headless, for tests of what a person sees. CI installs it; elsewhere tests skip without it. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export function requireChromiumInCi(): void {
  if (process.env.CI && !chromiumPath)
    throw new Error('CI must run the browser tests: install Debian chromium');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA and best-practice rules on a page's HTML as the person saw it. The person's
 * own context runs without JavaScript, so the page is loaded again (same origin, its stylesheet) in a
 * context where axe may run.
 */
export async function accessibilityViolations(
  browser: Browser,
  origin: string,
  html: string,
  /** Laid out at this size (a phone's, say), where boxes scroll and rules such as focusable regions apply. */
  viewport?: { width: number; height: number },
): Promise<Violation[]> {
  const { default: axe } = await import('axe-core');
  const context = await browser.newContext({ bypassCSP: true, ...(viewport ? { viewport } : {}) });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.setContent(html, { waitUntil: 'load' });
    await page.addScriptTag({ content: axe.source });
    const result = (await page.evaluate(`axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })`)) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  } finally {
    await context.close();
  }
}
