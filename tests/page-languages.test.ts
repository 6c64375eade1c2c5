/**
 * Every admin and participant page in the five languages, with no English left on a page shown in
 * another language except proper names and the data people typed: each page is fetched in English
 * and then with `?lang=` in each other language (forms sent with mistakes, receipts and message pages
 * by sending them in that language), in states that show as much as possible.
 *
 * How a page is read: the visible text of the whole document (its <title>, the header and <main>), that
 * is every text node outside <script>, <style>, <template>, <textarea>, elements marked `hidden` and
 * elements marked `translate="no"` (code names a coordinator types, such as a question's short name),
 * option texts included, plus the attributes a person sees or hears: `placeholder`, `title`, `alt`,
 * `aria-label` and the value of a button input. The values of text inputs and the contents of text
 * areas are not read: they are what a person typed, or the texts a coordinator edits (the form editor
 * shows a form's English master texts to edit), i.e. data.
 *
 * What counts as English: e-mail addresses, URLs and paths are removed first, then the data the test
 * itself made (names, addresses, programme names, answers, workflow ids), then every token holding a
 * digit (dates, numbers, ids, durations such as P1M). What is left is split into words (letters, with
 * inner hyphens and apostrophes); a word written in camelCase is a code name (a workflow type, an
 * answer's field) and is skipped. A word is English when it is one of the English texts' words
 * (locales/en/*.json, the English form definitions, the programme templates, and the same page
 * rendered in English, which catches English hard-coded in templates and code) and appears nowhere in
 * the language's own texts (locales/<lang>/*.json, leaving out values still identical to the English
 * ones, the forms' translations, and the language's month and weekday names), unless it is on the
 * short lists of words spelled the same (SAME_IN_EVERY_LANGUAGE, SAME_AS_ENGLISH).
 *
 * The English phrases found (the text of the element each English word is in) are printed per page
 * and language; the test fails on any that is not on the list of texts another change owns
 * (KNOWN_ELSEWHERE). With PAGE_LANGUAGES_DUMP=<dir> every page read is also written to <dir>.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import { HTMLElement, TextNode, type Node } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choicesOf, fieldsOf } from '../domain/forms/definition.js';
import { allForms } from '../domain/forms/index.js';
import { LANGUAGES, type Language } from '../platform/i18n.js';
import { LinkSigner } from '../platform/links.js';
import { PROGRAM_TEMPLATES } from '../domain/program-templates.js';
import { projectRoot } from '../platform/project.js';
import {
  endRelationship,
  recordInterview,
  relationshipStatus,
  roundStatus,
  assignMentee,
} from '../workflows/messages.js';
import {
  AGREEMENT,
  answerForm,
  applyAsMentee,
  COORDINATOR,
  linkIn,
  pooledMentor,
  useSettings,
} from './helpers/flows.js';
import { Browser, hiddenValue, menteeAnswers, mentorAnswers, type Page } from './helpers/http.js';
import { send } from './helpers/journey.js';
import { COORDINATOR_EMAIL, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const OTHERS = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');

/**
 * Words that are the same in English and the other languages, or names: abbreviations, the languages'
 * own names, the product's name.
 */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'ok',
  'csv',
  'api',
  'json',
  'svg',
  'utc',
  'id',
  'e-mail',
  'english',
  'norsk',
  'bokmål',
  'dansk',
  'svenska',
  'nederlands',
  'mentorflow',
  'temporal',
]);

/** Words of one language that are spelled as in English. */
const SAME_AS_ENGLISH: Record<Exclude<Language, 'en'>, string[]> = {
  nb: [],
  da: ['reference'],
  sv: [],
  nl: ['details'],
};

/** English known to remain on a page, by phrase; empty: anything English fails the test. */
const KNOWN_ELSEWHERE: RegExp[] = [];

// ---------------------------------------------------------------------------------------------------
// The words of each language's texts

