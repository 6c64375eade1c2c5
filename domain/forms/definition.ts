/**
 * A form is data: sections of fields with labels, limits and options. The renderer draws it, and
 * `submissionSchema` derives the server-side validation from it, so the two cannot disagree.
 *
 * A definition holds its texts themselves, English in place and the other languages in `translations`:
 * a coordinator's edited version is stored so, and a built-in form is given them from the catalogues
 * (locales/<lang>/forms.json) when it is loaded (built-in.ts).
 */
import { z } from 'zod';
import { LANGUAGES, translator, type Language } from '../../platform/i18n.js';
import { hasControlCharacters, withoutControlCharacters } from '../../platform/text.js';
import { englishText } from './texts.js';

export const FieldKind = z.enum([
  'short-text',
  'long-text',
  'email',
  'number',
  'date',
  /** A day and a time of day on a clock the page names (`2027-03-14T09:00`). */
  'date-time',
  'single-choice',
  'multiple-choice',
  /** 1 (low) to 5 (high). */
  'rating',
  /** Strongly disagree … strongly agree. */
  'likert',
  'yes-no',
  'consent',
  /** Read-only text between questions; nothing to answer. */
  'info',
]);
export type FieldKind = z.infer<typeof FieldKind>;

const fieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,40}$/);

/**
 * Names a field cannot have. The form page posts its own envelope with the answers (`submissionId`,
 * `lang`, `_csrf`), which would swallow a field of that name; and every object has the built-ins of
 * `Object.prototype` (`constructor`, `toString`, `__proto__`…), which a lookup by field name would read
 * as an answer or an error that nobody gave.
 */
const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  'submissionId',
  'lang',
  '_csrf',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** The answer (or error) of one field: only what was given for it, never what an object inherits. */
export function entryFor<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** An empty record keyed by field name, with no inherited keys to collide with a field's name. */
const byFieldName = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
const Option = z.object({ value: z.string().min(1).max(100), label: z.string().min(1) });
type Option = z.infer<typeof Option>;

/** Kinds whose answer is one or more of a fixed list of values. */
const CHOICE_KINDS: readonly FieldKind[] = ['single-choice', 'multiple-choice', 'rating', 'likert', 'yes-no'];
/**
 * The built-in answer scales: the values of a kind that brings its own, and where their words are in
 * the catalogues (locales/<lang>/forms.json). A built-in form whose choice spells out a scale (a 1–5
 * rating asked as a single choice) takes its words from the same place.
 */
export const SCALES = {
  rating: { texts: 'forms.scales.rating', values: ['1', '2', '3', '4', '5'] },
  likert: {
    texts: 'forms.scales.likert',
    values: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'],
  },
  'yes-no': { texts: 'forms.scales.yesNo', values: ['yes', 'no'] },
} as const satisfies Partial<Record<FieldKind, { texts: string; values: readonly string[] }>>;
const scale = ({ texts, values }: { texts: string; values: readonly string[] }): Option[] =>
  values.map((value) => ({ value, label: englishText(`${texts}.${value}`) }));
/** The 1–5 scale of a rating field (and of the version-1 forms that spelled it out as a single choice). */
export const RATING_OPTIONS: Option[] = scale(SCALES.rating);
/** A scale's English words; a form's translations give the other languages' (localize). */
const BUILT_IN_OPTIONS: Partial<Record<FieldKind, Option[]>> = {
  rating: RATING_OPTIONS,
  likert: scale(SCALES.likert),
  'yes-no': scale(SCALES['yes-no']),
};

