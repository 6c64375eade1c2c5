/**
 * The matching review on the programme page: the settings form (filled from the last run, or the
 * defaults), and the last run's proposal with each pair's score broken down, the coordinator's lock and
 * forbid boxes, and for each mentee left unmatched the rules that excluded which mentors, by name.
 */
import type { Sql } from '../../platform/db/connect.js';
import { Pool, type PoolInput } from '../../domain/matching/pool.js';
import type { Proposal } from '../../domain/matching/propose.js';
import type { MatchingSettings, RoundStatus } from '../../workflows/messages.js';

const key = (relationshipId: string, mentorWorkflowId: string) => `${relationshipId} ${mentorWorkflowId}`;

/** The form's values: what the coordinator sent (when it came back with errors), else the run's settings. */
function formValues(pool: Pool, sent: Record<string, unknown> | undefined) {
  const { rules, weights } = pool;
  if (sent) return { ...sent };
  return {
    objective: pool.objective,
    differentUnit: rules.differentUnit,
    noReportingLine: rules.noReportingLine,
    notCoLocated: rules.notCoLocated,
    commonLanguage: rules.commonLanguage,
    notAcquainted: rules.notAcquainted,
    levelsAbove: rules.levelsAbove !== null,
    levelsMin: rules.levelsAbove?.min ?? 1,
    levelsMax: rules.levelsAbove?.max ?? 2,
    learning: weights.learning,
    interests: weights.interests,
    nominated: weights.nominated,
    levelDistance: weights.levelDistance,
    preferredLevelDistance: pool.preferredLevelDistance,
  };
}

/**
 * The matching form's fields (objective, rules, weights): what was sent, else these settings (a run's,
 * or the programme's own from its settings page), else the defaults.
 */
export function matchingFields(settings: MatchingSettings | undefined, sent?: Record<string, unknown>) {
  const values = formValues(Pool.parse({ mentees: [], mentors: [], ...settings }), sent);
  const rules = ['differentUnit', 'noReportingLine', 'notCoLocated', 'commonLanguage', 'notAcquainted'].map(
    (name) => ({ name, checked: sent ? sent[name] === 'on' : values[name as keyof typeof values] === true }),
  );
  return { values, rules, levelsAbove: sent ? sent.levelsAbove === 'on' : values.levelsAbove };
}

export async function matchingReview(
  sql: Sql,
  round: RoundStatus,
  nameOf: (workflowId: string) => string,
  sent?: Record<string, unknown>,
  /** The programme's matching settings, for the form before the round's first run. */
  programme?: MatchingSettings,
) {
  const runId = round.matchingRun?.runId;
  const [run] = runId
    ? await sql<
        { pool: PoolInput; proposal: Proposal }[]
      >`select pool, proposal from matching_runs where id = ${runId}`
    : [];
  // A run stored before today's stricter checks (someone erased since, a lock now over a capacity)
  // still shows: its pairs and locks as stored, its rules as the programme's.
  const stored = Pool.safeParse(run?.pool ?? { mentees: [], mentors: [], ...programme });
  const pool = stored.success
    ? stored.data
    : {
        ...Pool.parse({ mentees: [], mentors: [], ...programme }),
        locked: run?.pool.locked ?? [],
        forbidden: run?.pool.forbidden ?? [],
      };
  const { values, rules, levelsAbove } = matchingFields(run ? pool : programme, sent);
  if (!run) return { values, rules, levelsAbove };
  const names = (ids: string[]) =>
    ids
      .map(nameOf)
      .sort((a, b) => a.localeCompare(b))
      .join(', ');
  const locked = new Set(pool.locked.map(([a, b]) => key(a, b)));
  const forbidden = pool.forbidden.map(([a, b]) => ({
    value: key(a, b),
    mentee: nameOf(a),
    mentor: nameOf(b),
  }));
  return {
    values,
    rules,
    levelsAbove,
    run: {
      ...round.matchingRun,
      unmatchedCount: round.matchingRun?.unmatched,
      pairs: run.proposal.pairs.map((p) => ({
        value: key(p.mentee, p.mentor),
        mentee: nameOf(p.mentee),
        mentor: nameOf(p.mentor),
        score: p.score,
        breakdown: p.breakdown,
        locked: locked.has(key(p.mentee, p.mentor)),
        broken: p.broken,
      })),
      unmatched: run.proposal.unmatched.map((u) => ({
        mentee: nameOf(u.mentee),
        reason: u.reason,
        excluded: Object.entries(u.excludedBy).map(([rule, ids]) => ({
          rule,
          mentors: names(ids),
        })),
        full: names(u.fullMentors),
      })),
      forbidden,
    },
  };
}