const WORD = /\p{L}+(?:[-'’]\p{L}+)*/gu;
/** A code name: a lower-case letter followed by a capital (relationshipWorkflow, WorkflowExecutionStarted). */
const CODE = /\p{Ll}\p{Lu}/u;

function wordsOf(text: string): string[] {
  return [...text.matchAll(WORD)]
    .map((m) => m[0])
    .filter((w) => !CODE.test(w))
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1);
}

/** The texts of a catalogue file's values, placeholders and markup left out, by key path. */
function catalogueTexts(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string')
    out.set(
      path,
      value
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .replace(/\$t\([^)]*\)/g, ' ')
        .replace(/<[^>]*>/g, ' '),
    );
  else if (Array.isArray(value))
    value.forEach((v, i) => catalogueTexts(v, `${path}[${i}]`).forEach((t, k) => out.set(k, t)));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      catalogueTexts(v, path ? `${path}.${k}` : k).forEach((t, p) => out.set(p, t));
  return out;
}

function catalogueOf(lang: Language): Map<string, string> {
  const dir = join(projectRoot, 'locales', lang);
  const all = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
    catalogueTexts(JSON.parse(readFileSync(join(dir, file), 'utf8')), file.replace(/\.json$/, '')).forEach(
      (t, k) => all.set(k, t),
    );
  return all;
}

/** Every English source text: the catalogue, the forms as defined, the programme templates. */
function englishTexts(): string[] {
  const texts = [...catalogueOf('en').values()];
  for (const form of allForms) {
    texts.push(form.title, form.intro ?? '', ...form.sections.map((s) => s.title));
    for (const field of fieldsOf(form))
      texts.push(field.label, field.help ?? '', ...choicesOf(field).map((o) => o.label));
  }
  for (const t of PROGRAM_TEMPLATES) texts.push(t.name, t.description, ...(t.gatherings ?? []));
  return texts;
}

/** A language's own texts: its catalogue (less what is still the English text) and the forms' translations. */
function ownTexts(lang: Language): string[] {
  const english = catalogueOf('en');
  const texts = [...catalogueOf(lang)].filter(([k, t]) => english.get(k) !== t).map(([, t]) => t);
  for (const form of allForms) {
    const t = form.translations?.[lang];
    if (!t) continue;
    texts.push(t.title ?? '', t.intro ?? '', ...(t.sections ?? []));
    for (const f of Object.values(t.fields ?? {}))
      texts.push(f.label ?? '', f.help ?? '', ...Object.values(f.options ?? {}));
  }
  return texts;
}

/** The names of the months and weekdays in a language, as dates on the pages print them. */
function calendarWords(lang: Language): string[] {
  const words: string[] = [];
  for (let m = 0; m < 12; m++)
    for (const month of ['long', 'short'] as const)
      words.push(
        new Intl.DateTimeFormat(lang, { month, timeZone: 'UTC' }).format(new Date(Date.UTC(2027, m, 15))),
      );
  for (let d = 0; d < 7; d++)
    words.push(
      new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2027, 0, 3 + d)),
      ),
    );
  return words.flatMap(wordsOf);
}

const ENGLISH = new Set(englishTexts().flatMap(wordsOf));
const OWN = new Map(
  OTHERS.map((lang) => [lang, new Set([...ownTexts(lang), ...calendarWords(lang)].flatMap(wordsOf))]),
);

// ---------------------------------------------------------------------------------------------------
// A page's visible text

const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'TEXTAREA', 'HEAD']);
const SHOWN_ATTRIBUTES = ['placeholder', 'title', 'alt', 'aria-label'];
/** Elements whose whole text is shown as the phrase a word was found in. */
const PHRASE =
  /^(P|LI|TD|TH|DT|DD|LABEL|LEGEND|BUTTON|OPTION|H[1-6]|CAPTION|SUMMARY|FIGCAPTION|A|TITLE|TEXT)$/;

