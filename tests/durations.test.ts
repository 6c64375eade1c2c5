import { describe, expect, it } from 'vitest';
import { addDuration, durationMs, isDuration, parseDuration } from '../workflows/durations.js';

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
});
