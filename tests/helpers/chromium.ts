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