/** The visible texts of a page, each with the phrase it belongs to. */
function visibleTexts(page: Page): { text: string; phrase: string }[] {
  const out: { text: string; phrase: string }[] = [];
  const title = page.doc.querySelector('title');
  if (title) out.push({ text: title.text, phrase: title.text });
  const phraseOf = (el: HTMLElement, text: string): string => {
    for (let at: HTMLElement | null = el; at; at = at.parentNode as HTMLElement | null)
      if (PHRASE.test(at.tagName ?? '')) return at.text.length < 300 ? at.text : text;
    return text;
  };
  const walk = (node: Node, parent: HTMLElement) => {
    if (node instanceof TextNode) {
      if (!node.isWhitespace) out.push({ text: node.text, phrase: phraseOf(parent, node.text) });
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    // Marked not to be translated (translate="no"): a code name, such as a question's field name.
    if (SKIPPED.has(node.tagName) || node.hasAttribute('hidden') || node.getAttribute('translate') === 'no')
      return;
    for (const name of SHOWN_ATTRIBUTES) {
      const value = node.getAttribute(name);
      if (value) out.push({ text: value, phrase: `[${name}] ${value}` });
    }
    const type = node.getAttribute('type');
    if (node.tagName === 'INPUT' && (type === 'submit' || type === 'button' || type === 'reset')) {
      const value = node.getAttribute('value');
      if (value) out.push({ text: value, phrase: `[button] ${value}` });
    }
    for (const child of node.childNodes) walk(child, node);
  };
  const body = page.doc.querySelector('body') ?? page.doc;
  for (const child of body.childNodes) walk(child, body);
  return out.map(({ text, phrase }) => ({
    text: text.replace(/\s+/g, ' ').trim(),
    phrase: phrase.replace(/\s+/g, ' ').trim(),
  }));
}

/** The data the test made (what people typed: names, addresses, answers), longest first. */
const data: string[] = [];
const isData = (...values: (string | string[] | undefined)[]) => {
  for (const v of values.flat()) if (v && v.trim().length > 3) data.push(v.trim());
  data.sort((a, b) => b.length - a.length);
};
const FREE_TEXT = {
  mentee: ['name', 'email', 'department', 'location', 'managerEmail', 'reasons', 'goals', 'interests'],
  mentor: ['name', 'email', 'department', 'location', 'experience', 'motivation', 'offers'],
  agreement: ['goals', 'milestones'],
};
const typed = (answers: Record<string, string | string[]>, names: string[]) =>
  names.map((n) => answers[n]).flatMap((v) => (typeof v === 'string' ? [v] : []));

/** A text less e-mail addresses, URLs and paths, the test's data (whole words only) and every token holding a digit. */
function withoutData(text: string): string {
  let rest = text.replace(/\S+:\/\/\S+|\S+@\S+|(?<!\S)\/\S*/g, ' ');
  for (const d of data)
    if (rest.includes(d))
      rest = rest.replace(
        new RegExp(`(?<![\\p{L}])${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'gu'),
        ' ',
      );
  return rest
    .split(/\s+/)
    .filter((token) => !/\d/.test(token))
    .join(' ');
}

const pageWords = (page: Page) =>
  new Set(visibleTexts(page).flatMap(({ text }) => wordsOf(withoutData(text))));

interface Finding {
  page: string;
  lang: Language;
  phrase: string;
  words: string[];
}

/** The English phrases of a page shown in `lang`, given the same page in English. */
function englishOn(name: string, page: Page, lang: Exclude<Language, 'en'>, english: Page): Finding[] {
  const englishWords = new Set([...ENGLISH, ...pageWords(english)]);
  const own = OWN.get(lang)!;
  const found = new Map<string, Set<string>>();
  for (const { text, phrase } of visibleTexts(page)) {
    const words = wordsOf(withoutData(text)).filter(
      (w) =>
        englishWords.has(w) &&
        !own.has(w) &&
        !SAME_IN_EVERY_LANGUAGE.has(w) &&
        !SAME_AS_ENGLISH[lang].includes(w),
    );
    if (words.length === 0) continue;
    const shown = withoutData(phrase).slice(0, 200);
    const set = found.get(shown) ?? new Set<string>();
    words.forEach((w) => set.add(w));
    found.set(shown, set);
  }
  return [...found].map(([phrase, words]) => ({ page: name, lang, phrase, words: [...words] }));
}

/** With PAGE_LANGUAGES_DUMP=<dir>, every page checked is written there, to read what the test read. */
function dump(name: string, lang: Language, page: Page): Page {
  const dir = process.env.PAGE_LANGUAGES_DUMP;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.${lang}.html`), page.html);
  }
  return page;
}

