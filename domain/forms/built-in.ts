/**
 * A built-in form is written as its structure only: field names, kinds, whether required, limits,
 * option values, conditions, and the keys of its words in the catalogues. `builtInForm` reads the words
 * (texts.ts) and returns the definition everything else reads: the English texts in place, the other
 * languages as its `translations`, the same shape a coordinator's edited version is stored in. So a
 * stored definition (its own texts) and a built-in one (texts from the catalogues) render alike.
 */
import type { z } from 'zod';
import { LANGUAGES, type Language } from '../../platform/i18n.js';
import { FormDefinition, SCALES, type Field } from './definition.js';
import { englishText, ownText } from './texts.js';

/** A field without its words. */
export type FieldStructure = Omit<z.input<typeof Field>, 'label' | 'help' | 'options'> & {
  /** The values of a choice's own options, in order; their words are under `optionTexts`. */
  options?: readonly string[];
  /**
   * The key of its `label` (and `help`, where the English catalogue has one), when not its form's
   * `fields.<name>`: a question asked with another form's words.
   */
  texts?: string;
  /**
   * The key of its options' words by value, when not `<texts>.options`: a scale shared by several
   * questions (`forms.scales.rating`). A rating, likert or yes-no field has its kind's scale.
   */
  optionTexts?: string;
};

export interface FormStructure {
  id: string;
  version: number;
  /** The key of the form's words: `title`, `intro`, `sections.<key>`, `fields.<name>.label` and so on. */
  texts: string;
  sections: { key: string; fields: FieldStructure[]; shared?: boolean }[];
}

type Translation = NonNullable<FormDefinition['translations']>[Language];
const SCALE_OF: Partial<Record<string, { texts: string; values: readonly string[] }>> = SCALES;
const OTHER_LANGUAGES = LANGUAGES.filter((lang) => lang !== 'en');

/** Without the keys that have no value, as a definition written out in full leaves them out. */
function given<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
const isEmpty = (o: object) => Object.keys(o).length === 0;

/** The definition of a built-in form, its words taken from the catalogues. */
export function builtInForm(form: FormStructure): FormDefinition {
  const fields = form.sections.flatMap((s) => s.fields);
  const textsOf = (f: FieldStructure) => f.texts ?? `${form.texts}.fields.${f.name}`;
  const scaleOf = (f: FieldStructure) => SCALE_OF[f.kind];
  const optionTextsOf = (f: FieldStructure) =>
    f.optionTexts ?? (f.options ? `${textsOf(f)}.options` : scaleOf(f)?.texts);
  const sectionKey = (key: string) => `${form.texts}.sections.${key}`;

  /** What `lang`'s catalogue has of the form's words; the rest stays English (see `localize`). */
  const translation = (lang: Language): Translation => {
    const text = (key: string) => ownText(lang, key);
    const optionWords = (f: FieldStructure) => {
      const key = optionTextsOf(f);
      const words = (f.options ?? scaleOf(f)?.values ?? []).flatMap((value) => {
        const word = key === undefined ? undefined : text(`${key}.${value}`);
        return word === undefined ? [] : [[value, word] as const];
      });
      return words.length ? Object.fromEntries(words) : undefined;
    };
    const translated = Object.fromEntries(
      fields.flatMap((f) => {
        const words = given({
          label: text(`${textsOf(f)}.label`),
          help: text(`${textsOf(f)}.help`),
          options: optionWords(f),
        });
        return isEmpty(words) ? [] : [[f.name, words] as const];
      }),
    );
    const sections = form.sections.map((s) => text(sectionKey(s.key)));
    return given({
      title: text(`${form.texts}.title`),
      intro: text(`${form.texts}.intro`),
      // Titles by position: one left untranslated keeps its English place.
      sections: sections.some((t) => t !== undefined)
        ? sections.map((t, i) => t ?? englishText(sectionKey(form.sections[i]!.key)))
        : undefined,
      fields: isEmpty(translated) ? undefined : translated,
    });
  };

  const translations = Object.fromEntries(
    OTHER_LANGUAGES.map((lang) => [lang, translation(lang)] as const).filter(([, t]) => !isEmpty(t!)),
  );
  return FormDefinition.parse({
    id: form.id,
    version: form.version,
    title: englishText(`${form.texts}.title`),
    ...given({ intro: ownText('en', `${form.texts}.intro`) }),
    sections: form.sections.map((section) => ({
      title: englishText(sectionKey(section.key)),
      ...given({ shared: section.shared }),
      fields: section.fields.map((f) => {
        const { texts: _texts, optionTexts: _optionTexts, options, ...structure } = f;
        return given({
          ...structure,
          label: englishText(`${textsOf(f)}.label`),
          help: ownText('en', `${textsOf(f)}.help`),
          options: options?.map((value) => ({ value, label: englishText(`${optionTextsOf(f)}.${value}`) })),
        });
      }),
    })),
    ...given({ translations: isEmpty(translations) ? undefined : translations }),
  });
}
