/** Checks a programme's settings where they enter the system; the workflow receives them already valid. */
import { z } from 'zod';
import { isDuration } from '../workflows/durations.js';
import { DEFAULT_COHORT_SETTINGS, type CohortSettings } from '../workflows/cohort-messages.js';
import { DEFAULT_SETTINGS, type ProgramSettings } from '../workflows/program-settings.js';

const duration = z.string().refine(isDuration, 'must be an ISO 8601 duration such as P1M, P7D or PT30S');

export const ProgramSettingsSchema = z.object({
  duration: duration.default(DEFAULT_SETTINGS.duration),
  meetingCadence: duration.default(DEFAULT_SETTINGS.meetingCadence),
  meetingReminderBefore: duration.default(DEFAULT_SETTINGS.meetingReminderBefore),
  formReminderAfter: duration.default(DEFAULT_SETTINGS.formReminderAfter),
  formReminders: z.number().int().min(0).max(10).default(DEFAULT_SETTINGS.formReminders),
  managerEndorsement: z.boolean().default(DEFAULT_SETTINGS.managerEndorsement),
  missedMeetingsBeforeReminder: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(DEFAULT_SETTINGS.missedMeetingsBeforeReminder),
}) satisfies z.ZodType<ProgramSettings, unknown>;

export function programSettings(stored: unknown): ProgramSettings {
  return ProgramSettingsSchema.parse(stored ?? {});
}

const CohortSettingsSchema = z.object({
  reminderBefore: duration.default(DEFAULT_COHORT_SETTINGS.reminderBefore),
  homeworkDueBefore: duration.default(DEFAULT_COHORT_SETTINGS.homeworkDueBefore),
  formReminderAfter: duration.default(DEFAULT_COHORT_SETTINGS.formReminderAfter),
  formReminders: z.number().int().min(0).max(10).default(DEFAULT_COHORT_SETTINGS.formReminders),
}) satisfies z.ZodType<CohortSettings, unknown>;

/** A learning network's timings, kept under `cohort` in the programme's settings; a cohort pins them when it starts. */
export function cohortSettings(stored: unknown): CohortSettings {
  const cohort = (stored as { cohort?: unknown } | null | undefined)?.cohort;
  return CohortSettingsSchema.parse(cohort ?? {});
}
