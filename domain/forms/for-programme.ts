/**
 * A form as one programme asks it. A choice of durations marked `upTo` a programme setting offers only
 * the durations no longer than that setting (a pair may agree to meet more often than its programme
 * asks, not less); a choice left without any is not asked. The page draws this form and checks answers
 * against it, so an answer the programme does not allow is refused by name. A date-time marked `ahead`
 * must lie ahead on the programme's clock (`notAhead`).
 */
import { isDuration, notLongerThan } from '../../workflows/durations.js';
import { fromLocalDateTime } from '../../workflows/local-time.js';
import { fieldsOf, type FormDefinition, type FormValues } from './definition.js';

export function forProgramme(
  form: FormDefinition,
  settings: { meetingCadence?: string } | undefined,
): FormDefinition {
  const limited = form.sections.some((s) => s.fields.some((f) => f.upTo));
  if (!limited) return form;
  const sections = form.sections
    .map((section) => ({
      ...section,
      fields: section.fields.flatMap((field) => {
        const limit = field.upTo && settings?.[field.upTo];
        if (!field.upTo) return [field];
        const options = (field.options ?? []).filter(
          (o) => limit && isDuration(o.value) && isDuration(limit) && notLongerThan(o.value, limit),
        );
        return options.length ? [{ ...field, options }] : [];
      }),
    }))
    .filter((section) => section.fields.length > 0);
  return { ...form, sections };
}

/**
 * The fields of `values` marked `ahead` whose date-time, read on the clock of `zone`, is not ahead of
 * `now`: their names, for the page to refuse with the field named.
 */
export function notAhead(form: FormDefinition, values: FormValues, zone: string, now: number): string[] {
  return fieldsOf(form)
    .filter((f) => f.kind === 'date-time' && f.ahead)
    .filter((f) => {
      const at = fromLocalDateTime(String(values[f.name] ?? ''), zone);
      return at !== undefined && at <= now;
    })
    .map((f) => f.name);
}
