/**
 * A form as one programme asks it. A choice of durations marked `upTo` a programme setting offers only
 * the durations no longer than that setting (a pair may agree to meet more often than its programme
 * asks, not less); a choice left without any is not asked. The page draws this form and checks answers
 * against it, so an answer the programme does not allow is refused by name.
 */
import { isDuration, notLongerThan } from '../../workflows/durations.js';
import type { FormDefinition } from './definition.js';

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
