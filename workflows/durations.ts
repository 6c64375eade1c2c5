/**
 * ISO 8601 durations ("P24M", "P1M", "P7D", "PT30S") as programmes state them. Months and years are
 * calendar units, so they are added to a date rather than turned into a fixed number of milliseconds;
 * that keeps a monthly meeting on the same day of the month. Pure code: safe inside workflows.
 */
import { addToWallClock, fromWallClock, UTC, wallClock } from './local-time.js';

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(iso: string): DurationParts {
  const m = PATTERN.exec(iso);
  if (!m) throw new Error(`not an ISO 8601 duration: ${iso}`);
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function isDuration(iso: string): boolean {
  return PATTERN.test(iso);
}

/**
 * The instant `iso` after `from`; the 31st plus one month lands on the last day of the next month.
 * Years, months, weeks and days are counted on the clock of `zone` (UTC unless named), so a meeting a
 * month or a fortnight on keeps its local hour across a daylight-saving change; hours, minutes and
 * seconds are elapsed time.
 */
export function addDuration(from: Date, iso: string, times = 1, zone: string = UTC): Date {
  const d = parseDuration(iso);
  const totalMonths = (d.years * 12 + d.months) * times;
  const totalDays = (d.weeks * 7 + d.days) * times;
  const elapsed = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000 * times;
  if (zone !== UTC && (totalMonths || totalDays)) {
    const moved = fromWallClock(
      addToWallClock(wallClock(from.getTime(), zone), totalMonths, totalDays),
      zone,
    );
    // The clock keeps whole seconds: the milliseconds of `from` come along.
    return new Date(moved + (from.getTime() % 1000) + elapsed);
  }
  const date = new Date(from.getTime());
  if (totalMonths) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + totalMonths);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(date.getTime() + totalDays * 86_400_000 + elapsed);
}

/** How long `iso` lasts when it starts at `from` (months vary in length). */
export function durationMs(iso: string, from: Date): number {
  return addDuration(from, iso).getTime() - from.getTime();
}

/** Whether duration `a` is no longer than `b`, measured from one fixed day (a month is then 31 days). */
export function notLongerThan(a: string, b: string): boolean {
  const from = new Date(Date.UTC(2001, 0, 1));
  return durationMs(a, from) <= durationMs(b, from);
}
