/**
 * Drill: 10,000 fuzzed submissions (seeded, so a failure can be replayed with `--seed`) to the
 * application forms, to form links from emails and to status links: random fields and values, sizes
 * up to past the body limit, content types and broken encodings, forged and mangled tokens. No answer
 * may be a 5xx; every refusal must be a page that says what is wrong (an <h1>); and a form sent back
 * with errors must keep what was typed; every answer accepted, in whichever of the five languages
 * the page thanked for it, must be stored, and a valid application in each language must be accepted.
 * `npm run drill:fuzz [-- --short] [--count N] [--seed S]`
 */
import { parse } from 'node-html-parser';
import { LANGUAGES, translator, type Language } from '../platform/i18n.js';
import { linkIn } from './support/mailbox.js';
import { applyAsMentee, HttpLog } from './support/people.js';
import { main, option, pool, progress, short } from './support/run.js';
import { startStack } from './support/stack.js';
import { verdict } from './support/verdict.js';
import { fuzzCase, LANGUAGE_EDGES, type FuzzTargets } from './support/fuzz-cases.js';

/**
 * The titles of the pages that accept an answer, in every language of locales/ (a form sent with
 * `lang=nb` is answered in Norwegian, and its answer must be stored all the same): anything else with
 * a 2xx only shows a page.
 */
const ACCEPTED = new Map<string, Language>(
  LANGUAGES.flatMap((lang) => {
    const t = translator(lang);
    return [t('apply.receivedHeading'), t('message.answerReceived.title')].map(
      (title): [string, Language] => [title, lang],
    );
  }),
);

const titleOf = (html: string) => parse(html).querySelector('main h1')?.text.trim() ?? '';

