/**
 * `npm start` as a newcomer runs it: no TEMPORAL_ADDRESS, no DATABASE_URL, no SMTP_URL. It starts the
 * dev server, PGlite and the dev mailbox itself; a person applies and finds both emails in the
 * mailbox; Ctrl-C stops everything; a second start finds the same workflow and data again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../platform/temporal/dev-server.js';
import { projectRoot } from '../platform/project.js';
import { Browser, hiddenValue, menteeAnswers } from './helpers/http.js';

interface Running {
  child: ChildProcess;
  output: () => string;
  url: string;
}

async function npmStart(env: Record<string, string>): Promise<Running> {
  const {
    TEMPORAL_ADDRESS: _a,
    DATABASE_URL: _d,
    SMTP_URL: _s,
    ADMIN_EMAIL: _e,
    ADMIN_PASSWORD: _p,
    ...rest
  } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/start.ts'], {
    cwd: projectRoot,
    env: { ...rest, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 90_000);
    const check = () => {
      const m = /^Open (http\S+)/m.exec(out);
      if (m && out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out, url };
}

async function stop(app: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGINT');
  return exited;
}

describe('npm start on a fresh machine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorflow-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('comes up on the embedded defaults, takes an application, and survives a restart', async () => {
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_DEV_UI_PORT: String(await freePort()),
    };
    const first = await npmStart(env);
    expect(first.output()).toMatch(/first administrator: admin@example.org \/ \S+ \(shown once\)/);
    const browser = new Browser();
    const home = await browser.get(first.url);
    const applyHref = home.doc.querySelector('main ul.programmes a')!.getAttribute('href')!;
    const applyUrl = new URL(applyHref, first.url).href;
    const form = await browser.get(applyUrl);
    const sent = await browser.post(applyUrl, {
      ...menteeAnswers(),
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(sent.status).toBe(200);

    let mailbox = await browser.get(new URL('dev/mailbox', first.url).href);
    for (let i = 0; i < 50 && mailbox.doc.querySelectorAll('article.mail').length < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      mailbox = await browser.get(new URL('dev/mailbox', first.url).href);
    }
    const subjects = mailbox.doc.querySelectorAll('article.mail h2').map((h) => h.textContent);
    expect(subjects.sort()).toEqual([
      expect.stringMatching(/^New mentee application: /),
      'Please confirm your mentoring application',
      'Your mentoring application is received',
    ]);
    // The applicant confirms the address from the emailed link; only then is the manager asked.
    const confirmUrl = mailbox.doc
      .querySelectorAll('article.mail')
      .find((a) => a.querySelector('h2')?.textContent === 'Please confirm your mentoring application')!
      .querySelectorAll('a')
      .map((a) => a.getAttribute('href')!)
      .find((h) => h.includes('/f/'))!;
    const confirmForm = await browser.get(confirmUrl);
    const confirmed = await browser.post(confirmUrl, {
      confirm: 'yes',
      submissionId: hiddenValue(confirmForm, 'submissionId'),
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    for (let i = 0; i < 50 && mailbox.doc.querySelectorAll('article.mail').length < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      mailbox = await browser.get(new URL('dev/mailbox', first.url).href);
    }
    expect(mailbox.doc.querySelectorAll('article.mail h2').map((h) => h.textContent)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Please endorse a mentoring application: /)]),
    );
    const statusUrl = mailbox.doc
      .querySelectorAll('article.mail a')
      .map((a) => a.getAttribute('href')!)
      .find((h) => h.includes('/s/'))!;
    // The log says an email was written, never its personal link (a bearer secret).
    expect(first.output()).toContain('dev-mailbox: an email was written');
    expect(first.output()).not.toContain(statusUrl.split('/s/')[1]!);
    expect((await browser.get(statusUrl)).text).toContain('Your manager has been asked to endorse');

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = await npmStart(env);
    expect(second.output()).not.toContain('first administrator');
    const again = await browser.get(statusUrl);
    expect(again.status).toBe(200);
    expect(again.text).toContain('Your manager has been asked to endorse');
    expect(await stop(second)).toBe(0);
  }, 240_000);
});
