/**
 * Matching as an activity (it is CPU work): reads the round's pool from the workflows and the database,
 * computes the proposal, and stores pool and proposal together. The round's history keeps only the run's
 * id, the pairs by workflow id and the figures.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Pool, type PoolInput } from '../lib/matching/pool.js';
import { propose } from '../lib/matching/propose.js';
import { topicsOf } from '../lib/matching/topics.js';
import {
  mentorStatus,
  relationshipStatus,
  type Actor,
  type MatchingSettings,
  type MatchingRunSummary,
  type MentorStatus,
  type RelationshipStatus,
  type Pair,
} from '../workflows/messages.js';
import { callingWorkflowId } from './context.js';
import type { ActivityDeps } from './index.js';
import { readStatus } from '../lib/workflow-status.js';

export interface ProposeMatchingInput {
  programId: string;
  /** Relationship workflows of the round; those accepted and waiting for a mentor are matched. */
  mentees: string[];
  settings: MatchingSettings;
  locked: Pair[];
  forbidden: Pair[];
  by: Actor;
}

type Answers = Record<string, unknown>;
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
/** A level the coordinator's form gave as a number (a free-text answer that is not one counts as unknown). */
const level = (value: unknown) => {
  const n = Number(value);
  return value === undefined || value === '' || !Number.isInteger(n) || n < 0 || n > 100 ? undefined : n;
};
const short = (value: string | undefined) => value?.slice(0, 200);

export function createMatchingActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  /** The pool as matching reads it: who is waiting, who has a place, and what they told the programme. */
  async function readPool(input: ProposeMatchingInput): Promise<PoolInput> {
    const { client } = Context.current();
    /** A running workflow's status; none for one that ended (or was erased, or purged by Temporal). */
    async function statusOf<T>(id: string, query: typeof relationshipStatus | typeof mentorStatus) {
      try {
        const { running, status } = await readStatus(client.workflow.getHandle(id), query as never);
        return running ? (status as T) : undefined;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    }
    const waiting: string[] = [];
    for (const id of input.mentees) {
      const status = await statusOf<RelationshipStatus>(id, relationshipStatus);
      if (status?.phase === 'matching' && !status.mentor) waiting.push(id);
    }
    const mentorIds = (
      await sql<{ workflow_id: string }[]>`
        select a.workflow_id from applications a
        where a.program_id = ${input.programId} and a.role = 'mentor'
          and not exists (select 1 from erasures e where e.participant_id = a.participant_id)
        order by a.workflow_id`
    ).map((r) => r.workflow_id);
    const places = new Map<string, number>();
    for (const id of mentorIds) {
      const status = await statusOf<MentorStatus>(id, mentorStatus);
      if (status?.phase === 'pool')
        places.set(id, Math.max(0, status.capacity - status.relationships.length));
    }
    const rows = await sql<{ workflow_id: string; answers: Answers; name: string; email: string }[]>`
      select a.workflow_id, a.answers, p.name, p.email from applications a
      join participants p on p.id = a.participant_id
      where a.workflow_id in ${sql([...waiting, ...places.keys(), ''])}`;
    const byId = new Map(rows.map((r) => [r.workflow_id, r]));
    const mentorByEmail = new Map([...places.keys()].map((id) => [byId.get(id)?.email, id]));
    // Mentors named in a free-text answer (names or emails, separated by commas or lines), in order.
    const mentorsNamed = (answer: unknown) => {
      const named: string[] = [];
      for (const part of (text(answer) ?? '').split(/[,;\n]/).map((p) => p.trim().toLowerCase())) {
        if (!part) continue;
        for (const id of places.keys()) {
          const mentor = byId.get(id);
          if (mentor && (mentor.email === part || mentor.name.toLowerCase() === part) && !named.includes(id))
            named.push(id);
        }
      }
      return named.slice(0, 20);
    };
    const person = (id: string) => {
      const { answers, name } = byId.get(id)!;
      return {
        id,
        name: short(name),
        unit: short(text(answers.department)),
        location: short(text(answers.location)),
        level: level(answers.level),
        languages: list(answers.languages),
        interests: topicsOf(answers.interests),
      };
    };
    return {
      mentees: waiting
        .filter((id) => byId.has(id))
        .map((id) => {
          const { answers } = byId.get(id)!;
          const manager = mentorByEmail.get(text(answers.managerEmail)?.toLowerCase());
          return {
            ...person(id),
            wantsToLearn: topicsOf(`${text(answers.goals) ?? ''} ${text(answers.reasons) ?? ''}`),
            // Questions a coordinator can add to the application in the form editor, by these names.
            nominated: mentorsNamed(answers.nominatedMentors),
            knows: mentorsNamed(answers.knows),
            ...(manager ? { reportsTo: manager } : {}),
          };
        }),
      mentors: [...places]
        .filter(([id]) => byId.has(id))
        .map(([id, capacity]) => ({
          ...person(id),
          offers: topicsOf(
            `${text(byId.get(id)!.answers.offers) ?? ''} ${text(byId.get(id)!.answers.experience) ?? ''}`,
          ),
          capacity,
        })),
      ...input.settings,
      locked: input.locked.map((p) => [p.relationshipId, p.mentorWorkflowId] as [string, string]),
      forbidden: input.forbidden.map((p) => [p.relationshipId, p.mentorWorkflowId] as [string, string]),
    };
  }

  return {
    async proposeMatching(input: ProposeMatchingInput): Promise<MatchingRunSummary> {
      const info = Context.current().info;
      const key = `${info.workflowExecution?.runId ?? callingWorkflowId()}/${info.activityId}`;
      let [run] = await sql<{ id: string; proposal: ReturnType<typeof propose>; created_at: Date }[]>`
        select id, proposal, created_at from matching_runs where idempotency_key = ${key}`;
      if (!run) {
        const pool = await readPool(input);
        // A pool the rules cannot read (settings out of range, say) will not read better on a retry.
        const parsed = Pool.safeParse(pool);
        if (!parsed.success)
          throw ApplicationFailure.nonRetryable(
            `the matching pool is not valid: ${parsed.error.issues[0]?.message}`,
            'InvalidPool',
          );
        const proposal = propose(parsed.data);
        [run] = await sql<{ id: string; proposal: ReturnType<typeof propose>; created_at: Date }[]>`
          insert into matching_runs (idempotency_key, program_id, round_workflow_id, requested_by, pool, proposal)
          values (${key}, ${input.programId}, ${callingWorkflowId()}, ${input.by.userId},
                  ${sql.json(pool as never)}, ${sql.json(proposal as never)})
          on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
          returning id, proposal, created_at`;
      }
      const { proposal } = run!;
      return {
        runId: run!.id,
        pairs: proposal.pairs.map((p) => ({ relationshipId: p.mentee, mentorWorkflowId: p.mentor })),
        matched: proposal.matched,
        unmatched: proposal.unmatched.length,
        totalScore: proposal.totalScore,
        by: input.by,
        at: run!.created_at.toISOString(),
      };
    },
  };
}
