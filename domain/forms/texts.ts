/**
 * The words of the built-in forms are in the catalogues, `locales/<lang>/forms.json`: under each form's
 * key its title, intro, section titles and each field's label, help and option words
 * (`forms.menteeApplication.fields.goals.label`), and the words of the built-in answer scales
 * (`forms.scales.rating`).
 */
import { catalogue, LANGUAGES, type Language } from '../../platform/i18n.js';

const catalogues = new Map(LANGUAGES.map((lang) => [lang, catalogue(lang)]));
const read = new Set<string>();
/** Every key looked up so far: a test finds the catalogue's texts that no form reads any more. */
export const keysRead: ReadonlySet<string> = read;

/**
 * A text of one language's own catalogue, or undefined where it has none: no English in its place, so a
 * form's translation leaves out what is not translated and shows the English for it as before.
 */
export function ownText(lang: Language, key: string): string | undefined {
  read.add(key);
  let node: unknown = catalogues.get(lang);
  for (const part of key.split('.'))
    node =
      typeof node === 'object' && node !== null && Object.hasOwn(node, part)
        ? (node as Record<string, unknown>)[part]
        : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** An English text the code names: one missing from the catalogue fails when the code loads, not on a page. */
export function englishText(key: string): string {
  const text = ownText('en', key);
  if (text === undefined) throw new Error(`locales/en has no text ${key}`);
  return text;
}
