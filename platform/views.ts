/**
 * The one renderer: Handlebars pages inside a layout, and emails as text with an HTML twin. Everything
 * a template prints with {{ }} is escaped; templates use {{{ }}} only for HTML this module produced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { LANGUAGES, pickLanguage, translator, type Language } from './i18n.js';
import { basePath } from './links.js';
import { projectRoot } from './project.js';

export const templatesDir = join(projectRoot, 'templates');

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Template = Handlebars.TemplateDelegate;

function compileDir(hbs: typeof Handlebars, dir: string, options?: CompileOptions): Map<string, Template> {
  const map = new Map<string, Template>();
  for (const file of readdirSync(join(templatesDir, dir)).filter((f) => f.endsWith('.hbs'))) {
    map.set(
      basename(file, '.hbs'),
      hbs.compile(readFileSync(join(templatesDir, dir, file), 'utf8'), { strict: false, ...options }),
    );
  }
  return map;
}

export interface ViewsOptions {
  /**
   * The public URL: an email's HTML makes links of addresses under it only (see `textParagraphs`);
   * without it, of none.
   */
  linkBase?: URL;
}

export class Views {
  readonly #linkBase: URL | undefined;
  readonly #pages: Map<string, Template>;
  readonly #layouts: Map<string, Template>;
  readonly #emails: Map<string, Template>;
  /** Each email's subject line alone, lenient: pages name emails sent earlier from what history kept. */
  readonly #subjects: Map<string, Template>;

