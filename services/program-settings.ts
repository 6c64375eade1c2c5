/**
 * A programme's settings: what relationships and cohorts pin when they start, and what the programme
 * itself follows (whether it takes mentors, how long it keeps personal data). Stored under
 * `programs.settings` (retention in its own column); read leniently, since a workflow receives them
 * already valid, and checked with their limits where a person or a system changes them (the settings
 * page, the integration API).
 */
import type { TFunction } from 'i18next';
import { z } from 'zod';
import type { Sql } from '../platform/db/connect.js';
import { durationMs, isDuration } from '../workflows/durations.js';
import { DEFAULT_COHORT_SETTINGS, type CohortSettings } from '../workflows/cohort-messages.js';
import { DEFAULT_SETTINGS, MEETING_LOG_BY, type ProgramSettings } from '../workflows/program-settings.js';
import { canonicalZone, UTC } from '../workflows/local-time.js';
import type { MatchingSettings } from '../workflows/messages.js';

const duration = z.string().refine(isDuration, 'must be an ISO 8601 duration such as P1M, P7D or PT30S');

export const ProgramSettingsSchema = z.object({
  duration: duration.default(DEFAULT_SETTINGS.duration),
  meetingCadence: duration.default(DEFAULT_SETTINGS.meetingCadence),
  meetingReminderBefore: duration.default(DEFAULT_SETTINGS.meetingReminderBefore),
  formReminderAfter: duration.default(DEFAULT_SETTINGS.formReminderAfter),
  formReminders: z.number().int().min(0).max(10).default(DEFAULT_SETTINGS.formReminders),
  managerEndorsement: z.boolean().default(DEFAULT_SETTINGS.managerEndorsement),
  confirmAddress: z.boolean().default(true),
  missedMeetingsBeforeReminder: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(DEFAULT_SETTINGS.missedMeetingsBeforeReminder),
  timeZone: z
    .string()
    .refine((zone) => canonicalZone(zone) === zone, 'must be a time zone such as Europe/Oslo')
    .default(UTC),
  meetingLogBy: z.enum(MEETING_LOG_BY).default('mentee'),
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

/** Whether the mentor form takes offers; a programme takes mentors unless its coordinator says otherwise. */
export function takesMentors(stored: unknown): boolean {
  return (stored as { takesMentors?: unknown } | null | undefined)?.takesMentors !== false;
}

/** The programme's own matching rules and weights (its settings page), the defaults of every matching run. */
export function matchingSettings(stored: unknown): MatchingSettings | undefined {
  const matching = (stored as { matching?: unknown } | null | undefined)?.matching;
  return matching && typeof matching === 'object' ? (matching as MatchingSettings) : undefined;
}

/** Saves the programme's matching rules and weights, already checked by the matching form's schema. */
export async function saveMatchingSettings(sql: Sql, programId: string, matching: MatchingSettings) {
  await sql`
    update programs set settings = settings || ${sql.json({ matching } as never)} where id = ${programId}`;
}

/**
 * Everything the settings page and the API change, by one flat name each (the cohort's timings carry
 * the `cohort` prefix): the page's fields and the API's JSON properties are the same names.
 */
export interface EditableSettings {
  duration: string;
  meetingCadence: string;
  meetingReminderBefore: string;
  formReminderAfter: string;
  formReminders: number;
  missedMeetingsBeforeReminder: number;
  managerEndorsement: boolean;
  /** The applicant confirms their own address through a link before the manager is written to. */
  confirmAddress: boolean;
  takesMentors: boolean;
  /**
   * The email domains participants' and managers' addresses must be at, comma-separated
   * ("example.org, example.com"); empty: any address.
   */
  emailDomains: string;
  retentionDays: number;
  cohortReminderBefore: string;
  cohortHomeworkDueBefore: string;
  cohortFormReminderAfter: string;
  cohortFormReminders: number;
  /** The programme's time zone (IANA, such as Europe/Oslo), in which its dates are shown and meetings kept. */
  timeZone: string;
  /** Who logs each meeting: `mentee`, `mentor` or `both`. */
  meetingLogBy: string;
}
export type SettingName = keyof EditableSettings;

export const DURATION_SETTINGS = [
  'duration',
  'meetingCadence',
  'meetingReminderBefore',
  'formReminderAfter',
  'cohortReminderBefore',
  'cohortHomeworkDueBefore',
  'cohortFormReminderAfter',
] as const satisfies SettingName[];
export const NUMBER_SETTINGS = [
  'formReminders',
  'missedMeetingsBeforeReminder',
  'retentionDays',
  'cohortFormReminders',
] as const satisfies SettingName[];
export const SWITCH_SETTINGS = [
  'managerEndorsement',
  'confirmAddress',
  'takesMentors',
] as const satisfies SettingName[];
export const TEXT_SETTINGS = ['timeZone', 'emailDomains'] as const satisfies SettingName[];
/** Settings that are one of a few values, with those values. */
export const CHOICE_SETTINGS = { meetingLogBy: MEETING_LOG_BY } as const satisfies Partial<
  Record<SettingName, readonly string[]>
>;
export type ChoiceSetting = keyof typeof CHOICE_SETTINGS;

/** A domain as people type it after the @: letters, digits and hyphens in dot-separated labels. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The domains of a comma- or space-separated list, lower case; empty for an empty list. */
export function domainsOf(list: string): string[] {
  return list
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
}

/** Whether an address is at one of the domains (or any address, when there are none). */
export function addressAllowed(address: string, domains: string[]): boolean {
  const domain = address.toLowerCase().split('@').at(-1) ?? '';
  return domains.length === 0 || domains.includes(domain);
}

/** The programme's email domains as stored (a list), or none. */
export function emailDomains(stored: unknown): string[] {
  const list = (stored as { emailDomains?: unknown } | null | undefined)?.emailDomains;
  return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
}

/** The limits a person can set, so a typo (P12Y for P12M) cannot start a relationship that never ends. */
export const DURATION_LIMITS: Record<(typeof DURATION_SETTINGS)[number], [min: string, max: string]> = {
  duration: ['PT10S', 'P5Y'],
  meetingCadence: ['PT1S', 'P6M'],
  meetingReminderBefore: ['PT0S', 'P30D'],
  formReminderAfter: ['PT1S', 'P90D'],
  cohortReminderBefore: ['PT0S', 'P60D'],
  cohortHomeworkDueBefore: ['PT0S', 'P60D'],
  cohortFormReminderAfter: ['PT1S', 'P90D'],
};
export const NUMBER_LIMITS: Record<(typeof NUMBER_SETTINGS)[number], [min: number, max: number]> = {
  formReminders: [0, 10],
  missedMeetingsBeforeReminder: [1, 12],
  retentionDays: [0, 3650],
  cohortFormReminders: [0, 10],
};

/** Durations are compared from one fixed day, so a month counts the same on every comparison. */
const REFERENCE = new Date(Date.UTC(2027, 0, 1));
const ms = (iso: string) => durationMs(iso, REFERENCE);

/** Monthly meetings, as the seeds describe them: a reminder three days before, a week for each form. */
const MONTHLY = {
  meetingCadence: 'P1M',
  meetingReminderBefore: 'P3D',
  formReminderAfter: 'P7D',
  formReminders: 2,
  cohortReminderBefore: 'P7D',
  cohortHomeworkDueBefore: 'P7D',
  cohortFormReminderAfter: 'P7D',
  cohortFormReminders: 1,
} as const;

/** The ready sets of timings: a preset's values replace the timings, the rest stays as it was. */
export const PRESETS = {
  'twelve-months': { duration: 'P12M', ...MONTHLY },
  'twenty-four-months': { duration: 'P24M', ...MONTHLY },
  // A whole relationship in six minutes: to try the product, or to show it to a steering group.
  demo: {
    duration: 'PT6M',
    meetingCadence: 'PT1M',
    meetingReminderBefore: 'PT20S',
    formReminderAfter: 'PT1M',
    formReminders: 1,
    cohortReminderBefore: 'PT20S',
    cohortHomeworkDueBefore: 'PT20S',
    cohortFormReminderAfter: 'PT30S',
    cohortFormReminders: 1,
  },
} as const satisfies Record<string, Partial<EditableSettings>>;
export type PresetId = keyof typeof PRESETS;
export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

/** The programme's settings as the page and the API show them. */
export function editableSettings(stored: unknown, retentionDays: number): EditableSettings {
  const relationship = programSettings(stored);
  const cohort = cohortSettings(stored);
  return {
    duration: relationship.duration,
    meetingCadence: relationship.meetingCadence,
    meetingReminderBefore: relationship.meetingReminderBefore,
    formReminderAfter: relationship.formReminderAfter,
    formReminders: relationship.formReminders,
    missedMeetingsBeforeReminder: relationship.missedMeetingsBeforeReminder,
    managerEndorsement: relationship.managerEndorsement,
    confirmAddress: relationship.confirmAddress !== false,
    takesMentors: takesMentors(stored),
    emailDomains: emailDomains(stored).join(', '),
    retentionDays,
    cohortReminderBefore: cohort.reminderBefore,
    cohortHomeworkDueBefore: cohort.homeworkDueBefore,
    cohortFormReminderAfter: cohort.formReminderAfter,
    cohortFormReminders: cohort.formReminders,
    timeZone: timeZoneOf(stored),
    meetingLogBy: relationship.meetingLogBy ?? 'mentee',
  };
}

/** The programme's time zone as stored, or UTC (the zone of every date before programmes had one). */
export function timeZoneOf(stored: unknown): string {
  const zone = (stored as { timeZone?: unknown } | null | undefined)?.timeZone;
  return (typeof zone === 'string' && canonicalZone(zone)) || UTC;
}

export interface SettingsProblem {
  field: SettingName;
  message: string;
}

/**
 * Checks a complete set of settings against the limits, each problem named by its field in the
 * reader's language (the API's messages are English). Empty when they can be saved.
 */
export function settingsProblems(t: TFunction, s: EditableSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const say = (field: SettingName, key: string, values: Record<string, unknown> = {}) => {
    if (!problems.some((p) => p.field === field))
      problems.push({
        field,
        message: t(`settings.errors.${key}`, { ...values, field: t(`settings.field.${field}`) }),
      });
  };
  for (const field of DURATION_SETTINGS) {
    const value = s[field];
    if (typeof value !== 'string' || !isDuration(value.trim())) {
      say(field, 'duration');
      continue;
    }
    const [min, max] = DURATION_LIMITS[field];
    if (ms(value) < ms(min) || ms(value) > ms(max)) say(field, 'durationRange', { min, max });
  }
  for (const field of NUMBER_SETTINGS) {
    const [min, max] = NUMBER_LIMITS[field];
    const value = s[field];
    if (!Number.isInteger(value) || value < min || value > max) say(field, 'number', { min, max });
  }
  const wrongDomain = domainsOf(s.emailDomains).find((d) => !DOMAIN.test(d));
  if (wrongDomain) say('emailDomains', 'domain', { domain: wrongDomain });
  if (typeof s.timeZone !== 'string' || !canonicalZone(s.timeZone))
    say('timeZone', 'timeZone', { zone: s.timeZone });
  for (const [field, values] of Object.entries(CHOICE_SETTINGS) as [ChoiceSetting, readonly string[]][])
    if (!values.includes(s[field])) say(field, 'choice');
  const valid = (field: SettingName) => !problems.some((p) => p.field === field);
  if (valid('duration') && valid('meetingCadence') && ms(s.meetingCadence) > ms(s.duration))
    say('meetingCadence', 'cadenceLonger');
  if (
    valid('meetingCadence') &&
    valid('meetingReminderBefore') &&
    ms(s.meetingReminderBefore) >= ms(s.meetingCadence)
  )
    say('meetingReminderBefore', 'reminderTooEarly');
  return problems;
}

/** What the settings page sends: text fields, and a box that is sent only when ticked. */
export function settingsFromForm(body: Record<string, unknown>, current: EditableSettings): EditableSettings {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const number = (name: string) => (/^-?\d+$/.test(text(name)) ? Number(text(name)) : Number.NaN);
  const preset = PRESETS[text('preset') as PresetId] as Partial<EditableSettings> | undefined;
  const sent: EditableSettings = { ...current };
  for (const field of DURATION_SETTINGS) sent[field] = text(field).toUpperCase();
  for (const field of NUMBER_SETTINGS) sent[field] = number(field);
  for (const field of SWITCH_SETTINGS) sent[field] = body[field] === 'on';
  for (const field of TEXT_SETTINGS) sent[field] = text(field);
  // A choice not sent (a client that knows no such setting yet) stays as it is.
  for (const field of Object.keys(CHOICE_SETTINGS) as ChoiceSetting[])
    if (typeof body[field] === 'string') sent[field] = text(field);
  return { ...sent, ...preset };
}

/** Saves the settings; relationships and cohorts started from now on pin them, those running keep theirs. */
export async function saveSettings(sql: Sql, programId: string, s: EditableSettings): Promise<void> {
  const [row] = await sql<{ settings: Record<string, unknown> }[]>`
    select settings from programs where id = ${programId}`;
  const settings = {
    ...(row?.settings ?? {}),
    duration: s.duration,
    meetingCadence: s.meetingCadence,
    meetingReminderBefore: s.meetingReminderBefore,
    formReminderAfter: s.formReminderAfter,
    formReminders: s.formReminders,
    missedMeetingsBeforeReminder: s.missedMeetingsBeforeReminder,
    managerEndorsement: s.managerEndorsement,
    confirmAddress: s.confirmAddress,
    takesMentors: s.takesMentors,
    emailDomains: domainsOf(s.emailDomains),
    timeZone: canonicalZone(s.timeZone) ?? UTC,
    meetingLogBy: s.meetingLogBy,
    cohort: {
      reminderBefore: s.cohortReminderBefore,
      homeworkDueBefore: s.cohortHomeworkDueBefore,
      formReminderAfter: s.cohortFormReminderAfter,
      formReminders: s.cohortFormReminders,
    },
  };
  await sql`
    update programs set settings = ${sql.json(settings as never)}, retention_days = ${s.retentionDays}
    where id = ${programId}`;
}
