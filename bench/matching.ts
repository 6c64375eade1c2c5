/**
 * Matching benchmark: this project's solver against a greedy baseline and two published npm assignment
 * packages (linear-sum-assignment, munkres) on the same random pools in the same run: time and total
 * score. Run alone with `npm run bench:matching`; `npm run bench` includes it.
 */
import { linearSumAssignment } from 'linear-sum-assignment';
import { munkres } from 'munkres';
import { assignRows } from '../domain/matching/assignment.js';
import { Comparison } from '../domain/matching/criteria.js';
import { Pool, type PoolInput } from '../domain/matching/pool.js';
import { assignmentProblem, propose, type AssignmentProblem } from '../domain/matching/propose.js';

/** A seeded generator, so every run measures the same pools. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = Array.from({ length: 30 }, (_, i) => `topic-${i}`);
const LANGS = ['en', 'nb', 'da', 'sv', 'nl'];

export function randomPool(mentees: number, mentors: number, maxCapacity: number, seed: number): PoolInput {
  const r = random(seed);
  const pick = <T>(list: T[], n: number) => [
    ...new Set(Array.from({ length: n }, () => list[Math.floor(r() * list.length)]!)),
  ];
  const person = (prefix: string, i: number) => ({
    id: `${prefix}${String(i).padStart(5, '0')}`,
    unit: `unit-${Math.floor(r() * 20)}`,
    location: `site-${Math.floor(r() * 10)}`,
    languages: pick(LANGS, 1 + Math.floor(r() * 2)),
    interests: pick(TOPICS, 1 + Math.floor(r() * 3)),
  });
  return {
    mentees: Array.from({ length: mentees }, (_, i) => ({
      ...person('e', i),
      level: 1 + Math.floor(r() * 3),
      wantsToLearn: pick(TOPICS, 1 + Math.floor(r() * 4)),
      nominated: r() < 0.3 ? [`m${String(Math.floor(r() * mentors)).padStart(5, '0')}`] : [],
    })),
    mentors: Array.from({ length: mentors }, (_, i) => ({
      ...person('m', i),
      level: 2 + Math.floor(r() * 4),
      offers: pick(TOPICS, 2 + Math.floor(r() * 5)),
      capacity: 1 + Math.floor(r() * maxCapacity),
    })),
    rules: { levelsAbove: { min: 1, max: 3 } },
  };
}

/** The score (thousandths) and number of pairs of a column choice per row. */
function outcome(problem: AssignmentProblem, columnOf: ArrayLike<number>, mentorIndex: Map<object, number>) {
  let score = 0;
  let matched = 0;
  for (let r = 0; r < problem.rows; r++) {
    const k = columnOf[r]!;
    if (k < 0 || k >= problem.slots.length) continue;
    const c = mentorIndex.get(problem.slots[k]!)!;
    if (!problem.fits[r]![c]) throw new Error(`a solver made a forbidden pair (row ${r})`);
    score += problem.scores[r]![c]!;
    matched++;
  }
  return { score: score / 1000, matched };
}

/** Highest value first, each mentee the first mentor with a place left. */
function greedy(problem: AssignmentProblem): Int32Array {
  const { rows, columns, cost, slots } = problem;
  const candidates: [number, number, number][] = [];
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < slots.length; k++)
      if (cost[r * columns + k]! < 0) candidates.push([cost[r * columns + k]!, r, k]);
  candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const columnOf = new Int32Array(rows).fill(-1);
  const taken = new Uint8Array(columns);
  for (const [, r, k] of candidates)
    if (columnOf[r] === -1 && !taken[k]) {
      columnOf[r] = k;
      taken[k] = 1;
    }
  return columnOf;
}

/** A plain matrix for the packages, with a large finite cost where a rule forbids the pair. */
function plainMatrix({ rows, columns, cost }: AssignmentProblem): number[][] {
  const forbidden = 1e12;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, k) => {
      const c = cost[r * columns + k]!;
      return Number.isFinite(c) ? c : forbidden;
    }),
  );
}

function timed<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

export interface MatchingRow {
  instance: string;
  solver: string;
  ms: number | undefined;
  score: number | undefined;
  matched: number | undefined;
}

const INSTANCES = [
  { name: '100 × 100', mentees: 100, mentors: 100, capacity: 1 },
  { name: '1,000 × 1,000', mentees: 1000, mentors: 1000, capacity: 1 },
  { name: '2,000 × 500 (capacity 1–6)', mentees: 2000, mentors: 500, capacity: 6 },
];

/** Munkres is O(n³) with a large constant; beyond this many cells it would run for minutes. */
const MUNKRES_MAX_CELLS = 500_000;

export function benchMatching(log: (line: string) => void = () => {}): MatchingRow[] {
  const rows: MatchingRow[] = [];
  for (const instance of INSTANCES) {
    const input = randomPool(instance.mentees, instance.mentors, instance.capacity, 2026);
    const pool = Pool.parse(input);
    const mentors = [...pool.mentors].sort((a, b) => (a.id < b.id ? -1 : 1));
    const mentees = [...pool.mentees].sort((a, b) => (a.id < b.id ? -1 : 1));
    const problem = assignmentProblem(
      pool,
      new Comparison(pool),
      mentees,
      mentors,
      new Map(mentors.map((m) => [m.id, m.capacity])),
    );
    const mentorIndex = new Map<object, number>(mentors.map((m, i) => [m, i]));
    const add = (solver: string, ms: number | undefined, result?: { score: number; matched: number }) => {
      rows.push({ instance: instance.name, solver, ms, score: result?.score, matched: result?.matched });
      log(`${instance.name} ${solver}: ${ms === undefined ? 'skipped' : `${ms.toFixed(0)} ms`}`);
    };

    const whole = timed(() => propose(pool));
    add('this project: whole proposal (scores, solve, explanations)', whole.ms, {
      score: whole.result.totalScore,
      matched: whole.result.matched,
    });
    const ours = timed(() => assignRows(problem.cost, problem.rows, problem.columns));
    add('this project: solver on the matrix', ours.ms, outcome(problem, ours.result, mentorIndex));
    const g = timed(() => greedy(problem));
    add('greedy baseline', g.ms, outcome(problem, g.result, mentorIndex));
    const matrix = plainMatrix(problem);
    const lsa = timed(() => linearSumAssignment(matrix, { maximaze: false }));
    add('linear-sum-assignment 1.0.9', lsa.ms, outcome(problem, lsa.result.rowAssignments, mentorIndex));
    if (problem.rows * problem.columns <= MUNKRES_MAX_CELLS) {
      const mk = timed(() => munkres(matrix));
      const columnOf = new Int32Array(problem.rows).fill(-1);
      for (const [r, k] of mk.result) columnOf[r] = k;
      add('munkres 2.0.4', mk.ms, outcome(problem, columnOf, mentorIndex));
    } else add('munkres 2.0.4', undefined);
  }
  return rows;
}

export function matchingTable(rows: MatchingRow[]): string {
  const lines = ['| pool | solver | time (ms) | total score | matched |', '|---|---|---:|---:|---:|'];
  for (const r of rows)
    lines.push(
      `| ${r.instance} | ${r.solver} | ${r.ms === undefined ? `skipped (over ${MUNKRES_MAX_CELLS.toLocaleString('en')} cells)` : r.ms.toFixed(0)} | ${r.score?.toFixed(3) ?? '–'} | ${r.matched ?? '–'} |`,
    );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${matchingTable(benchMatching((line) => process.stderr.write(`${line}\n`)))}\n`);
}
