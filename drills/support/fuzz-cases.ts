/**
 * The fuzz drill's requests, each one a pure function of (seed, index): a failure names its case and
 * the seed, and `--seed` replays the same requests. Values mix what people really type (accents,
 * emoji, right-to-left text, markup, quotes) with what breaks parsers (broken percent-encoding,
 * invalid UTF-8, huge bodies, repeated and nested keys, forged tokens).
 */
import { randomUUID } from 'node:crypto';
import { LANGUAGES, type Language } from '../../platform/i18n.js';
import { menteeAnswers, mentorAnswers } from '../../tests/helpers/http.js';

export interface FuzzTargets {
  baseUrl: string;
  programId: string;
  formLinks: string[];
  statusLinks: string[];
  /** A form link of its own for the one edge case that answers a step (a stuck answer would block the link). */
  edgeStepLink: string;
}

export interface FuzzCase {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  describe: string;
  /** Text fields sent readably (valid UTF-8, urlencoded): a form shown again must show them again. */
  typed?: Record<string, string>;
  /** The form's submission id: if the answer is accepted, it must be stored under it. */
  submissionId?: string;
}

/**
 * The first cases of every run, whatever the seed: a valid application with one awkward character in
 * one field, which must be either refused with a page or accepted and stored; then a valid
 * application in each language of locales/ (`LANGUAGE_EDGES`), each of which must be accepted in its
 * language and stored; then one answer to a step (`EDGE_CASES`, the last).
 */
function edges() {
  return ['name', 'department', 'location', 'reasons', 'goals', 'experience', 'interests'].flatMap((field) =>
    ['\u0000', '\ud800', '\uffff', '\u202e'].map((char) => ({ field, char })),
  );
}

/** The cases that send a valid application in one language each, by index. */
export const LANGUAGE_EDGES: ReadonlyMap<number, Language> = new Map(
  LANGUAGES.map((lang, i): [number, Language] => [edges().length + i, lang]),
);
/** The index of the last edge case (the step's); random cases follow. */
export const EDGE_CASES = edges().length + LANGUAGES.length;

function edgeCase(index: number, t: FuzzTargets): FuzzCase {
  const lang = LANGUAGE_EDGES.get(index);
  if (lang) return application(t, `edge-${index}@example.org`, {}, `valid, in ${lang}`, lang);
  if (index === EDGE_CASES) {
    const id = randomUUID();
    return {
      method: 'POST',
      url: t.edgeStepLink,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: urlencoded([
        ['endorse', 'yes'],
        ['comment', 'before\u0000after'],
        ['submissionId', id],
      ]),
      describe: 'POST endorsement form, valid but comment holds U+0000',
      submissionId: id,
    };
  }
  const { field, char } = edges()[index]!;
  return application(
    t,
    `edge-${index}@example.org`,
    { [field]: `before${char}after` },
    `valid but ${field} holds U+${char.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}`,
  );
}

/** A mentee's application, valid but for `overrides`, in the programme's language or in `lang`. */
function application(
  t: FuzzTargets,
  email: string,
  overrides: Record<string, string>,
  what: string,
  lang?: Language,
): FuzzCase {
  const id = randomUUID();
  const answers = menteeAnswers({ email, ...overrides });
  const pairs: [string, string][] = Object.entries(answers).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((one): [string, string] => [k, one]),
  );
  if (lang) pairs.push(['lang', lang]);
  pairs.push(['submissionId', id]);
  return {
    method: 'POST',
    url: `${t.baseUrl}/programs/${t.programId}/apply`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: urlencoded(pairs),
    describe: `POST apply form, ${what}`,
    submissionId: id,
  };
}

/** A small seeded generator (xorshift), so every case can be made again from its seed and index. */
function generator(seed: number, index: number) {
  let s = (seed * 2_654_435_761 + index * 40_503 + 1) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4_294_967_296;
  };
  for (let i = 0; i < 4; i++) next();
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(list: readonly T[]) => list[int(list.length)]! };
}
type Random = ReturnType<typeof generator>;

