/**
 * What matching reads: the mentees and mentors of a round, the programme's hard rules and weights.
 * The same shape comes from the command line (`npm run match -- pool.json`) and from a programme round,
 * and is stored with every proposal so the proposal can be recomputed exactly. Every object refuses keys
 * it does not know, and the whole pool is checked for what the shapes alone cannot see (pool-checks.ts).
 */
import { z } from 'zod';
import { checkPool } from './pool-checks.js';
import { strictObject } from './strict.js';

const topics = z.array(z.string().trim().min(1).max(200)).max(200).default([]);
/** Ids in one Unicode form, so `José` typed composed or decomposed is one person. */
const id = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .transform((s) => s.normalize('NFC'));

const person = {
  id,
  /** Shown to the coordinator only; never needed for matching. */
  name: z.string().max(200).optional(),
  unit: z.string().max(200).optional(),
  location: z.string().max(200).optional(),
  /** Hierarchy level, higher is more senior (1 employee … 5 executive). */
  level: z.number().int().min(0).max(100).optional(),
  languages: topics,
  interests: topics,
  /** The person's manager, by id; with `org`, gives the reporting line. */
  reportsTo: id.optional(),
  /** Colleagues (by id) this person knows well or works with regularly. */
  knows: z.array(id).max(500).default([]),
  /** Further profile fields that custom weights can compare. */
  profile: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).default({}),
};

export const Mentee = strictObject({
  ...person,
  wantsToLearn: topics,
  /** Mentors the mentee would like, by id, most wanted first (seed 003). */
  nominated: z.array(id).max(20).default([]),
});
export type Mentee = z.infer<typeof Mentee>;

export const Mentor = strictObject({
  ...person,
  offers: topics,
  capacity: z.number().int().min(0).max(50).default(1),
});
export type Mentor = z.infer<typeof Mentor>;

/** The hard rules, each on or off per programme: who may never be paired with whom. */
export const Rules = strictObject({
  differentUnit: z.boolean().default(true),
  noReportingLine: z.boolean().default(true),
  notCoLocated: z.boolean().default(false),
  /** The mentor sits `min` to `max` levels above the mentee; null switches the rule off. */
  levelsAbove: strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
    .refine((r) => r.min <= r.max, 'levelsAbove.min must not exceed levelsAbove.max')
    .nullable()
    .default({ min: 1, max: 2 }),
  commonLanguage: z.boolean().default(true),
  notAcquainted: z.boolean().default(true),
});
export type Rules = z.infer<typeof Rules>;

export const Weights = strictObject({
  /** How much of what the mentee wants to learn the mentor offers. */
  learning: z.number().min(0).max(100).default(3),
  interests: z.number().min(0).max(100).default(1),
  /** The mentee named this mentor (first choice counts most). */
  nominated: z.number().min(0).max(100).default(2),
  /** Closeness to the preferred level distance. */
  levelDistance: z.number().min(0).max(100).default(1),
  /** Profile fields compared by equality (or overlap, for lists), by field name. */
  custom: z.record(z.string(), z.number().min(0).max(100)).default({}),
});
export type Weights = z.infer<typeof Weights>;

export const Objective = z.enum(['best-total', 'most-matched']);
export type Objective = z.infer<typeof Objective>;

export const Pool = strictObject({
  mentees: z.array(Mentee).max(10_000),
  mentors: z.array(Mentor).max(10_000),
  rules: Rules.default(Rules.parse({})),
  weights: Weights.default(Weights.parse({})),
  preferredLevelDistance: z.number().int().min(0).max(100).default(1),
  /** Best total score, or as many people matched as possible (then the best score among those). */
  objective: Objective.default('best-total'),
  /** Managers outside the pool: person id → their manager's id, for indirect reporting lines. */
  org: z.record(id, id).default({}),
  /** The coordinator's decisions: pairs that must be made, and pairs that must not. */
  locked: z.array(z.tuple([id, id])).default([]),
  forbidden: z.array(z.tuple([id, id])).default([]),
}).superRefine(checkPool);
export type Pool = z.infer<typeof Pool>;
export type PoolInput = z.input<typeof Pool>;
