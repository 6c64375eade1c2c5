/** Turns a form definition plus values and errors into what the field partials print. */
import {
  entryFor,
  choicesOf,
  fieldsOf,
  type Field,
  type FieldErrors,
  type FormDefinition,
  type FormValues,
} from './definition.js';
import { translator, type Language } from '../../platform/i18n.js';

export interface FieldView {
  id: string;
  name: string;
  kind: string;
  /** The partial that draws this kind of field (`field-input`, `field-radios`, …). */
  partial: string;
  inputType?: string;
  inputMode?: string;
  /** For a conditional question: when to answer it (shown, as forms work without JavaScript). */
  condition?: string;
  conditionId?: string;
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
  /** `shared`: the section's answers are given together (see the definition's `shared`). */
  sections: { title: string; shared: boolean; fields: FieldView[] }[];
  errors: { id: string; message: string }[];
}

export function formView(
  form: FormDefinition,
  values: FormValues = {},
  errors: FieldErrors = {},
  formErrors: string[] = [],
  lang: Language = 'en',
  /** The clock a date-time field's times are on (its help says so); UTC unless the page says otherwise. */
  timeZone = 'UTC',
): FormView {
  const t = translator(lang);
  const summary: FormView['errors'] = formErrors.map((message) => ({ id: 'form-top', message }));
  const byName = new Map(fieldsOf(form).map((f) => [f.name, f]));
  const sections = form.sections.map((section) => ({
    title: section.title,
    shared: section.shared === true,
    fields: section.fields.map((field): FieldView => {
      const id = `f-${field.name}`;
      const raw = entryFor(values, field.name);
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : [];
      const error = entryFor(errors, field.name);
      if (error) summary.push({ id, message: error });
      // A time means nothing without its clock: a date-time's help names the zone it is read in.
      const help =
        field.kind === 'date-time'
          ? [field.help, t('validation.clock', { zone: timeZone })].filter(Boolean).join(' ')
          : field.help;
      const helpId = help ? `${id}-help` : undefined;
      const errorId = error ? `${id}-error` : undefined;
      const condition = field.showWhen && conditionText(field, byName.get(field.showWhen.field), lang);
      const conditionId = condition ? `${id}-when` : undefined;
      return {
        id,
        name: field.name,
        kind: field.kind,
        ...drawing(field),
        condition,
        conditionId,
        label: field.label,
        help,
        helpId,
        required: field.required,
        maxLength: field.maxLength,
        value: typeof raw === 'string' ? raw : '',
        checked: raw === true || raw === 'yes',
        options: choicesOf(field).map((o, i) => ({
          ...o,
          selected: list.includes(o.value),
          id: `${id}-${i}`,
        })),
        error,
        errorId,
        describedBy: [errorId, conditionId, helpId].filter(Boolean).join(' ') || undefined,
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

/** Which partial draws a field, and the input type for the plain ones. */
function drawing(field: Field): Pick<FieldView, 'partial' | 'inputType' | 'inputMode'> {
  switch (field.kind) {
    case 'long-text':
      return { partial: 'field-textarea' };
    case 'multiple-choice':
      return { partial: 'field-checkboxes' };
    case 'consent':
      return { partial: 'field-consent' };
    case 'info':
      return { partial: 'field-info' };
    case 'rating':
    case 'likert':
    case 'yes-no':
      return { partial: 'field-radios' };
    case 'single-choice':
      return { partial: field.display === 'radio' ? 'field-radios' : 'field-select' };
    case 'number':
      return { partial: 'field-input', inputType: 'text', inputMode: 'decimal' };
    case 'email':
    case 'date':
      return { partial: 'field-input', inputType: field.kind };
    case 'date-time':
      return { partial: 'field-input', inputType: 'datetime-local' };
    case 'short-text':
      return { partial: 'field-input', inputType: 'text' };
  }
}

function conditionText(field: Field, source: Field | undefined, lang: Language): string | undefined {
  if (!field.showWhen || !source) return undefined;
  const t = translator(lang);
  const labels = choicesOf(source)
    .filter((o) => field.showWhen!.equals.includes(o.value))
    .map((o) => `“${o.label}”`);
  return t('validation.answerOnlyIf', { choices: labels.join(t('validation.or')), label: source.label });
}