  constructor(opts: ViewsOptions = {}) {
    this.#linkBase = opts.linkBase;
    const hbs = Handlebars.create();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    // {{t "key" name=value}}: a text in the page's language (`lang` of the page's data), English by default.
    // A page asks for the same few dozen texts on every render; those without values are kept once looked up.
    const plainTexts = new Map<string, string>();
    hbs.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => {
      const lang = pickLanguage(options.data?.root?.lang);
      const values = options.hash as Record<string, unknown>;
      if (Object.keys(values).length > 0) return translator(lang)(String(key), values);
      const cacheKey = `${lang}:${String(key)}`;
      let text = plainTexts.get(cacheKey);
      if (text === undefined) plainTexts.set(cacheKey, (text = translator(lang)(String(key))));
      return text;
    });
    hbs.registerHelper(
      'includes',
      (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
    );
    // {{t (concat "part." code)}}: a catalogue key made of a prefix and a code.
    hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
    hbs.registerHelper('join', (list: unknown, sep: unknown) =>
      Array.isArray(list) ? list.join(String(sep)) : '',
    );
    // {{date value}} in the page's or email's language and in its reader's time zone (`timeZone` of the
    // data, UTC when none), which the text names: "14. mars 2027 kl. 09:30 Europe/Oslo".
    hbs.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) => {
      const root = options?.data?.root as { lang?: unknown; timeZone?: unknown } | undefined;
      return value instanceof Date || typeof value === 'string'
        ? formatDate(new Date(value), pickLanguage(root?.lang), zoneOrUtc(root?.timeZone))
        : '';
    });
    for (const file of readdirSync(join(templatesDir, 'partials')).filter((f) => f.endsWith('.hbs'))) {
      hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(templatesDir, 'partials', file), 'utf8'));
    }
    this.#pages = compileDir(hbs, 'pages');
    this.#layouts = compileDir(hbs, 'layouts');
    // Email bodies are plain text: nothing to escape for a mail client, and the HTML twin is escaped below.
    // Strict: an email that names a variable nobody supplied fails loudly instead of sending a gap.
    this.#emails = new Map(
      LANGUAGES.flatMap((lang) =>
        [...compileDir(hbs, join('emails', lang), { noEscape: true, strict: true })].map(
          ([name, template]) => [`${lang}/${name}`, template] as const,
        ),
      ),
    );
    this.#subjects = new Map(
      LANGUAGES.flatMap((lang) =>
        readdirSync(join(templatesDir, 'emails', lang))
          .filter((f) => f.endsWith('.hbs'))
          .map((file) => {
            const first = readFileSync(join(templatesDir, 'emails', lang, file), 'utf8').split('\n')[0]!;
            return [
              `${lang}/${basename(file, '.hbs')}`,
              hbs.compile(first.replace(/^Subject: /, ''), { noEscape: true, strict: false }),
            ] as const;
          }),
      ),
    );
  }

  page(name: string, data: Record<string, unknown>, layout = 'main'): string {
    const body = this.#get(this.#pages, 'page', name)(data);
    return this.#get(this.#layouts, 'layout', layout)({ ...data, body });
  }

  /**
   * An email in `lang` (templates/emails/<lang>/<name>.hbs, English where a translation is missing). Its
   * first line is `Subject: …`; the rest, after a blank line, is the text body.
   */
  email(name: string, data: Record<string, unknown>, lang: Language = 'en'): RenderedEmail {
    const template = this.#emails.get(`${lang}/${name}`) ?? this.#get(this.#emails, 'email', `en/${name}`);
    const rendered = template({ ...data, lang });
    const match = /^Subject: (.+)\r?\n\r?\n([\s\S]*)$/.exec(rendered);
    if (!match) throw new Error(`email template ${name} must start with "Subject: …" and a blank line`);
    const subject = match[1]!.trim();
    const text = match[2]!.trimEnd() + '\n';
    const html = this.#get(
      this.#layouts,
      'layout',
      'email',
    )({ subject, lang, paragraphs: textParagraphs(text, this.#linkBase) });
    return { subject, text, html };
  }

  /**
   * Only an email's subject, for pages that name an email sent earlier from the codes its workflow
   * passed: anything personal the activity added then (a name) reads as empty here.
   */
  emailSubject(name: string, data: Record<string, unknown>, lang: Language): string {
    const subject = this.#subjects.get(`${lang}/${name}`) ?? this.#subjects.get(`en/${name}`);
    return subject ? subject({ ...data, lang }).trim() : name;
  }

  #get(map: Map<string, Template>, kind: string, name: string): Template {
    const t = map.get(name);
    if (!t) throw new Error(`no ${kind} template named ${name}`);
    return t;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A valid zone as given, else UTC: a page never fails to draw over a zone stored before it was checked. */
function zoneOrUtc(zone: unknown): string {
  if (typeof zone !== 'string' || !zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** A date and time as the reader's clock shows it, naming the zone: "14 March 2027 at 09:30 Europe/Oslo". */
export function formatDate(date: Date, lang: Language, timeZone = 'UTC'): string {
  const key = `${lang}/${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone });
    dateFormats.set(key, format);
  }
  return `${format.format(date)} ${timeZone}`;
}

/** Plain text as escaped HTML paragraphs, with the app's own URLs (under `linkBase`) as links. */
export function textParagraphs(text: string, linkBase: URL | undefined): string[] {
  return text.split(/\n{2,}/).map((p) => linkify(p, linkBase).replace(/\n/g, '<br>'));
}

/** An http(s) URL in plain text; the capture keeps it when the text is split around it. */
const URL_IN_TEXT = /(https?:\/\/[^\s<>]+)/;

/**
 * Escapes plain text and makes links of the URLs the app built. An email's text also carries what
 * participants wrote (names, organisations, reasons), and a link there would be a stranger's link in
 * a message from the app's own address: so only a URL under the public URL, written exactly as the
 * browser would read it (no `..`, no quote, no look-alike host), becomes a link; any other stays text.
 */
function linkify(plain: string, linkBase: URL | undefined): string {
  const prefix = linkBase && `${linkBase.origin}${basePath(linkBase)}`;
  return plain
    .split(URL_IN_TEXT)
    .map((part, i) => {
      const escaped = Handlebars.escapeExpression(part);
      // Odd parts are the captured URLs.
      return i % 2 === 1 && prefix && isOwnUrl(part, prefix)
        ? `<a href="${escaped}">${escaped}</a>`
        : escaped;
    })
    .join('');
}

function isOwnUrl(candidate: string, prefix: string): boolean {
  if (!URL.canParse(candidate)) return false;
  const href = new URL(candidate).href;
  return href === candidate && href.startsWith(prefix);
}
