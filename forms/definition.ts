/**
 * A form is data: sections of fields with labels, limits and options. The renderer draws it, and
 * `submissionSchema` derives the server-side validation from it, so the two cannot disagree.
 */
import { z } from 'zod';

export const FieldKind = z.enum([
  'short-text',
  'long-text',
  'email',
  'date',
  'single-choice',
  'multiple-choice',
  'consent',
]);

export const Field = z.object({
  name: z.string().regex(/^[a-z][a-zA-Z0-9]{0,40}$/),
  kind: FieldKind,
  label: z.string().min(1),
  help: z.string().optional(),
  required: z.boolean().default(false),
  maxLength: z.number().int().positive().optional(),
  options: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).optional(),
});
export type Field = z.infer<typeof Field>;

export const FormDefinition = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]+$/),
  version: z.number().int().positive(),
  title: z.string().min(1),
  intro: z.string().optional(),
  sections: z.array(z.object({ title: z.string().min(1), fields: z.array(Field).min(1) })).min(1),
});
export type FormDefinition = z.infer<typeof FormDefinition>;

export type FormValues = Record<string, string | string[] | boolean>;
export type FieldErrors = Record<string, string>;

export function fieldsOf(form: FormDefinition): Field[] {
  return form.sections.flatMap((s) => s.fields);
}

const DEFAULT_MAX = { 'short-text': 200, 'long-text': 4000, email: 254, date: 10 } as const;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A field the browser did not send at all reads as empty, so it gets the same message as an empty one. */
const absentAsEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === undefined ? '' : v), schema);

function fieldSchema(field: Field): z.ZodType {
  const required = `Please fill in “${field.label}”.`;
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
    case 'email':
    case 'date': {
      const max = field.maxLength ?? DEFAULT_MAX[field.kind];
      let text = z
        .string({ error: `“${field.label}” must be text.` })
        .trim()
        .max(max, `“${field.label}” is too long: ${max} characters at most.`);
      if (field.required) text = text.min(1, required);
      if (field.kind === 'date') {
        return absentAsEmpty(
          text.refine(
            (v) => v === '' || ISO_DATE.test(v),
            `“${field.label}” must be a date like 2027-03-14.`,
          ),
        );
      }
      if (field.kind !== 'email') return absentAsEmpty(text);
      const address = z.union([
        z.literal(''),
        z.email(`“${field.label}” must be an email address like name@example.org.`),
      ]);
      return absentAsEmpty(text.pipe(address));
    }
    case 'single-choice': {
      const values = (field.options ?? []).map((o) => o.value);
      let choice = z
        .string({ error: `Choose one of the options for “${field.label}”.` })
        .refine((v) => v === '' || values.includes(v), `Choose one of the options for “${field.label}”.`);
      if (field.required)
        choice = choice.refine((v) => v !== '', `Please choose an option for “${field.label}”.`);
      return absentAsEmpty(choice);
    }
    case 'multiple-choice': {
      const values = (field.options ?? []).map((o) => o.value);
      const list = z
        .union([z.string(), z.array(z.string())], {
          error: `Choose only from the options for “${field.label}”.`,
        })
        .optional()
        .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
        .refine(
          (v) => v.every((x) => values.includes(x)),
          `Choose only from the options for “${field.label}”.`,
        )
        .refine((v) => new Set(v).size === v.length, `Each option for “${field.label}” can be chosen once.`);
      return field.required
        ? list.refine((v) => v.length > 0, `Please choose at least one option for “${field.label}”.`)
        : list;
    }
    case 'consent': {
      const box = z
        .literal('yes', { error: `“${field.label}” can only be ticked.` })
        .optional()
        .transform((v) => v === 'yes');
      return field.required ? box.refine((v) => v, `Please tick “${field.label}” to continue.`) : box;
    }
  }
}

/** The validation of one form version; unknown fields are rejected by name. */
export function submissionSchema(form: FormDefinition) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fieldsOf(form)) shape[field.name] = fieldSchema(field);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `The form does not have these fields: ${issue.keys.join(', ')}.`
        : undefined,
  });
}

export type ParseResult =
  | { ok: true; values: FormValues }
  | { ok: false; errors: FieldErrors; formErrors: string[]; values: FormValues };

/** Validates a submission; on failure returns the messages and the input as typed, for re-rendering. */
export function parseSubmission(form: FormDefinition, input: Record<string, unknown>): ParseResult {
  const result = submissionSchema(form).safeParse(input);
  if (result.success) return { ok: true, values: result.data as FormValues };
  const errors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && issue.path.length > 0 && !(key in errors)) errors[key] = issue.message;
    else if (issue.path.length === 0) formErrors.push(issue.message);
  }
  return { ok: false, errors, formErrors, values: echo(form, input) };
}

/** What the person typed, limited to the form's own fields, so an error page can show it again. */
function echo(form: FormDefinition, input: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fieldsOf(form)) {
    const v = input[field.name];
    if (typeof v === 'string') values[field.name] = field.kind === 'multiple-choice' ? [v] : v;
    else if (Array.isArray(v)) values[field.name] = v.filter((x): x is string => typeof x === 'string');
  }
  return values;
}
