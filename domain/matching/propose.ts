/**
 * A matching proposal for a whole pool: the assignment with the best objective over everyone at once
 * (not greedy), every pair's score broken down, and for each mentee left without a mentor the rules
 * and capacities that left them so. The same pool always gives the same proposal: people are sorted by
 * id before solving, so neither the order of the input nor anything else changes the result.
 */
import { assignRows } from './assignment.js';
import { Comparison, units, type RuleName, type ScorePart } from './criteria.js';
import { Pool, type Mentee, type Mentor, type PoolInput } from './pool.js';

export interface ProposedPair {
  mentee: string;
  mentor: string;
  score: number;
  breakdown: ScorePart[];
  /** Made because the coordinator locked it; `broken` then names any rule it breaks. */
  locked?: true;
  broken?: RuleName[];
}

export interface Unmatched {
  mentee: string;
  /** `no-mentor-fits`: every mentor breaks a rule; `mentors-full`: those who fit have no place left. */
  reason: 'no-mentor-fits' | 'mentors-full';
  /** For each rule, the mentors it excluded (ids, sorted). */
  excludedBy: Partial<Record<RuleName, string[]>>;
  /** The mentors who fit but have no place for this mentee (ids, sorted): taken by others, or none at all. */
  fullMentors: string[];
  /** Those of `fullMentors` who had no place to give in this pool (capacity 0), not places taken by others. */
  noPlaces: string[];
  /** The same in a sentence for the coordinator. */
  explanation: string;
}

export interface Proposal {
  objective: Pool['objective'];
  pairs: ProposedPair[];
  unmatched: Unmatched[];
  totalScore: number;
  matched: number;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const RULE_TEXT: Record<RuleName, string> = {
  differentUnit: 'in the same unit',
  noReportingLine: 'in the reporting line',
  notCoLocated: 'at the same location',
  levelsAbove: 'not the right number of levels above',
  commonLanguage: 'without a common language',
  notAcquainted: 'already acquainted',
  forbidden: 'excluded by the coordinator',
};

export function propose(input: PoolInput | Pool): Proposal {
  const pool = Pool.parse(input);
  const compare = new Comparison(pool);
  const mentees = [...pool.mentees].sort(byId);
  const mentors = [...pool.mentors].sort(byId);
  const mentorById = new Map(mentors.map((m) => [m.id, m]));
  const capacity = new Map(mentors.map((m) => [m.id, m.capacity]));
  const pairs: ProposedPair[] = [];

  // The coordinator's locked pairs come first and use up places; the solver places everyone else. The
  // pool's checks have made sure each names a mentee and a mentor, each mentee once, within capacity.
  const menteeById = new Map(mentees.map((m) => [m.id, m]));
  const lockedMentee = new Set<string>();
  for (const [menteeId, mentorId] of [...pool.locked].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const mentee = menteeById.get(menteeId)!;
    const mentor = mentorById.get(mentorId)!;
    lockedMentee.add(menteeId);
    capacity.set(mentorId, capacity.get(mentorId)! - 1);
    const breakdown = compare.score(mentee, mentor);
    const broken = compare.broken(mentee, mentor);
    pairs.push({
      mentee: menteeId,
      mentor: mentorId,
      score: units(breakdown) / 1000,
      breakdown,
      locked: true,
      ...(broken.length ? { broken } : {}),
    });
  }
  const open = mentees.filter((m) => !lockedMentee.has(m.id));
  const problem = assignmentProblem(pool, compare, open, mentors, capacity);
  const { rows, slots } = problem;
  const assigned = rows ? assignRows(problem.cost, rows, problem.columns) : new Int32Array();

  const unmatched: Unmatched[] = [];
  open.forEach((mentee, r) => {
    const k = assigned[r]!;
    if (k < slots.length) {
      const mentor = slots[k]!;
      const breakdown = compare.score(mentee, mentor);
      pairs.push({ mentee: mentee.id, mentor: mentor.id, score: units(breakdown) / 1000, breakdown });
    } else unmatched.push(whyNot(mentee, mentors, compare));
  });
  pairs.sort((a, b) => (a.mentee < b.mentee ? -1 : 1));
  return {
    objective: pool.objective,
    pairs,
    unmatched,
    totalScore: pairs.reduce((sum, p) => sum + units(p.breakdown), 0) / 1000,
    matched: pairs.length,
  };
}

export interface AssignmentProblem {
  rows: number;
  columns: number;
  /** Row-major costs: minus the pair's value, Infinity where a rule forbids the pair. */
  cost: Float64Array;
  /** The mentor behind each of the first columns (one per place); the last `rows` columns mean "no mentor". */
  slots: Mentor[];
  /** The pair's score in thousandths, by row and mentor index (0 where a rule forbids it). */
  scores: Float64Array[];
  /** Whether a pair may be made (1) or a rule forbids it (0), by row and mentor index. */
  fits: Uint8Array[];
}

/**
 * The proposal as an assignment problem: one row per mentee, one column per place a mentor offers, then
 * one "no mentor" column per mentee. Exported for the benchmark, which hands the same matrix to others.
 * Rows are typed arrays: a 10,000 × 10,000 pool has 100 million pairs, which as arrays of JavaScript
 * values would fill most of the heap.
 */
export function assignmentProblem(
  pool: Pool,
  compare: Comparison,
  open: Mentee[],
  mentors: Mentor[],
  capacity: ReadonlyMap<string, number>,
): AssignmentProblem {
  // One column per place a mentor offers, then one "no mentor" column per mentee.
  const slotMentor = mentors.flatMap((m, c) => Array<number>(capacity.get(m.id)!).fill(c));
  const slots = slotMentor.map((c) => mentors[c]!);
  const rows = open.length;
  const columns = slots.length + rows;
  const fits = open.map((mentee) =>
    Uint8Array.from(mentors, (mentor) => (compare.fits(mentee, mentor) ? 1 : 0)),
  );
  const scores = open.map((mentee, r) =>
    Float64Array.from(mentors, (mentor, c) => (fits[r]![c] ? compare.units(mentee, mentor) : 0)),
  );
  let best = 0;
  for (const row of scores) for (const score of row) if (score > best) best = score;
  // Objectives as one number per pair: the score ranks first and each match breaks ties ("best total"),
  // or each match outweighs any score difference ("most matched").
  const valueOf =
    pool.objective === 'best-total'
      ? (score: number) => score * (rows + 1) + 1
      : (score: number) => score + best * rows + 1;
  const cost = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < slots.length; k++) {
      const c = slotMentor[k]!;
      cost[r * columns + k] = fits[r]![c] ? -valueOf(scores[r]![c]!) : Infinity;
    }
  return { rows, columns, cost, slots, scores, fits };
}

