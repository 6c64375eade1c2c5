/**
 * Wall-clock time in a named time zone (IANA, such as "Europe/Oslo"), for schedules people keep by the
 * clock on their wall: a meeting on Tuesdays at 09:00 stays at 09:00 when daylight-saving time begins
 * or ends. Pure code on `Intl`, which the workflow sandbox provides: safe inside workflows.
 */

/** A moment as a clock in some zone shows it. Months count from 1. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const UTC = 'UTC';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/** The zone's own spelling of a zone typed in any case ("europe/oslo"), or undefined if there is none. */
export function canonicalZone(typed: string): string | undefined {
  const zone = typed.trim();
  if (!zone) return undefined;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    // "Etc/UTC", "GMT" and the like are all UTC, which people know by that name.
    return /^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(canonical) ? UTC : canonical;
  } catch {
    return undefined;
  }
}

/** What a clock in `zone` shows at the instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  const parts = Object.fromEntries(
    formatIn(zone)
      .formatToParts(new Date(ms))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const asUtc = (c: WallClock) => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);

/** How far the zone's clock is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, zone: string): number {
  return asUtc(wallClock(ms, zone)) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a clock in `zone` shows `clock`. A time that the clock skips (the hour lost when summer
 * time begins) is read with the offset before the change, which puts it an hour later on the clock; a
 * time it shows twice (the hour repeated when summer time ends) is the first of the two.
 */
export function fromWallClock(clock: WallClock, zone: string): number {
  const naive = asUtc(clock);
  const before = offsetAt(naive - 86_400_000, zone);
  const first = naive - before;
  if (offsetAt(first, zone) === before) return first;
  const after = offsetAt(naive + 86_400_000, zone);
  const second = naive - after;
  return offsetAt(second, zone) === after ? second : first;
}

/** `clock` moved by whole calendar days and months; the 31st plus one month is the last day of the next. */
export function addToWallClock(clock: WallClock, months: number, days: number): WallClock {
  const monthIndex = clock.month - 1 + months;
  const year = clock.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const moved = new Date(Date.UTC(year, month - 1, Math.min(clock.day, lastDay) + days));
  return {
    ...clock,
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
  };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A day and a time as a form gives them (`2027-03-14T09:00`), read on the clock of `zone`; else undefined. */
export function fromLocalDateTime(text: string, zone: string): number | undefined {
  const at = LOCAL_DATE_TIME.exec(text);
  if (!at) return undefined;
  const [year, month, day, hour, minute] = at.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return fromWallClock({ year, month, day, hour, minute, second: 0 }, zone);
}
