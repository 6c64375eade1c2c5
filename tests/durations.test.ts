import { describe, expect, it } from 'vitest';
import { addDuration, durationMs, isDuration, parseDuration } from '../workflows/durations.js';
import { canonicalZone, fromWallClock, wallClock } from '../workflows/local-time.js';

describe('ISO 8601 durations', () => {
  it('parses what programmes write', () => {
    expect(parseDuration('P24M')).toMatchObject({ months: 24 });
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7.5,
    });
    for (const bad of ['', 'P', 'PT', '24M', 'P1MT', 'P-1D', 'PT1.5M'])
      expect(isDuration(bad), bad).toBe(false);
  });

  it('adds months on the calendar, clamping to the month end', () => {
    expect(addDuration(new Date('2027-01-31T09:00:00Z'), 'P1M').toISOString()).toBe(
      '2027-02-28T09:00:00.000Z',
    );
    expect(addDuration(new Date('2027-01-15T09:00:00Z'), 'P1M', 12).toISOString()).toBe(
      '2028-01-15T09:00:00.000Z',
    );
    expect(addDuration(new Date('2027-03-01T00:00:00Z'), 'P1DT2H').toISOString()).toBe(
      '2027-03-02T02:00:00.000Z',
    );
    expect(durationMs('PT2S', new Date())).toBe(2000);
    expect(durationMs('P1M', new Date('2027-02-01T00:00:00Z'))).toBe(28 * 86_400_000);
  });

  it('counts days and months on the clock of a named zone, keeping the local hour across summer time', () => {
    // Tuesday 19 October 2027, 09:00 in Oslo (summer time, UTC+2); summer time ends on 31 October.
    const tuesday = new Date('2027-10-19T07:00:00Z');
    const fortnights = [1, 2, 3].map((n) => addDuration(tuesday, 'P2W', n, 'Europe/Oslo').toISOString());
    expect(fortnights).toEqual([
      '2027-11-02T08:00:00.000Z',
      '2027-11-16T08:00:00.000Z',
      '2027-11-30T08:00:00.000Z',
    ]);
    for (const at of fortnights)
      expect(wallClock(Date.parse(at), 'Europe/Oslo')).toMatchObject({ hour: 9, minute: 0 });
    // And back into summer time in spring, monthly; UTC keeps counting in UTC.
    expect(addDuration(new Date('2028-03-15T08:00:00Z'), 'P1M', 1, 'Europe/Oslo').toISOString()).toBe(
      '2028-04-15T07:00:00.000Z',
    );
    expect(addDuration(new Date('2028-03-15T08:00:00Z'), 'P1M').toISOString()).toBe(
      '2028-04-15T08:00:00.000Z',
    );
    // Elapsed time stays elapsed: twelve hours across the change are twelve hours.
    expect(addDuration(new Date('2027-10-30T20:00:00Z'), 'PT12H', 1, 'Europe/Oslo').toISOString()).toBe(
      '2027-10-31T08:00:00.000Z',
    );
  });

  it('reads a wall-clock time in a zone, including the hours summer time skips or repeats', () => {
    const clock = { year: 2027, month: 3, day: 28, hour: 2, minute: 30, second: 0 };
    // 02:30 does not exist in Oslo that night: it is read as 03:30 summer time.
    expect(new Date(fromWallClock(clock, 'Europe/Oslo')).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 02:30 on 31 October 2027 happens twice: the first.
    expect(new Date(fromWallClock({ ...clock, month: 10, day: 31 }, 'Europe/Oslo')).toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    );
    expect(
      new Date(fromWallClock({ ...clock, month: 1, day: 12, hour: 9 }, 'America/New_York')).toISOString(),
    ).toBe('2027-01-12T14:30:00.000Z');
    expect(canonicalZone('europe/oslo')).toBe('Europe/Oslo');
    expect(canonicalZone('Etc/UTC')).toBe('UTC');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalZone(' ')).toBeUndefined();
  });
});
