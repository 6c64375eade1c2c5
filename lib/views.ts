/**
 * The one renderer: Handlebars pages inside a layout, and emails as text with an HTML twin. Everything
 * a template prints with {{ }} is escaped; templates use {{{ }}} only for HTML this module produced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { LANGUAGES, pickLanguage, translator, type Language } from './i18n.js';
import { projectRoot } from './temporal-cli.js';

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

export class Views {
  readonly #pages: Map<string, Template>;
  readonly #layouts: Map<string, Template>;
  readonly #emails: Map<string, Template>;
  /** Each email's subject line alone, lenient: pages name emails sent earlier from what history kept. */
  readonly #subjects: Map<string, Template>;

  constructor() {
    const hbs = Handlebars.create();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    // {{t "key" name=value}}: a text in the page's language (`lang` of the page's data), English by default.
    hbs.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) =>
      translator(pickLanguage(options.data?.root?.lang))(
        String(key),
        options.hash as Record<string, unknown>,
      ),
    );
    hbs.registerHelper(
      'includes',
      (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
    );
    // {{t (concat "part." code)}}: a catalogue key made of a prefix and a code.
    hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
    hbs.registerHelper('join', (list: unknown, sep: unknown) =>
      Array.isArray(list) ? list.join(String(sep)) : '',
    );
    // {{date value}} in the page's or email's language, in UTC (which the text says), such as "14. mars 2027 kl. 09:30 UTC".
    hbs.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) =>
      value instanceof Date || typeof value === 'string'
        ? formatDate(new Date(value), pickLanguage(options.data?.root?.lang))
        : '',
    );
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
    )({ subject, lang, paragraphs: textParagraphs(text) });
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

const dateFormats = new Map(
  LANGUAGES.map((lang) => [
    lang,
    new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  ]),
);

export function formatDate(date: Date, lang: Language): string {
  return `${dateFormats.get(lang)!.format(date)} UTC`;
}

/** Plain text as escaped HTML paragraphs, with its URLs as links. */
export function textParagraphs(text: string): string[] {
  return text.split(/\n{2,}/).map((p) => linkify(Handlebars.escapeExpression(p)).replace(/\n/g, '<br>'));
}

/** Turns already-escaped absolute http(s) URLs into links; the text around them stays escaped. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}
