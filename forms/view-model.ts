/** Turns a form definition plus values and errors into what the field partials print. */
import { type FieldErrors, type FormDefinition, type FormValues } from './definition.js';

export interface FieldView {
  id: string;
  name: string;
  kind: string;
  label: string;
  help?: string;
  helpId?: string;
  required: boolean;
  maxLength?: number;
  value: string;
  checked: boolean;
  options: { value: string; label: string; selected: boolean; id: string }[];
  error?: string;
  errorId?: string;
  describedBy?: string;
}

export interface FormView {
  id: string;
  version: number;
  title: string;
  intro?: string;
  sections: { title: string; fields: FieldView[] }[];
  errors: { id: string; message: string }[];
}

export function formView(
  form: FormDefinition,
  values: FormValues = {},
  errors: FieldErrors = {},
  formErrors: string[] = [],
): FormView {
  const summary: FormView['errors'] = formErrors.map((message) => ({ id: 'form-top', message }));
  const sections = form.sections.map((section) => ({
    title: section.title,
    fields: section.fields.map((field): FieldView => {
      const id = `f-${field.name}`;
      const raw = values[field.name];
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : [];
      const error = errors[field.name];
      if (error) summary.push({ id, message: error });
      const helpId = field.help ? `${id}-help` : undefined;
      const errorId = error ? `${id}-error` : undefined;
      return {
        id,
        name: field.name,
        kind: field.kind,
        label: field.label,
        help: field.help,
        helpId,
        required: field.required,
        maxLength: field.maxLength,
        value: typeof raw === 'string' ? raw : '',
        checked: raw === true || raw === 'yes',
        options: (field.options ?? []).map((o, i) => ({
          ...o,
          selected: list.includes(o.value),
          id: `${id}-${i}`,
        })),
        error,
        errorId,
        describedBy: [errorId, helpId].filter(Boolean).join(' ') || undefined,
      };
    }),
  }));
  return {
    id: form.id,
    version: form.version,
    title: form.title,
    intro: form.intro,
    sections,
    errors: summary,
  };
}