const knownElsewhere = (f: Finding) => KNOWN_ELSEWHERE.some((re) => re.test(f.phrase));

function report(findings: Finding[]): string {
  const lines: string[] = [];
  let last = '';
  for (const f of findings) {
    const head = `${f.page} [${f.lang}]`;
    if (head !== last) lines.push(head);
    last = head;
    lines.push(
      `    "${f.phrase}"  (${f.words.join(', ')})${knownElsewhere(f) ? '  [known, owned elsewhere]' : ''}`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

describe('pages in every language', () => {
  let stack: Stack;
  let base: string;
  let admin: Browser;
  const all: Finding[] = [];
  const NETWORK = 'network-languages';

  /**
   * Fetches a page in English and in each other language (`?lang=`, with the browser's session where
   * the admin's language is kept) and returns the English found on it.
   */
  async function check(
    name: string,
    url: string,
    browser: Browser = admin,
    expected: number | ((status: number) => boolean) = 200,
  ): Promise<Finding[]> {
    const at = (lang: Language) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
    const ok = (page: Page) =>
      typeof expected === 'number' ? page.status === expected : expected(page.status);
    const english = dump(name, 'en', await browser.get(at('en')));
    expect(ok(english), `${name} in English: ${english.status} ${english.text.slice(0, 300)}`).toBe(true);
    const findings: Finding[] = [];
    for (const lang of OTHERS) {
      const page = dump(name, lang, await browser.get(at(lang)));
      expect(ok(page), `${name} in ${lang}: ${page.status} ${page.text.slice(0, 300)}`).toBe(true);
      expect(page.doc.querySelector('html')?.getAttribute('lang'), `${name} in ${lang}`).toBe(lang);
      findings.push(...englishOn(name, page, lang, english));
    }
    all.push(...findings);
    return findings;
  }

  /** The same for a page reached by sending a form, in each language. */
  async function checkSent(name: string, sendIn: (lang: Language) => Promise<Page>): Promise<Finding[]> {
    const english = dump(name, 'en', await sendIn('en'));
    const findings: Finding[] = [];
    for (const lang of OTHERS) {
      const page = dump(name, lang, await sendIn(lang));
      expect(page.doc.querySelector('html')?.getAttribute('lang'), `${name} in ${lang}`).toBe(lang);
      findings.push(...englishOn(name, page, lang, english));
    }
    all.push(...findings);
    return findings;
  }

  /** Fails on English not owned elsewhere, printing every phrase found. */
  function expectNoEnglish(findings: Finding[]) {
    if (findings.length) console.log(`English on pages in another language:\n${report(findings)}`);
    const unknown = findings.filter((f) => !knownElsewhere(f));
    expect(unknown, report(unknown)).toEqual([]);
  }

  beforeAll(async () => {
    stack = await startStack('pglite', { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    base = stack.baseUrl;
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    await stack.sql`update programs set name = 'Lighthouse Mentoring' where id = ${stack.programId}`;
    await stack.sql`
      insert into programs (id, name, coordinator_email, model, settings)
      values (${NETWORK}, 'Harbour Network', ${COORDINATOR_EMAIL}, 'learning-network',
              ${stack.sql.json({ template: 'learning-network' })})`;
    const account = await makeUser(stack, 'admin.languages@example.org', [
      { role: 'administrator' },
      { role: 'auditor' },
    ]);
    admin = await signIn(base, account);
    isData(
      stack.programId,
      NETWORK,
      'Lighthouse Mentoring',
      'Harbour Network',
      typed(menteeAnswers(), FREE_TEXT.mentee),
      typed(mentorAnswers(), FREE_TEXT.mentor),
      typed(AGREEMENT, FREE_TEXT.agreement),
    );
  });
  afterAll(async () => stack?.close());

  const menteeInPhase = async (handle: WorkflowHandle, phase: string) =>
    expect.poll(async () => (await handle.query(relationshipStatus)).phase, { timeout: 20_000 }).toBe(phase);

  /** A mentee who applied (their own name and email), interviewed and accepted: waiting in the pool. */
  async function acceptedMentee(name: string, email: string) {
    isData(name, email);
    const { workflowId } = await applyAsMentee(stack, { name, email });
    isData(workflowId);
    const handle = stack.client.workflow.getHandle(workflowId);
    await menteeInPhase(handle, 'interview');
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await menteeInPhase(handle, 'matching');
    return handle;
  }
  async function mentor(name: string, email: string, capacity = '1') {
    isData(name, email);
    const handle = await pooledMentor(stack, email, name, capacity);
    isData(handle.workflowId);
    return handle;
  }
  /** The newest email to `address` matching `fits`, once one has come. */
  async function mailTo(address: string, fits: (m: ParsedMail) => boolean): Promise<ParsedMail> {
    const to = (m: ParsedMail) =>
      [m.to ?? []].flat().some((a) => a.value.some((v) => v.address?.toLowerCase() === address));
    const mails = await stack.smtp.waitFor((all) => all.some((m) => to(m) && fits(m)), 30_000);
    return mails.filter((m) => to(m) && fits(m)).at(-1)!;
  }
  const agreementMail = (address: string) =>
    mailTo(address, (m) => (m.subject ?? '').startsWith('Your mentoring agreement'));
  const firstStatusLink = async (address: string) =>
    linkIn(await mailTo(address, (m) => /\/s\//.test(m.text ?? '')), 's');

  /** A mentor's offer through the public form, in `lang`, by a person of that language. */
  async function offerToMentor(lang: Language, status?: number): Promise<Page> {
    const name = `Offer ${lang.toUpperCase()} Person`;
    const email = `offer.${lang}@example.org`;
    isData(name, email);
    const browser = new Browser();
    const url = `${base}/programs/${stack.programId}/mentor`;
    const form = await browser.get(`${url}?lang=${lang}`);
    const page = await browser.post(url, {
      lang,
      submissionId: hiddenValue(form, 'submissionId'),
      ...mentorAnswers({ name, email }),
    });
    if (status) expect(page.status, page.text).toBe(status);
    return page;
  }

  it('the public pages before anything happens: home, login, the application forms, their errors and receipts', async () => {
    const findings = [
      ...(await check('home /', `${base}/`, new Browser())),
      ...(await check('login /admin/login', `${base}/admin/login`, new Browser())),
      ...(await check(
        'mentee application /programs/:id/apply',
        `${base}/programs/${stack.programId}/apply`,
        new Browser(),
      )),
      ...(await check(
        'mentor application /programs/:id/mentor',
        `${base}/programs/${stack.programId}/mentor`,
        new Browser(),
      )),
      ...(await check('page not found', `${base}/no/such/page`, new Browser(), 404)),
      ...(await check('invalid link /f/…', `${base}/f/not-a-link`, new Browser(), 404)),
    ];
    // An expired form link, and a login refused.
    const expired = new LinkSigner(stack.config.linkSecret).sign({
      p: 'form',
      wf: 'relationship-expired',
      step: 'agreement',
      role: 'mentee',
      ttlSeconds: -60,
    });
    findings.push(...(await check('expired link /f/…', `${base}/f/${expired}`, new Browser(), 410)));
    findings.push(
      ...(await checkSent('login refused', async (lang) => {
        const browser = new Browser();
        const page = await browser.get(`${base}/admin/login?lang=${lang}`);
        return browser.post(`${base}/admin/login?lang=${lang}`, {
          email: 'nobody@example.org',
          password: 'wrong',
          _csrf: hiddenValue(page, '_csrf'),
        });
      })),
    );
    // A form with mistakes, then a mentor's offer received, in each language.
    findings.push(
      ...(await checkSent('mentee application with mistakes', async (lang) => {
        const browser = new Browser();
        const url = `${base}/programs/${stack.programId}/apply`;
        const form = await browser.get(`${url}?lang=${lang}`);
        return browser.post(url, {
          lang,
          submissionId: hiddenValue(form, 'submissionId'),
          ...menteeAnswers({ name: '', email: 'nope', consent: [] }),
        });
      })),
    );
    findings.push(
      ...(await checkSent('mentor application received', (lang) => offerToMentor(lang, 200))),
      // The same person offering again is told they already have.
      ...(await checkSent('mentor application sent twice', (lang) => offerToMentor(lang))),
    );
    expectNoEnglish(findings);
  }, 120_000);

  let matched: WorkflowHandle;
  let meeting: WorkflowHandle;
  let closed: WorkflowHandle;
  let agreementLink: string;
  let answeredLink: string;

  it('a programme with relationships in every state: the programme, relationship, participant and audit pages', async () => {
    // Three pairs: one just matched, one meeting, one ended; a mentee waiting in the pool; one waiting for an interview.
    const mona = await mentor('Mona Berg', 'mona@example.org');
    const max = await mentor('Max Mark', 'max@example.org');
    const mia = await mentor('Mia Moe', 'mia@example.org');
    matched = await acceptedMentee('Ida Lund', 'ida@example.org');
    meeting = await acceptedMentee('Jon Vik', 'jon@example.org');
    closed = await acceptedMentee('Kai Ek', 'kai@example.org');
    await acceptedMentee('Lea Dahl', 'lea@example.org');
    isData('Ola Nord', 'ola@example.org');
    const waiting = await applyAsMentee(stack, { name: 'Ola Nord', email: 'ola@example.org' });
    isData(waiting.workflowId);
    for (const [mentee, m] of [
      [matched, mona],
      [meeting, max],
      [closed, mia],
    ] as const)
      await m.executeUpdate(assignMentee, { args: [{ relationshipId: mentee.workflowId, by: COORDINATOR }] });
    await menteeInPhase(closed, 'kickoff');
    isData('The mentee moved abroad.');
    await closed.executeUpdate(endRelationship, {
      args: [{ reason: 'The mentee moved abroad.', by: COORDINATOR }],
    });
    for (const address of ['jon@example.org', 'max@example.org']) {
      const page = await answerForm(linkIn(await agreementMail(address), 'f'), AGREEMENT);
      expect(page.status, page.text).toBe(200);
    }
    answeredLink = linkIn(await agreementMail('jon@example.org'), 'f');
    agreementLink = linkIn(await agreementMail('ida@example.org'), 'f');
    await menteeInPhase(meeting, 'meetings');
    await menteeInPhase(closed, 'closed');

    const program = `${base}/admin/programs/${stack.programId}`;
    const relationship = (h: WorkflowHandle) => `${program}/relationships/${h.workflowId}`;
    const findings = [
      ...(await check('programmes /admin', `${base}/admin`)),
      ...(await check('new programme /admin/programs/new', `${base}/admin/programs/new`)),
      ...(await check('programme page /admin/programs/:id', program)),
      ...(await check('programme settings', `${program}/settings`)),
      ...(await check('dashboard', `${program}/dashboard`)),
      ...(await check('relationship, matched', relationship(matched))),
      ...(await check('relationship, in meetings', relationship(meeting))),
      ...(await check('relationship, closed', relationship(closed))),
      ...(await check('mentor page', relationship(max))),
      ...(await check('forms', `${program}/forms`)),
      ...(await check('form editor', `${program}/forms/mentee-application`)),
      ...(await check('form editor, agreement', `${program}/forms/mentoring-agreement`)),
      ...(await check('users', `${base}/admin/users`)),
      ...(await check('API tokens', `${base}/admin/api-tokens`)),
      ...(await check('audit search', `${base}/admin/audit`)),
      ...(await check('audit search results', `${base}/admin/audit?program=${stack.programId}`)),
      ...(await check('audit workflow page', `${base}/admin/audit/workflows/${meeting.workflowId}`)),
      ...(await check('audit workflow, ended', `${base}/admin/audit/workflows/${closed.workflowId}`)),
      ...(await check('form step /f/… (agreement)', agreementLink, new Browser())),
      ...(await check('form already answered', answeredLink, new Browser())),
      ...(await check('status page /s/…, matched', await firstStatusLink('ida@example.org'), new Browser())),
      ...(await check('status page /s/…, meetings', await firstStatusLink('jon@example.org'), new Browser())),
      ...(await check('status page /s/…, closed', await firstStatusLink('kai@example.org'), new Browser())),
      ...(await check(
        'form no longer open',
        linkIn(await agreementMail('kai@example.org'), 'f'),
        new Browser(),
        410,
      )),
    ];
    // What a participant's status page answers when sent (an ending not confirmed, an export on its
    // way), in the language the person keeps with the page's language switch.
    const status = await firstStatusLink('jon@example.org');
    const sentFromStatus = (path: string, fields: Record<string, string>) => async (lang: Language) => {
      const browser = new Browser();
      expect((await browser.post(`${status}/language`, { lang })).status).toBe(303);
      return browser.post(`${status}/${path}`, fields);
    };
    findings.push(
      ...(await checkSent('status page: ending not confirmed', sentFromStatus('end', {}))),
      ...(await checkSent('status page: export sent', sentFromStatus('export', {}))),
    );
    expectNoEnglish(findings);
  }, 180_000);

  it('a round waiting for approval, and the application form it closed', async () => {
    const program = `${base}/admin/programs/${stack.programId}`;
    const page = await admin.get(program);
    const deadline = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    const opened = await admin.post(`${program}/rounds`, {
      deadline,
      places: '1',
      _csrf: hiddenValue(page, '_csrf'),
    });
    expect(opened.status, opened.text).toBe(303);
    const [row] = await stack.sql<{ current_round: string }[]>`
      select current_round from programs where id = ${stack.programId}`;
    const round = stack.client.workflow.getHandle(row!.current_round);
    isData(round.workflowId);
    const per = await acceptedMentee('Per Holm', 'per@example.org');
    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('matching');
    const free = await mentor('Siv Sand', 'siv@example.org');
    const current = await admin.get(program);
    const proposed = await admin.post(`${program}/rounds/proposal`, {
      [`mentor:${per.workflowId}`]: free.workflowId,
      _csrf: hiddenValue(current, '_csrf'),
    });
    expect(proposed.status, proposed.text).toBe(303);
    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('approval');
    const findings = [
      ...(await check('programme page with a round in approval', program)),
      ...(await check(
        'audit workflow page of the round',
        `${base}/admin/audit/workflows/${round.workflowId}`,
      )),
      ...(await check(
        'mentee application, closed',
        `${base}/programs/${stack.programId}/apply`,
        new Browser(),
        (s) => s === 200 || s === 403,
      )),
    ];
    expectNoEnglish(findings);
  }, 120_000);

  it('the admin forms sent with mistakes: each names the problem in the page’s language', async () => {
    const program = `${base}/admin/programs/${stack.programId}`;
    /** Opens `url` in `lang` (the admin's language from then on) and sends its form to `action` with `changes`. */
    const mistaken =
      (url: string, action: string, changes: Record<string, string | undefined>) =>
      async (lang: Language) => {
        const page = await admin.get(`${url}?lang=${lang}`);
        expect(page.status, page.text.slice(0, 300)).toBe(200);
        const sent = await send(admin, page, action, changes);
        expect(sent.status, sent.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
        return sent;
      };
    const [waiting] = await stack.sql<{ workflow_id: string }[]>`
      select a.workflow_id from applications a join participants p on p.id = a.participant_id
      where p.email = 'ola@example.org'`;
    const findings = [
      ...(await checkSent(
        'new programme with mistakes',
        mistaken(`${base}/admin/programs/new`, '/admin/programs', {
          id: 'Not An Id',
          name: '',
          coordinatorEmail: 'nope',
        }),
      )),
      ...(await checkSent(
        'programme settings with mistakes',
        mistaken(`${program}/settings`, '/settings', {
          duration: 'PT30S',
          meetingCadence: 'every week',
          meetingReminderBefore: 'PT3S',
          formReminderAfter: 'P1Y',
          formReminders: 'many',
        }),
      )),
      ...(await checkSent(
        'a new round with mistakes',
        mistaken(program, '/rounds', { deadline: 'next week', places: '0' }),
      )),
      ...(await checkSent('an interview declined without a reason', async (lang) => {
        const page = await admin.get(`${program}?lang=${lang}`);
        return admin.post(`${program}/interviews`, {
          _csrf: hiddenValue(page, '_csrf'),
          workflowId: waiting!.workflow_id,
          outcome: 'declined',
          reason: '',
        });
      })),
      ...(await checkSent(
        'a pause without a reason',
        mistaken(`${program}/relationships/${meeting.workflowId}`, '/pause', { reason: '' }),
      )),
      ...(await checkSent(
        'form editor with mistakes',
        mistaken(`${program}/forms/mentee-application`, '/forms/mentee-application', {
          title: '',
          'options.4': 'only one',
        }),
      )),
      ...(await check(
        'audit search with mistakes',
        `${base}/admin/audit?from=yesterday&program=No`,
        admin,
        400,
      )),
    ];
    expectNoEnglish(findings);
  }, 120_000);

  it('a learning network: cohorts, a cohort with an organisation enrolled, the enrolment form', async () => {
    const cohorts = `${base}/admin/programs/${NETWORK}/cohorts`;
    const list = await admin.get(cohorts);
    const rows: Record<string, string> = { _csrf: hiddenValue(list, '_csrf') };
    for (let n = 1; n <= 7; n++) {
      rows[`date-${n}`] = new Date(Date.now() + n * 30 * 86_400_000).toISOString().slice(0, 16);
      rows[`place-${n}`] = `Quayside ${n}`;
      rows[`theme-${n}`] = `Topic ${n}`;
    }
    isData(...Object.values(rows));
    // A gathering in the past is refused with the reason, in the page's language.
    const refused = await checkSent('a new cohort with mistakes', async (lang) => {
      const page = await admin.get(`${cohorts}?lang=${lang}`);
      const sent = await admin.post(cohorts, {
        ...rows,
        'date-2': '2020-01-01T09:00',
        _csrf: hiddenValue(page, '_csrf'),
      });
      expect(sent.status, sent.text.slice(0, 300)).toBe(400);
      return sent;
    });
    const started = await admin.post(cohorts, rows);
    expect(started.status, started.text).toBe(303);
    const findings = [
      ...refused,
      ...(await check('network programme page', `${base}/admin/programs/${NETWORK}`)),
      ...(await check(
        'enrolment form /programs/:id/enrol',
        `${base}/programs/${NETWORK}/enrol`,
        new Browser(),
      )),
    ];
    const answers = {
      organisation: 'Seaview Council',
      ownerName: 'Olga Owner',
      ownerEmail: 'olga@example.org',
      leaderName: 'Lars Leader',
      leaderEmail: 'lars@example.org',
      members: 'Mette Member, mette@example.org',
      motivation: 'New nurses leave within a year.',
      consent: 'yes',
    };
    isData(...Object.values(answers));
    let enrolled = 0;
    findings.push(
      ...(await checkSent('enrolment received', async (lang) => {
        enrolled += 1;
        const browser = new Browser();
        const url = `${base}/programs/${NETWORK}/enrol`;
        const form = await browser.get(`${url}?lang=${lang}`);
        const page = await browser.post(url, {
          ...answers,
          organisation: `${answers.organisation} ${enrolled}`,
          lang,
          submissionId: hiddenValue(form, 'submissionId'),
        });
        expect(page.status, page.text).toBe(200);
        return page;
      })),
    );
    findings.push(...(await check('cohorts list', cohorts)), ...(await check('cohort page', `${cohorts}/1`)));
    expectNoEnglish(findings);
  }, 120_000);

  it('prints every English phrase found, by page and language', () => {
    console.log(all.length ? `All English found:\n${report(all)}` : 'No English found on any page.');
    expect(all.filter((f) => !knownElsewhere(f))).toEqual([]);
  });
});
