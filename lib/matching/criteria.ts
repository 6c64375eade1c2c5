/**
 * How one mentee and one mentor compare: the hard rules that exclude the pair (each with the reason a
 * coordinator reads), and the soft criteria that score it, each worth its weight times a value in 0…1.
 */
import type { Mentee, Mentor, Pool } from './pool.js';

export type RuleName =
  | 'differentUnit'
  | 'noReportingLine'
  | 'notCoLocated'
  | 'levelsAbove'
  | 'commonLanguage'
  | 'notAcquainted'
  | 'forbidden';

export type Criterion = 'learning' | 'interests' | 'nominated' | 'levelDistance' | `custom:${string}`;

export interface ScorePart {
  criterion: Criterion;
  weight: number;
  /** How well the pair meets the criterion, 0 to 1. */
  value: number;
  /** weight × value, to three decimals. */
  points: number;
}

const norm = (s: string) => s.trim().toLowerCase();
const setOf = (list: readonly string[]) => new Set(list.map(norm));

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const shared = overlap(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Everyone above a person in the organisation, nearest first; a cycle in the data stops the walk. */
function managersOf(id: string, reportsTo: ReadonlyMap<string, string>): Set<string> {
  const chain = new Set<string>();
  for (let m = reportsTo.get(id); m !== undefined && !chain.has(m) && m !== id; m = reportsTo.get(m))
    chain.add(m);
  return chain;
}

/** The pool prepared once for comparing every pair. */
export class Comparison {
  readonly #pool: Pool;
  readonly #chains = new Map<string, Set<string>>();
  readonly #forbidden: Set<string>;
  readonly #sets = new WeakMap<object, Record<string, Set<string>>>();

  constructor(pool: Pool) {
    this.#pool = pool;
    const reportsTo = new Map(Object.entries(pool.org));
    for (const p of [...pool.mentees, ...pool.mentors]) if (p.reportsTo) reportsTo.set(p.id, p.reportsTo);
    for (const p of [...pool.mentees, ...pool.mentors]) this.#chains.set(p.id, managersOf(p.id, reportsTo));
    this.#forbidden = new Set(pool.forbidden.map(([a, b]) => `${a}\u0000${b}`));
  }

  #setsOf(p: Mentee | Mentor): Record<string, Set<string>> {
    let sets = this.#sets.get(p);
    if (!sets) {
      sets = {
        languages: setOf(p.languages),
        interests: setOf(p.interests),
        topics: setOf('offers' in p ? p.offers : p.wantsToLearn),
      };
      this.#sets.set(p, sets);
    }
    return sets;
  }

  /** The rules that exclude the pair; empty when the pair may be made. */
  broken(mentee: Mentee, mentor: Mentor): RuleName[] {
    const { rules } = this.#pool;
    const broken: RuleName[] = [];
    if (this.#forbidden.has(`${mentee.id}\u0000${mentor.id}`)) broken.push('forbidden');
    if (rules.differentUnit && mentee.unit && mentor.unit && norm(mentee.unit) === norm(mentor.unit))
      broken.push('differentUnit');
    if (
      rules.noReportingLine &&
      (this.#chains.get(mentee.id)!.has(mentor.id) || this.#chains.get(mentor.id)!.has(mentee.id))
    )
      broken.push('noReportingLine');
    if (
      rules.notCoLocated &&
      mentee.location &&
      mentor.location &&
      norm(mentee.location) === norm(mentor.location)
    )
      broken.push('notCoLocated');
    if (rules.levelsAbove && mentee.level !== undefined && mentor.level !== undefined) {
      const above = mentor.level - mentee.level;
      if (above < rules.levelsAbove.min || above > rules.levelsAbove.max) broken.push('levelsAbove');
    }
    if (
      rules.commonLanguage &&
      overlap(this.#setsOf(mentee).languages!, this.#setsOf(mentor).languages!) === 0
    )
      broken.push('commonLanguage');
    if (rules.notAcquainted && (mentee.knows.includes(mentor.id) || mentor.knows.includes(mentee.id)))
      broken.push('notAcquainted');
    return broken;
  }

  /** The pair's score, criterion by criterion (criteria with weight 0 left out). */
  score(mentee: Mentee, mentor: Mentor): ScorePart[] {
    const { weights, preferredLevelDistance } = this.#pool;
    const a = this.#setsOf(mentee);
    const b = this.#setsOf(mentor);
    const parts: [Criterion, number, number][] = [
      [
        'learning',
        weights.learning,
        a.topics!.size === 0 ? 0 : overlap(a.topics!, b.topics!) / a.topics!.size,
      ],
      ['interests', weights.interests, jaccard(a.interests!, b.interests!)],
      [
        'nominated',
        weights.nominated,
        mentee.nominated.includes(mentor.id)
          ? (mentee.nominated.length - mentee.nominated.indexOf(mentor.id)) / mentee.nominated.length
          : 0,
      ],
      [
        'levelDistance',
        weights.levelDistance,
        mentee.level === undefined || mentor.level === undefined
          ? 0
          : 1 / (1 + Math.abs(mentor.level - mentee.level - preferredLevelDistance)),
      ],
    ];
    for (const [field, weight] of Object.entries(weights.custom).sort(([x], [y]) => (x < y ? -1 : 1)))
      parts.push([`custom:${field}`, weight, sameProfile(mentee.profile[field], mentor.profile[field])]);
    return parts
      .filter(([, weight]) => weight > 0)
      .map(([criterion, weight, value]) => ({
        criterion,
        weight,
        value: Math.round(value * 1000) / 1000,
        points: Math.round(weight * value * 1000) / 1000,
      }));
  }
}

type ProfileValue = string | number | string[] | undefined;

function sameProfile(a: ProfileValue, b: ProfileValue): number {
  if (a === undefined || b === undefined) return 0;
  if (Array.isArray(a) || Array.isArray(b)) {
    const list = (v: string | number | string[]) => (Array.isArray(v) ? v : [String(v)]);
    return jaccard(setOf(list(a)), setOf(list(b)));
  }
  return norm(String(a)) === norm(String(b)) ? 1 : 0;
}

/** A score in thousandths, so sums are exact integers and equal scores are exactly equal. */
export const units = (parts: readonly ScorePart[]) =>
  parts.reduce((sum, p) => sum + Math.round(p.points * 1000), 0);