export const Field = z
  .object({
    name: fieldName,
    kind: FieldKind,
    label: z.string().min(1),
    help: z.string().optional(),
    required: z.boolean().default(false),
    maxLength: z.number().int().positive().optional(),
    /** Bounds of a number field. */
    min: z.number().optional(),
    max: z.number().optional(),
    options: z.array(Option).optional(),
    /** How a single choice is drawn: radio buttons (the default for few options) or a select. */
    display: z.enum(['radio', 'select']).optional(),
    /** A date-time that must lie ahead when it is given (the first meeting of a plan, say). */
    ahead: z.boolean().optional(),
    /**
     * Options that are durations (`P2W`), of which the page offers only those no longer than this
     * programme setting: a pair agrees how often it meets, but not less often than its programme asks.
     */
    upTo: z.enum(['meetingCadence']).optional(),
    /** Asked only when an earlier choice field has one of these values; otherwise its answer is ignored. */
    showWhen: z.object({ field: fieldName, equals: z.array(z.string().min(1)).min(1) }).optional(),
  })
  .superRefine((f, ctx) => {
    if (RESERVED_FIELD_NAMES.has(f.name))
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `${f.name} is a name the form itself uses; choose another`,
        params: { problem: 'reservedName', name: f.name },
      });
    const own = f.kind === 'single-choice' || f.kind === 'multiple-choice';
    if (own && (f.options?.length ?? 0) < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `${f.name}: a choice needs two options or more`,
        params: { problem: 'twoOptions' },
      });
    if (!own && f.options)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `${f.name}: only choice fields take options`,
        params: { problem: 'onlyChoiceOptions' },
      });
    if (own && new Set(f.options!.map((o) => o.value)).size !== f.options!.length)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `${f.name}: option values must differ`,
        params: { problem: 'optionValuesDiffer' },
      });
    if (f.kind === 'info' && f.required)
      ctx.addIssue({
        code: 'custom',
        path: ['required'],
        message: `${f.name}: an info block has no answer`,
        params: { problem: 'infoRequired' },
      });
    if (f.min !== undefined && f.max !== undefined && f.min > f.max)
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: `${f.name}: min is above max`,
        params: { problem: 'minAboveMax' },
      });
  });
export type Field = z.infer<typeof Field>;

/** The values a choice field takes: its own options, or the built-in scale of its kind. */
export function choicesOf(field: Field): Option[] {
  return field.options ?? BUILT_IN_OPTIONS[field.kind] ?? [];
}

/** A form's texts in another language; anything left out stays in English. */
const Translation = z.object({
  title: z.string().min(1).optional(),
  intro: z.string().optional(),
  /** Section titles, in order. */
  sections: z.array(z.string().min(1)).optional(),
  fields: z
    .record(
      fieldName,
      z.object({
        label: z.string().min(1).optional(),
        help: z.string().optional(),
        options: z.record(z.string(), z.string().min(1)).optional(),
      }),
    )
    .optional(),
});

export const FormDefinition = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]+$/),
    version: z.number().int().positive(),
    title: z.string().min(1),
    intro: z.string().optional(),
    sections: z
      .array(
        z.object({
          title: z.string().min(1),
          fields: z.array(Field).min(1),
          /**
           * Answers two people give together (a pair's meeting plan in their agreement): the one who answers
           * second finds the first one's answers filled in, to confirm or change.
           */
          shared: z.boolean().optional(),
        }),
      )
      .min(1),
    /** The same form's texts in the other languages, by language code. */
    translations: z.partialRecord(z.enum(LANGUAGES), Translation).optional(),
  })
  .superRefine((form, ctx) => {
    const names = new Set(form.sections.flatMap((s) => s.fields.map((f) => f.name)));
    for (const [lang, t] of Object.entries(form.translations ?? {}))
      for (const name of Object.keys(t?.fields ?? {}))
        if (!names.has(name))
          ctx.addIssue({
            code: 'custom',
            path: ['translations'],
            message: `${lang} translates no field ${name}`,
            params: { problem: 'translationField', name },
          });
    const earlier = new Map<string, Field>();
    for (const field of form.sections.flatMap((s) => s.fields)) {
      if (earlier.has(field.name))
        ctx.addIssue({
          code: 'custom',
          path: ['sections'],
          message: `two fields are named ${field.name}`,
          params: { problem: 'sameName', name: field.name },
        });
      const when = field.showWhen;
      if (when) {
        const source = earlier.get(when.field);
        if (!source || !CHOICE_KINDS.includes(source.kind)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections'],
            message: `${field.name} depends on ${when.field}, which must be a choice field before it`,
            params: { problem: 'dependsOn', name: field.name, on: when.field },
          });
        } else {
          const values = choicesOf(source).map((o) => o.value);
          for (const v of when.equals.filter((v) => !values.includes(v)))
            ctx.addIssue({
              code: 'custom',
              path: ['sections'],
              message: `${when.field} has no option ${v}`,
              params: { problem: 'noOption', name: when.field, value: v },
            });
        }
      }
      earlier.set(field.name, field);
    }
  });
