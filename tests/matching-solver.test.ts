/**
 * The matching solver against exhaustive search on many small random pools (the same optimum), each
 * hard rule, capacities, locked and forbidden pairs, determinism, and the why-not explanations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Comparison, units } from '../domain/matching/criteria.js';
import { Pool, type PoolInput } from '../domain/matching/pool.js';
import { propose } from '../domain/matching/propose.js';

const UNITS = ['Finance', 'IT', 'Sales'];
const LANGS = ['en', 'nb', 'da'];
const TOPICS = ['budgets', 'leadership', 'negotiation', 'strategy', 'coaching'];

/** A small pool: up to 6 mentees, 4 mentors with capacities 0–2, rules and weights drawn at random. */
const smallPool = fc
  .record({
    mentees: fc.array(
      fc.record({
        unit: fc.constantFrom(...UNITS),
        level: fc.integer({ min: 1, max: 3 }),
        languages: fc.subarray(LANGS, { minLength: 1 }),
        wantsToLearn: fc.subarray(TOPICS),
        interests: fc.subarray(TOPICS),
        nominate: fc.array(fc.nat(3), { maxLength: 2 }),
        know: fc.array(fc.nat(3), { maxLength: 1 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    mentors: fc.array(
      fc.record({
        unit: fc.constantFrom(...UNITS),
        level: fc.integer({ min: 1, max: 5 }),
        languages: fc.subarray(LANGS, { minLength: 1 }),
        offers: fc.subarray(TOPICS),
        interests: fc.subarray(TOPICS),
        capacity: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    differentUnit: fc.boolean(),
    commonLanguage: fc.boolean(),
    levels: fc.boolean(),
    weights: fc.record({
      learning: fc.integer({ min: 0, max: 5 }),
      interests: fc.integer({ min: 0, max: 5 }),
      nominated: fc.integer({ min: 0, max: 5 }),
      levelDistance: fc.integer({ min: 0, max: 5 }),
    }),
    objective: fc.constantFrom('best-total' as const, 'most-matched' as const),
  })
  .map((p): PoolInput => ({
    mentees: p.mentees.map((m, i) => ({
      id: `e${i}`,
      unit: m.unit,
      level: m.level,
      languages: m.languages,
      wantsToLearn: m.wantsToLearn,
      interests: m.interests,
      nominated: [...new Set(m.nominate.filter((k) => k < p.mentors.length).map((k) => `m${k}`))],
      knows: m.know.filter((k) => k < p.mentors.length).map((k) => `m${k}`),
    })),
    mentors: p.mentors.map((m, i) => ({ id: `m${i}`, ...m })),
    rules: {
      differentUnit: p.differentUnit,
      commonLanguage: p.commonLanguage,
      levelsAbove: p.levels ? { min: 1, max: 2 } : null,
    },
    weights: p.weights,
    objective: p.objective,
  }));

/** The best (score, matched) over every possible assignment, by brute force. */
function exhaustive(input: PoolInput): { score: number; matched: number } {
  const pool = Pool.parse(input);
  const compare = new Comparison(pool);
  const value = pool.mentees.map((e) =>
    pool.mentors.map((m) => (compare.broken(e, m).length ? undefined : units(compare.score(e, m)))),
  );
  const left = pool.mentors.map((m) => m.capacity);
  let best = { score: -1, matched: -1 };
  const better = (a: typeof best, b: typeof best) =>
    pool.objective === 'best-total'
      ? a.score > b.score || (a.score === b.score && a.matched > b.matched)
      : a.matched > b.matched || (a.matched === b.matched && a.score > b.score);
  const walk = (i: number, score: number, matched: number) => {
    if (i === pool.mentees.length) {
      if (better({ score, matched }, best)) best = { score, matched };
      return;
    }
    walk(i + 1, score, matched);
    value[i]!.forEach((v, j) => {
      if (v === undefined || left[j] === 0) return;
      left[j]!--;
      walk(i + 1, score + v, matched + 1);
      left[j]!++;
    });
  };
  walk(0, 0, 0);
  return best;
}

const people = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('matching solver', () => {
  it('finds the same optimum as exhaustive search, within the rules and capacities', () => {
    fc.assert(
      fc.property(smallPool, (input) => {
        const proposal = propose(input);
        const best = exhaustive(input);
        expect(Math.round(proposal.totalScore * 1000)).toBe(best.score);
        expect(proposal.matched).toBe(best.matched);
        const pool = Pool.parse(input);
        const compare = new Comparison(pool);
        const used = new Map<string, number>();
        for (const pair of proposal.pairs) {
          const mentee = pool.mentees.find((m) => m.id === pair.mentee)!;
          const mentor = pool.mentors.find((m) => m.id === pair.mentor)!;
          expect(compare.broken(mentee, mentor)).toEqual([]);
          used.set(mentor.id, (used.get(mentor.id) ?? 0) + 1);
        }
        for (const mentor of pool.mentors)
          expect(used.get(mentor.id) ?? 0).toBeLessThanOrEqual(mentor.capacity);
        expect(new Set(proposal.pairs.map((p) => p.mentee)).size).toBe(proposal.pairs.length);
        expect(proposal.pairs.length + proposal.unmatched.length).toBe(pool.mentees.length);
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it('gives the same proposal for the same pool in any order', () => {
    fc.assert(
      fc.property(smallPool, fc.nat(), (input, shift) => {
        const rotate = <T>(list: T[]) => list.map((_, i) => list[(i + shift) % list.length]!);
        const again = {
          ...input,
          mentees: rotate([...input.mentees]).reverse(),
          mentors: rotate([...input.mentors]),
        };
        expect(propose(again)).toEqual(propose(input));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('keeps each hard rule, and says which rules left a mentee without a mentor', () => {
    const base = { level: 2, languages: ['en'] };
    const mentee = { id: 'ann', unit: 'Finance', location: 'Oslo', reportsTo: 'boss', ...base };
    const mentor = (id: string, extra: object) => ({
      id,
      unit: 'IT',
      location: 'Bergen',
      level: 3,
      languages: ['en'],
      ...extra,
    });
    const pool: PoolInput = {
      mentees: [{ ...mentee, knows: ['known'] }],
      mentors: [
        mentor('same-unit', { unit: 'finance' }),
        mentor('manager', { id: 'boss' }),
        mentor('grand-manager', { id: 'big-boss' }),
        mentor('same-site', { location: 'Oslo' }),
        mentor('too-senior', { level: 5 }),
        mentor('same-level', { level: 2 }),
        mentor('danish', { languages: ['da'] }),
        mentor('known', {}),
      ],
      org: { boss: 'big-boss' },
      rules: { notCoLocated: true },
    };
    const proposal = propose(pool);
    expect(proposal.pairs).toEqual([]);
    const [why] = proposal.unmatched;
    expect(why!.reason).toBe('no-mentor-fits');
    expect(why!.excludedBy).toEqual({
      differentUnit: ['same-unit'],
      noReportingLine: ['big-boss', 'boss'],
      notCoLocated: ['same-site'],
      levelsAbove: ['same-level', 'too-senior'],
      commonLanguage: ['danish'],
      notAcquainted: ['known'],
    });
    expect(why!.explanation).toContain('1 without a common language (danish)');
    expect(why!.explanation).toContain('2 in the reporting line (big-boss, boss)');

    // Switching a rule off lets its mentor in; a forbidden pair stays out whatever the rules say.
    const relaxed = propose({ ...pool, rules: { notCoLocated: false } });
    expect(relaxed.pairs.map((p) => p.mentor)).toEqual(['same-site']);
    const forbidden = propose({ ...pool, rules: { notCoLocated: false }, forbidden: [['ann', 'same-site']] });
    expect(forbidden.unmatched[0]!.excludedBy.forbidden).toEqual(['same-site']);
  });

  it('fills each mentor up to capacity, says who is left because the places are taken, and honours a locked pair', () => {
    const pool: PoolInput = {
      mentees: people(3, (i) => ({
        id: `e${i}`,
        unit: 'A',
        level: 1,
        languages: ['en'],
        wantsToLearn: ['budgets'],
      })),
      mentors: [
        { id: 'm-two', unit: 'B', level: 2, languages: ['en'], capacity: 2, offers: ['budgets'] },
        { id: 'm-none', unit: 'B', level: 2, languages: ['en'], capacity: 0 },
        { id: 'm-far', unit: 'A', level: 2, languages: ['en'], capacity: 3 },
      ],
    };
    const proposal = propose(pool);
    expect(proposal.pairs.map((p) => p.mentor)).toEqual(['m-two', 'm-two']);
    expect(proposal.unmatched).toHaveLength(1);
    expect(proposal.unmatched[0]).toMatchObject({ reason: 'mentors-full', fullMentors: ['m-none', 'm-two'] });
    expect(proposal.pairs[0]!.breakdown.find((b) => b.criterion === 'learning')).toEqual({
      criterion: 'learning',
      weight: 3,
      value: 1,
      points: 3,
    });

    const locked = propose({ ...pool, locked: [['e2', 'm-far']] });
    expect(locked.pairs.find((p) => p.mentee === 'e2')).toMatchObject({
      mentor: 'm-far',
      locked: true,
      broken: ['differentUnit'],
    });
    expect(locked.matched).toBe(3);
  });

  it('prefers more people matched when the programme asks for it', () => {
    // Ann fits both mentors and scores high with the first; Bo fits only the first.
    const pool: PoolInput = {
      mentees: [
        { id: 'ann', languages: ['en'], wantsToLearn: ['budgets'] },
        { id: 'bo', languages: ['en'] },
      ],
      mentors: [
        { id: 'm1', languages: ['en'], offers: ['budgets'] },
        { id: 'm2', languages: ['nb', 'en'] },
      ],
      rules: { levelsAbove: null },
      weights: { learning: 5, interests: 0, nominated: 0, levelDistance: 0 },
      forbidden: [['bo', 'm2']],
    };
    expect(propose(pool).pairs.map((p) => `${p.mentee}-${p.mentor}`)).toEqual(
      ['ann-m1', 'bo-m1'].slice(0, 1).concat([]),
    );
    const most = propose({ ...pool, objective: 'most-matched' });
    expect(most.pairs.map((p) => `${p.mentee}-${p.mentor}`)).toEqual(['ann-m2', 'bo-m1']);
    expect(most.totalScore).toBe(0);
  });
});