const FRAGMENTS = [
  'Ada',
  'Åse Ødegård',
  'Zoë “Zo” O’Brien',
  '李小龍',
  'مرحبا بالعالم',
  '👩🏽‍💻🚀',
  'e\u0301\u0301\u0301',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table participants; --",
  '{{constructor.constructor}}',
  '&amp;&lt;&#0;',
  '%00%ff%zz',
  '\u0000',
  '\u202e\u200b\ufeff',
  '\t \r\n  ',
  'a+b=c&d',
  '😀'.repeat(40),
  'x'.repeat(300),
  'lorem ipsum '.repeat(200),
];
const TEXT_FIELDS = {
  apply: [
    'name',
    'email',
    'department',
    'location',
    'managerEmail',
    'reasons',
    'goals',
    'experience',
    'interests',
  ],
  mentor: ['name', 'email', 'department', 'location', 'experience', 'motivation', 'offers'],
  step: ['comment'],
};
const CHOICE_VALUES = ['yes', 'no', '1', '2', '3', '4', '5', '0', '-1', '99', 'en', 'xx', '', 'on', 'true'];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data; boundary=----x',
  'application/json',
  'text/plain',
  'application/xml',
  '',
];

function text(r: Random): string {
  const parts = 1 + r.int(4);
  let s = '';
  for (let i = 0; i < parts; i++) s += r.pick(FRAGMENTS);
  return r.next() < 0.1 ? '' : s;
}

function submissionId(r: Random): string | undefined {
  const roll = r.next();
  if (roll < 0.7) return randomUUID();
  if (roll < 0.8) return undefined;
  return r.pick([
    '',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(5000),
    randomUUID().toUpperCase(),
  ]);
}

/** A form's fields: mostly the real ones with fuzzed values, some missing, some repeated, some unknown. */
function fields(
  r: Random,
  kind: 'apply' | 'mentor' | 'step',
): { pairs: [string, string][]; typed: Record<string, string> } {
  const base: Record<string, string | string[]> =
    kind === 'apply'
      ? menteeAnswers()
      : kind === 'mentor'
        ? mentorAnswers({ name: 'M', email: 'm@example.org' })
        : { endorse: 'yes', comment: '' };
  const pairs: [string, string][] = [];
  const typed: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    const roll = r.next();
    if (roll < 0.1) continue; // missing
    let v: string | string[] = value;
    if (TEXT_FIELDS[kind].includes(name) && roll < 0.7) v = text(r);
    else if (roll < 0.5) v = r.pick(CHOICE_VALUES);
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([name, one]);
    if (r.next() < 0.05) pairs.push([name, text(r)]); // the same field twice
  }
  // A text field sent once is what the person typed there; sent twice it is no longer one answer.
  for (const name of TEXT_FIELDS[kind]) {
    const sent = pairs.filter(([n]) => n === name);
    if (sent.length === 1) typed[name] = sent[0]![1];
  }
  const extras = r.int(3);
  for (let i = 0; i < extras; i++)
    pairs.push([
      r.pick(['__proto__', 'constructor[prototype][x]', 'name[]', 'lang', 'x'.repeat(200), 'ünïcode', '']),
      text(r),
    ]);
  // Every language of locales/ (an answer accepted in any of them must be stored), and some that are not.
  if (r.next() < 0.2)
    pairs.push(['lang', r.pick(['en', 'nb', 'da', 'sv', 'nl', 'xx', '', '../../etc', 'EN'])]);
  const id = submissionId(r);
  if (id !== undefined) pairs.push(['submissionId', id]);
  return { pairs, typed };
}

function urlencoded(pairs: [string, string][]): string {
  const params = new URLSearchParams();
  for (const [k, v] of pairs) params.append(k, v);
  return params.toString();
}