main(async () => {
  const count = option('count', short ? 1_000 : 10_000);
  const seed = option('seed', Date.now() % 1_000_000);
  // `--only 808` replays one case of a seed, to reproduce a failure alone.
  const only = option('only', -1);
  const stack = await startStack({ settings: { managerEndorsement: true, formReminderAfter: 'PT10M' } });
  const http = new HttpLog();

  // A few real form links (managers' endorsement forms) and status links to aim at.
  const formLinks: string[] = [];
  const statusLinks: string[] = [];
  for (let i = 0; i < 5; i++) {
    await applyAsMentee(http, stack, `fuzz-${i}@example.org`, `Fuzz ${i}`);
    const endorsement = await stack.mailbox.waitFor(`endorsement ${i}`, () =>
      stack.mailbox.to(`manager.fuzz-${i}@example.org`).at(0),
    );
    formLinks.push(linkIn(endorsement, 'f'));
    const confirmation = await stack.mailbox.waitFor(`confirmation ${i}`, () =>
      stack.mailbox.to(`fuzz-${i}@example.org`).at(0),
    );
    statusLinks.push(linkIn(confirmation, 's'));
  }
  const targets: FuzzTargets = {
    baseUrl: stack.baseUrl,
    programId: stack.programId,
    formLinks: formLinks.slice(0, 4),
    statusLinks,
    edgeStepLink: formLinks[4]!,
  };
  progress(`fuzzing with seed ${seed}: ${count} requests`);

  const failures: string[] = [];
  /** Submission ids of answers the API accepted (200/202), with the case that sent each. */
  const acceptedIds = new Map<string, string>();
  /** Accepted answers by the language of the page that said so. */
  const acceptedIn = new Map<Language, number>();
  const tally = { accepted: 0, answered: 0, refused: 0, reRendered: 0, kept: 0, unclear: 0, skipped: 0 };
  /** Links that once gave no answer at all: later cases on them would only wait too, so they are skipped. */
  const stuck = new Set<string>();
  let done = 0;
  await pool(only >= 0 ? [only] : Array.from({ length: count }, (_, i) => i), 16, async (i) => {
    const c = fuzzCase(seed, i, targets);
    if (stuck.has(c.url)) {
      tally.skipped++;
      return;
    }
    // A person gives up on a page that does not answer; so does the drill, and says so.
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(new Error('no answer within 30 s')), 30_000);
    const res = await fetch(c.url, {
      method: c.method,
      headers: c.headers,
      body: c.body,
      redirect: 'manual',
      signal: giveUp.signal,
    })
      .catch((err: Error) => err)
      .finally(() => clearTimeout(timer));
    const where = `case ${i} (--seed ${seed}): ${c.describe}`;
    if (res instanceof Error) {
      failures.push(`${where}: no answer (${giveUp.signal.aborted ? 'none within 30 s' : res.message})`);
      if (giveUp.signal.aborted) stuck.add(c.url);
      return;
    }
    const html = await res.text();
    if (res.status >= 500) {
      failures.push(`${where}: ${res.status}`);
      progress(
        `  ${res.status} on case ${i}: ${parse(html).querySelector('main')?.text.trim().slice(0, 200)}`,
      );
      http.serverErrors.push(`${res.status}`);
    } else if (res.status >= 400) {
      tally.refused++;
      const doc = parse(html);
      const title = doc.querySelector('main h1')?.text.trim();
      const isHtml = res.headers.get('content-type')?.startsWith('text/html');
      if (!title || !isHtml) {
        tally.unclear++;
        failures.push(`${where}: ${res.status} without a page that says why`);
      }
      if (c.typed && doc.querySelector('main form')) {
        tally.reRendered++;
        const lost = lostFields(doc, c.typed);
        if (lost.length === 0) tally.kept++;
        else failures.push(`${where}: ${res.status} form shown again without ${lost.join(', ')}`);
      }
    } else {
      const acceptedInLang = ACCEPTED.get(titleOf(html));
      if (acceptedInLang) {
        tally.accepted++;
        acceptedIn.set(acceptedInLang, (acceptedIn.get(acceptedInLang) ?? 0) + 1);
        if (c.submissionId && c.method === 'POST') acceptedIds.set(c.submissionId, where);
      } else tally.answered++;
    }
    // A valid application in each language: accepted in that language (so its storage is checked below).
    const lang = LANGUAGE_EDGES.get(i);
    if (lang) {
      const title = titleOf(html);
      if (res.status >= 400 || ACCEPTED.get(title) !== lang)
        failures.push(`${where}: ${res.status} "${title}", not accepted in ${lang}`);
    }
    if (++done % 1000 === 0) progress(`${done} sent`);
  });
  // Every accepted answer is stored, under its submission id (a 202's receipt follows within seconds).
  const notStored = async () => {
    const ids = [...acceptedIds.keys()];
    const rows = await stack.sql<{ id: string }[]>`
      select submission_id as id from applications where submission_id = any(${ids})
      union all select submission_id from form_submissions where submission_id = any(${ids})`;
    const stored = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !stored.has(id));
  };
  const deadline = Date.now() + 60_000;
  let lost = await notStored();
  while (lost.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    lost = await notStored();
  }
  for (const id of lost) failures.push(`${acceptedIds.get(id)}: accepted, but not stored after a minute`);
  return verdict(
    'fuzz',
    `${count} fuzzed submissions (seed ${seed}): ${failures.filter((f) => /: 5\d\d$/.test(f)).length} 5xx, ` +
      `${tally.refused} refused with a page that says why (${tally.unclear} without), ` +
      `input kept in ${tally.kept} of ${tally.reRendered} forms shown again, ${tally.accepted} accepted ` +
      `(${LANGUAGES.map((l) => `${acceptedIn.get(l) ?? 0} ${l}`).join(', ')}; ${lost.length} of them not stored), ${tally.answered} other pages` +
      (stuck.size ? `, ${stuck.size} links stopped answering (${tally.skipped} cases on them skipped)` : ''),
    failures.length === 0,
    failures,
    stack,
  );
});

/** The typed values the re-rendered form does not show again (compared as a browser would display them). */
function lostFields(doc: ReturnType<typeof parse>, typed: Record<string, string>): string[] {
  const lost: string[] = [];
  const norm = (s: string) =>
    s
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .trim();
  for (const [name, value] of Object.entries(typed)) {
    const el = doc.querySelector(`main [name="${name}"]`);
    if (!el) continue;
    const shown = el.tagName === 'TEXTAREA' ? el.text : (el.getAttribute('value') ?? '');
    if (norm(shown) !== norm(value)) lost.push(name);
  }
  return lost;
}
