/**
 * The five languages of the programmes (English, Norwegian bokmål, Danish, Swedish, Dutch): the
 * catalogues under locales/ through i18next, English where a text is not translated yet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { projectRoot } from './project.js';

export const LANGUAGES = ['en', 'nb', 'da', 'sv', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  nb: 'Norsk',
  da: 'Dansk',
  sv: 'Svenska',
  nl: 'Nederlands',
};

/** A language's catalogue: each file `locales/<lang>/<part>.json` is the part's keys (`part.key`). */
export function catalogue(lang: Language): Record<string, unknown> {
  const dir = join(projectRoot, 'locales', lang);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [basename(f, '.json'), JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown]),
  );
}

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogue(l) }])),
  lng: 'en',
  fallbackLng: 'en',
  // Handlebars escapes what the templates print; escaping here too would print &amp; and &quot;.
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the candidates that is one of the five languages (a person's choice, then the programme's). */
export function pickLanguage(...candidates: unknown[]): Language {
  return candidates.find(isLanguage) ?? 'en';
}

/** One translation function per language, made once: the catalogues do not change while the process runs. */
const translators = new Map<Language, TFunction>();

export function translator(lang: Language): TFunction {
  let t = translators.get(lang);
  if (!t) translators.set(lang, (t = i18n.getFixedT(lang)));
  return t;
}

/** The language links of a page (`?lang=` on the same address), the current one marked. */
export function languageLinks(current: Language) {
  return LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], current: code === current }));
}