/** Bodies that are not what a browser sends: broken escapes, invalid UTF-8, too big, empty, JSON. */
function brokenBody(r: Random, pairs: [string, string][]): { body: string | Uint8Array; describe: string } {
  switch (r.int(6)) {
    case 0:
      return { body: `${urlencoded(pairs)}&name=%E0%A4%A&x=%zz&%=%`, describe: 'broken percent-encoding' };
    case 1:
      return {
        body: Buffer.concat([
          Buffer.from(`${urlencoded(pairs)}&name=`),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0]),
        ]),
        describe: 'invalid UTF-8 bytes',
      };
    case 2:
      return {
        body: `${urlencoded(pairs)}&goals=${'y'.repeat(70 * 1024)}`,
        describe: 'body past the 64 KB limit',
      };
    case 3:
      return { body: '', describe: 'empty body' };
    case 4:
      return { body: JSON.stringify(Object.fromEntries(pairs)), describe: 'JSON body' };
    default:
      return {
        body: Array.from({ length: 3000 }, (_, i) => `f${i}=${i}`).join('&'),
        describe: '3,000 fields',
      };
  }
}

function mangledToken(r: Random, link: string): string {
  const token = link.slice(link.lastIndexOf('/') + 1);
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  switch (r.int(8)) {
    case 0:
      return flip(token, r.int(token.indexOf('.')));
    case 1:
      return flip(token, token.indexOf('.') + 1 + r.int(token.length - token.indexOf('.') - 1));
    case 2:
      return `${token}.extra`;
    case 3:
      return token.slice(0, r.int(token.length));
    case 4:
      return 'x'.repeat(1025 + r.int(3000));
    case 5:
      return encodeURIComponent(r.pick(['../../admin', '%00', '<script>', '..%2f..%2f', '😀', ' ']));
    case 6:
      return (
        Buffer.from(
          JSON.stringify({
            v: 1,
            p: 'form',
            wf: 'x',
            step: 'y',
            role: 'mentee',
            exp: 9e9,
            n: 'a'.repeat(22),
          }),
        ).toString('base64url') + '.forged'
      );
    default:
      return Array.from({ length: 1 + r.int(60) }, () => r.pick([...'abcXYZ019-_.~'])).join('');
  }
}

export function fuzzCase(seed: number, index: number, t: FuzzTargets): FuzzCase {
  if (index <= EDGE_CASES) return edgeCase(index, t);
  const r = generator(seed, index);
  const roll = r.next();
  // Tokens: GET and POST to mangled form and status links.
  if (roll < 0.15) {
    const status = r.next() < 0.4;
    const link = r.pick(status ? t.statusLinks : t.formLinks);
    const token = mangledToken(r, link);
    const path = status ? `s/${token}${r.pick(['', '/end', '/export'])}` : `f/${token}`;
    const post = r.next() < 0.5 || path.endsWith('/end') || path.endsWith('/export');
    return {
      method: post ? 'POST' : 'GET',
      url: `${t.baseUrl}/${path}${r.next() < 0.2 ? `?lang=${encodeURIComponent(text(r))}` : ''}`,
      headers: post ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      body: post ? 'confirm=yes' : undefined,
      describe: `${post ? 'POST' : 'GET'} /${path.slice(0, 60)}… (mangled token)`,
    };
  }
  const kind = roll < 0.6 ? 'apply' : roll < 0.75 ? 'mentor' : 'step';
  const url =
    kind === 'step'
      ? r.pick(t.formLinks)
      : `${t.baseUrl}/programs/${t.programId}/${kind === 'apply' ? 'apply' : 'mentor'}`;
  const { pairs, typed } = fields(r, kind);
  const readable = r.next() < 0.75;
  if (readable)
    return {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: urlencoded(pairs),
      describe: `POST ${kind} form, fields ${pairs.map(([k]) => k.slice(0, 20)).join(',')}`,
      typed,
      submissionId: pairs.find(([k]) => k === 'submissionId')?.[1],
    };
  const broken = brokenBody(r, pairs);
  const contentType = r.pick(CONTENT_TYPES);
  return {
    method: 'POST',
    url,
    headers: contentType ? { 'content-type': contentType } : {},
    body: broken.body,
    describe: `POST ${kind} form, ${broken.describe}, content-type "${contentType}"`,
  };
}