export type FormDefinition = z.infer<typeof FormDefinition>;

/** The form with its texts in `lang` (English where a translation leaves something out). */
export function localize(form: FormDefinition, lang: Language): FormDefinition {
  const t = lang === 'en' ? undefined : form.translations?.[lang];
  if (!t) return form;
  return {
    ...form,
    title: t.title ?? form.title,
    intro: t.intro ?? form.intro,
    sections: form.sections.map((section, i) => ({
      title: t.sections?.[i] ?? section.title,
      fields: section.fields.map((field) => {
        const f = t.fields?.[field.name];
        if (!f) return field;
        return {
          ...field,
          label: f.label ?? field.label,
          help: f.help ?? field.help,
          // A built-in scale (rating, yes-no, likert) takes the translation's labels when it gives them.
          options: (field.options ?? (f.options ? BUILT_IN_OPTIONS[field.kind] : undefined))?.map((o) => ({
            ...o,
            label: f.options?.[o.value] ?? o.label,
          })),
        };
      }),
    })),
  };
}

export type FormValues = Record<string, string | string[] | boolean>;
export type FieldErrors = Record<string, string>;

export function fieldsOf(form: FormDefinition): Field[] {
  return form.sections.flatMap((s) => s.fields);
}

const DEFAULT_MAX = { 'short-text': 200, 'long-text': 4000, email: 254, date: 10, 'date-time': 16 } as const;
const NUMBER = /^-?\d{1,12}(\.\d{1,6})?$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A day and a time as a browser's date-time input sends it, or as typed where it has none (a space). */
const DATE_TIME = /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))[T ]([01]\d|2[0-3]):([0-5]\d)$/;

/** A field the browser did not send at all reads as empty, so it gets the same message as an empty one. */
const absentAsEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === undefined ? '' : v), schema);

function fieldSchema(field: Field, lang: Language): z.ZodType {
  const t = translator(lang);
  const label = field.label;
  const required = t('validation.required', { label });
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
    case 'email':
    case 'date':
    case 'date-time': {
      const max = field.maxLength ?? DEFAULT_MAX[field.kind];
      let text = z
        .string({ error: t('validation.text', { label }) })
        .trim()
        .max(max, t('validation.tooLong', { label, max }))
        .refine((v) => !hasControlCharacters(v), t('validation.control', { label }));
      if (field.required) text = text.min(1, required);
      if (field.kind === 'date') {
        return absentAsEmpty(
          text.refine((v) => v === '' || ISO_DATE.test(v), t('validation.date', { label })),
        );
      }
      if (field.kind === 'date-time') {
        return absentAsEmpty(
          text
            .refine((v) => v === '' || DATE_TIME.test(v), t('validation.dateTime', { label }))
            .transform((v) => v.replace(' ', 'T')),
        );
      }
      if (field.kind !== 'email') return absentAsEmpty(text);
      const address = z.union([z.literal(''), z.email(t('validation.email', { label }))]);
      return absentAsEmpty(text.pipe(address));
    }
    case 'number': {
      let text = z.string({ error: t('validation.number', { label }) }).trim();
      if (field.required) text = text.min(1, required);
      const { min, max } = field;
      return absentAsEmpty(
        text
          .refine((v) => v === '' || NUMBER.test(v), t('validation.number', { label }))
          .refine(
            (v) => v === '' || !NUMBER.test(v) || min === undefined || Number(v) >= min,
            t('validation.min', { label, min }),
          )
          .refine(
            (v) => v === '' || !NUMBER.test(v) || max === undefined || Number(v) <= max,
            t('validation.max', { label, max }),
          ),
      );
    }
    case 'info':
      return z.never();
    case 'rating':
    case 'likert':
    case 'yes-no':
    case 'single-choice': {
      const values = choicesOf(field).map((o) => o.value);
      let choice = z
        .string({ error: t('validation.chooseOne', { label }) })
        .refine((v) => v === '' || values.includes(v), t('validation.chooseOne', { label }));
      if (field.required) choice = choice.refine((v) => v !== '', t('validation.chooseRequired', { label }));
      return absentAsEmpty(choice);
    }
    case 'multiple-choice': {
      const values = (field.options ?? []).map((o) => o.value);
      const list = z
        .union([z.string(), z.array(z.string())], {
          error: t('validation.chooseOnly', { label }),
        })
        .optional()
        .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
        .refine((v) => v.every((x) => values.includes(x)), t('validation.chooseOnly', { label }))
        .refine((v) => new Set(v).size === v.length, t('validation.chooseOnce', { label }));
      return field.required
        ? list.refine((v) => v.length > 0, t('validation.chooseAtLeast', { label }))
        : list;
    }
    case 'consent': {
      const box = z
        .literal('yes', { error: t('validation.tickOnly', { label }) })
        .optional()
        .transform((v) => v === 'yes');
      return field.required ? box.refine((v) => v, t('validation.tick', { label })) : box;
    }
  }
}

