/**
 * Drill: 500 participants open the application form, then all send it at the same moment (loopback,
 * one request each, bounded in time). Every one must be accepted (no 5xx), stored once, and get one
 * confirmation email. `npm run drill:concurrent [-- --short] [--count N]`
 */
import { Browser, hiddenValue, menteeAnswers, type Page } from '../tests/helpers/http.js';
import { HttpLog } from './support/people.js';
import { main, option, pool, progress, quantile, short, until } from './support/run.js';
import { startStack } from './support/stack.js';
import { verdict } from './support/verdict.js';
import { goals } from '../bench/support/measure.js';

const CONFIRMATION = 'Your mentoring application is received';

main(async () => {
  const count = option('count', short ? 100 : 500);
  const stack = await startStack({ settings: { managerEndorsement: false } });
  const http = new HttpLog();
  const url = `${stack.baseUrl}/programs/${stack.programId}/apply`;

  // Everyone opens the form first (a few at a time), so the sending itself is what is simultaneous.
  const people = await pool(
    Array.from({ length: count }, (_, i) => i),
    20,
    async (i) => {
      const browser = new Browser();
      const form = http.count(await browser.get(url), 'form');
      return { i, browser, submissionId: hiddenValue(form, 'submissionId') };
    },
  );
  progress(`${count} forms open; sending all at once`);
  const started = performance.now();
  const results = await Promise.all(
    people.map(async ({ i, browser, submissionId }) => {
      const t0 = performance.now();
      const page: Page = await browser
        .post(url, {
          ...menteeAnswers({ email: `crowd-${i}@example.org`, name: `Crowd ${i}` }),
          submissionId,
        })
        .catch((err: Error) => ({ status: 0, text: err.message }) as Page);
      if (page.status) http.count(page, `application ${i}`);
      return { i, status: page.status, ms: performance.now() - t0, text: page.text };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const accepted = results.filter((r) => r.status === 200 || r.status === 202);
  const latencies = results.map((r) => r.ms);
  progress(`all answered in ${seconds.toFixed(1)} s; waiting for the confirmations`);

  const confirmed = await until(
    'every confirmation email',
    () => {
      const n = results.filter((r) =>
        stack.mailbox.to(`crowd-${r.i}@example.org`).some((m) => m.subject === CONFIRMATION),
      ).length;
      return n === accepted.length ? n : undefined;
    },
    180_000,
    500,
  ).catch(
    () =>
      results.filter((r) =>
        stack.mailbox.to(`crowd-${r.i}@example.org`).some((m) => m.subject === CONFIRMATION),
      ).length,
  );
  const [{ stored, people: distinct }] = (await stack.sql`
    select count(*)::int as stored, count(distinct participant_id)::int as people
    from applications where program_id = ${stack.programId}`) as unknown as [
    { stored: number; people: number },
  ];
  const duplicates = stack.mailbox.duplicates();
  const failed = results.filter((r) => r.status !== 200 && r.status !== 202);
  // The launch-day goal (`npm run bench` runs this drill too): each person sees the receipt soon.
  const p99 = quantile(latencies, 0.99);
  process.stdout.write(
    `${goals([
      {
        what: `${count} sending at once: every answer stored and confirmed, p99`,
        measured: `${(p99 / 1000).toFixed(1)} s, ${stored} stored, ${confirmed} confirmed`,
        target: `≤ 15 s, all ${count}`,
        met: p99 <= 15_000 && stored === count && confirmed === count,
      },
    ])}\n\n`,
  );
  return verdict(
    'concurrent',
    `${count} participants sending at once: ${accepted.length} accepted, ${stored} stored (${distinct} people), ` +
      `${confirmed} confirmed by email, ${failed.length} refused or failed, ${duplicates.length} duplicate emails; ` +
      `all answered in ${seconds.toFixed(1)} s, p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p99 ${quantile(latencies, 0.99).toFixed(0)} ms`,
    accepted.length === count &&
      stored === count &&
      distinct === count &&
      confirmed === count &&
      duplicates.length === 0,
    [
      ...failed.map((r) => `application ${r.i}: ${r.status || 'no answer'} ${r.text.slice(0, 160)}`),
      ...duplicates.map(([id, n]) => `email ${id} delivered ${n} times`),
    ],
    stack,
  );
});
