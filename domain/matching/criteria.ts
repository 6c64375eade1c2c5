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

/**
 * Text as the rules compare it: one Unicode form (a unit typed `Café` composed and decomposed is one
 * unit), one case, single spaces.
 */
export const norm = (s: string) => s.toLowerCase().normalize('NFC').trim().replace(/\s+/g, ' ');
const setOf = (list: readonly string[]) => new Set(list.map(norm));

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

function shareAny(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
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

/** What the rules and scores read of one person, normalised once. */
interface Prepared {
  unit?: string;
  location?: string;
  languages: Set<string>;
  interests: Set<string>;
  /** What a mentee wants to learn, or what a mentor offers. */
  topics: Set<string>;
  knows: Set<string>;
  managers: Set<string>;
}

/** The pool prepared once for comparing every pair (a large pool has millions of pairs). */
export class Comparison {
  readonly #pool: Pool;
  readonly #prepared = new Map<Mentee | Mentor, Prepared>();
  readonly #forbidden: Set<string>;
  /** The criteria with a weight above 0, in a fixed order (custom fields by name). */
  readonly #criteria: { criterion: Criterion; weight: number; field?: string }[];
  readonly #scratch: Float64Array;

  constructor(pool: Pool) {
    this.#pool = pool;
    const reportsTo = new Map(Object.entries(pool.org));
    const people = [...pool.mentees, ...pool.mentors];
    for (const p of people) if (p.reportsTo) reportsTo.set(p.id, p.reportsTo);
    for (const p of people)
      this.#prepared.set(p, {
        unit: p.unit === undefined ? undefined : norm(p.unit),
        location: p.location === undefined ? undefined : norm(p.location),
        languages: setOf(p.languages),
        interests: setOf(p.interests),
        topics: setOf('offers' in p ? p.offers : p.wantsToLearn),
        knows: new Set(p.knows),
        managers: managersOf(p.id, reportsTo),
      });
    const { weights } = pool;
    this.#criteria = [
      { criterion: 'learning' as Criterion, weight: weights.learning },
      { criterion: 'interests' as Criterion, weight: weights.interests },
      { criterion: 'nominated' as Criterion, weight: weights.nominated },
      { criterion: 'levelDistance' as Criterion, weight: weights.levelDistance },
      ...Object.entries(weights.custom)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([field, weight]) => ({ criterion: `custom:${field}` as Criterion, weight, field })),
    ].filter((c) => c.weight > 0);
    this.#scratch = new Float64Array(this.#criteria.length);
    this.#forbidden = new Set(pool.forbidden.map(([a, b]) => `${a}\u0000${b}`));
  }

  #of(p: Mentee | Mentor): Prepared {
    const prepared = this.#prepared.get(p);
    if (!prepared) throw new Error(`${p.id} is not in the pool being compared`);
    return prepared;
  }

  /**
   * Whether the pair may be made. With `broken`, every rule it breaks is collected there (for the
   * explanations); without, the first broken rule answers (the solver asks this of every pair).
   */
  #check(mentee: Mentee, mentor: Mentor, broken?: RuleName[]): boolean {
    const { rules } = this.#pool;
    const a = this.#of(mentee);
    const b = this.#of(mentor);
    // Without a list to fill, the first broken rule is the answer.
    if (this.#forbidden.size > 0 && this.#forbidden.has(`${mentee.id}\u0000${mentor.id}`)) {
      if (!broken) return false;
      broken.push('forbidden');
    }
    if (rules.differentUnit && a.unit !== undefined && a.unit === b.unit) {
      if (!broken) return false;
      broken.push('differentUnit');
    }
    if (rules.noReportingLine && (a.managers.has(mentor.id) || b.managers.has(mentee.id))) {
      if (!broken) return false;
      broken.push('noReportingLine');
    }
    if (rules.notCoLocated && a.location !== undefined && a.location === b.location) {
      if (!broken) return false;
      broken.push('notCoLocated');
    }
    const above =
      mentor.level !== undefined && mentee.level !== undefined ? mentor.level - mentee.level : undefined;
    if (
      rules.levelsAbove &&
      above !== undefined &&
      (above < rules.levelsAbove.min || above > rules.levelsAbove.max)
    ) {
      if (!broken) return false;
      broken.push('levelsAbove');
    }
    if (rules.commonLanguage && !shareAny(a.languages, b.languages)) {
      if (!broken) return false;
      broken.push('commonLanguage');
    }
    if (rules.notAcquainted && (a.knows.has(mentor.id) || b.knows.has(mentee.id))) {
      if (!broken) return false;
      broken.push('notAcquainted');
    }
    return !broken || broken.length === 0;
  }

  /** The rules that exclude the pair; empty when the pair may be made. */
  broken(mentee: Mentee, mentor: Mentor): RuleName[] {
    const broken: RuleName[] = [];
    this.#check(mentee, mentor, broken);
    return broken;
  }

  /** Whether the pair may be made. */
  fits(mentee: Mentee, mentor: Mentor): boolean {
    return this.#check(mentee, mentor);
  }

  /** The pair's value (0 to 1) in each weighted criterion, in the order of `#criteria`; reused between calls. */
  #values(mentee: Mentee, mentor: Mentor): Float64Array {
    const { preferredLevelDistance } = this.#pool;
    const a = this.#of(mentee);
    const b = this.#of(mentor);
    const values = this.#scratch;
    this.#criteria.forEach(({ criterion, field }, i) => {
      switch (criterion) {
        case 'learning':
          values[i] = a.topics.size === 0 ? 0 : overlap(a.topics, b.topics) / a.topics.size;
          break;
        case 'interests':
          values[i] = jaccard(a.interests, b.interests);
          break;
        case 'nominated': {
          const rank = mentee.nominated.indexOf(mentor.id);
          values[i] = rank < 0 ? 0 : (mentee.nominated.length - rank) / mentee.nominated.length;
          break;
        }
        case 'levelDistance':
          values[i] =
            mentee.level === undefined || mentor.level === undefined
              ? 0
              : 1 / (1 + Math.abs(mentor.level - mentee.level - preferredLevelDistance));
          break;
        default:
          values[i] = sameProfile(profileField(mentee, field!), profileField(mentor, field!));
      }
    });
    return values;
  }

  /** The pair's score, criterion by criterion (criteria with weight 0 left out). */
  score(mentee: Mentee, mentor: Mentor): ScorePart[] {
    const values = this.#values(mentee, mentor);
    return this.#criteria.map(({ criterion, weight }, i) => ({
      criterion,
      weight,
      value: Math.round(values[i]! * 1000) / 1000,
      points: pointsOf(weight, values[i]!) / 1000,
    }));
  }

  /** The pair's score in thousandths: the same sum as `units(score(…))`, without building the breakdown. */
  units(mentee: Mentee, mentor: Mentor): number {
    const values = this.#values(mentee, mentor);
    let sum = 0;
    for (let i = 0; i < this.#criteria.length; i++) sum += pointsOf(this.#criteria[i]!.weight, values[i]!);
    return sum;
  }
}

/** A criterion's points in thousandths, rounded once, so sums are exact integers. */
const pointsOf = (weight: number, value: number) => Math.round(weight * value * 1000);

type ProfileValue = string | number | string[] | undefined;

/** A person's own profile field, never one an object inherits (a field named `constructor`, say). */
const profileField = (p: Mentee | Mentor, field: string): ProfileValue =>
  Object.hasOwn(p.profile, field) ? p.profile[field] : undefined;

function sameProfile(a: ProfileValue, b: ProfileValue): number {
  if (a === undefined || b === undefined) return 0;
  if (Array.isArray(a) || Array.isArray(b)) {
    const list = (v: string | number | string[]) => (Array.isArray(v) ? v : [String(v)]);
    return jaccard(setOf(list(a)), setOf(list(b)));
  }
  return norm(String(a)) === norm(String(b)) ? 1 : 0;
}

/** A breakdown's score in thousandths, so sums are exact integers and equal scores are exactly equal. */
export const units = (parts: readonly ScorePart[]) =>
  parts.reduce((sum, p) => sum + Math.round(p.points * 1000), 0);