/** Fields that take an answer (an info block takes none). */
function answerable(form: FormDefinition): Field[] {
  return fieldsOf(form).filter((f) => f.kind !== 'info');
}

/** Which fields the person was asked, given what they chose in the fields that others depend on. */
export function visibleFields(form: FormDefinition, input: Record<string, unknown>): Set<string> {
  const visible = new Set<string>();
  for (const field of answerable(form)) {
    const when = field.showWhen;
    const chosen = when ? [entryFor(input, when.field)].flat() : [];
    if (!when || (visible.has(when.field) && chosen.some((v) => when.equals.includes(v as string))))
      visible.add(field.name);
  }
  return visible;
}

/**
 * The validation of one form version, derived from it: unknown fields are rejected by name, and a field
 * whose condition hides it is neither checked nor kept.
 */
export function submissionSchema(form: FormDefinition, lang: Language = 'en') {
  const fields = answerable(form);
  const t = translator(lang);
  const strict = (shape: Record<string, z.ZodType>) =>
    z.strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? t('validation.unknown', { names: issue.keys.join(', ') })
          : undefined,
    });
  // The posted object itself, not a copy made by z.record: a copy drops a posted `__proto__` key (it
  // sets the copy's prototype instead), and inherited keys would read as answers.
  const posted = z.custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  return posted.transform((raw, ctx) => {
    const input = Object.assign(byFieldName<unknown>(), raw);
    const visible = visibleFields(form, input);
    const shape = byFieldName<z.ZodType>();
    for (const field of fields)
      shape[field.name] = visible.has(field.name) ? fieldSchema(field, lang) : z.unknown().optional();
    const result = strict(shape).safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input });
      return z.NEVER;
    }
    const values = byFieldName<FormValues[string]>();
    for (const field of fields)
      if (visible.has(field.name))
        values[field.name] = entryFor(result.data, field.name) as FormValues[string];
    return values;
  });
}

export type ParseResult =
  | { ok: true; values: FormValues }
  | { ok: false; errors: FieldErrors; formErrors: string[]; values: FormValues };

/** Validates a submission; on failure returns the messages and the input as typed, for re-rendering. */
export function parseSubmission(
  form: FormDefinition,
  input: Record<string, unknown>,
  lang: Language = 'en',
): ParseResult {
  const result = submissionSchema(form, lang).safeParse(input);
  if (result.success) return { ok: true, values: result.data as FormValues };
  const errors = byFieldName<string>();
  const formErrors: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && !Object.hasOwn(errors, key)) errors[key] = issue.message;
    else if (issue.path.length === 0) formErrors.push(issue.message);
  }
  return { ok: false, errors, formErrors, values: typedValues(form, input) };
}

/** What the person typed, limited to the form's own fields, so an error page can show it again. */
export function typedValues(form: FormDefinition, input: Record<string, unknown>): FormValues {
  const values = byFieldName<FormValues[string]>();
  for (const field of fieldsOf(form)) {
    const v = entryFor(input, field.name);
    if (typeof v === 'string') {
      const shown = withoutControlCharacters(v);
      values[field.name] = field.kind === 'multiple-choice' ? [shown] : shown;
    } else if (Array.isArray(v))
      values[field.name] = v.filter((x): x is string => typeof x === 'string').map(withoutControlCharacters);
  }
  return values;
}