/** Ids for a sentence: all of a few, the first ten of many (the lists in full are beside it). */
function named(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).join(', ');
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}

function whyNot(mentee: Mentee, mentors: Mentor[], compare: Comparison): Unmatched {
  const excludedBy: Partial<Record<RuleName, string[]>> = {};
  const fullMentors: string[] = [];
  const noPlaces: string[] = [];
  for (const mentor of mentors) {
    const broken = compare.broken(mentee, mentor);
    for (const rule of broken) (excludedBy[rule] ??= []).push(mentor.id);
    if (broken.length > 0) continue;
    fullMentors.push(mentor.id);
    if (mentor.capacity === 0) noPlaces.push(mentor.id);
  }
  const ruled = (Object.entries(excludedBy) as [RuleName, string[]][])
    .sort(([, a], [, b]) => b.length - a.length)
    .map(([rule, ids]) => `${ids.length} ${RULE_TEXT[rule]} (${named(ids)})`);
  // A mentor of capacity 0 gave no places to anyone: say so, rather than that others took them.
  const none = new Set(noPlaces);
  const taken = fullMentors.filter((id) => !none.has(id));
  const why = [
    ...(taken.length === 1 ? [`${taken[0]}'s places went to other mentees`] : []),
    ...(taken.length > 1 ? [`the places of ${named(taken)} went to other mentees`] : []),
    ...(noPlaces.length
      ? [`${named(noPlaces)} ${noPlaces.length === 1 ? 'has' : 'have'} no places (capacity 0)`]
      : []),
  ];
  const explanation =
    fullMentors.length === 0
      ? mentors.length === 0
        ? 'No mentor is in the pool.'
        : `No mentor fits: ${ruled.join('; ')}.`
      : `The ${fullMentors.length} mentor(s) who fit have no place left: ${why.join('; ')}.` +
        (ruled.length ? ` The others: ${ruled.join('; ')}.` : '');
  return {
    mentee: mentee.id,
    reason: fullMentors.length === 0 ? 'no-mentor-fits' : 'mentors-full',
    excludedBy,
    fullMentors,
    noPlaces,
    explanation,
  };
}
