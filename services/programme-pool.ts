/**
 * The pool as matching reads it: who is waiting, who has a place, and what they told the programme in
 * their applications. Read by the matching activity (a round's proposal) and by the programme page's
 * suggestion, over the programme's whole pool.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../platform/db/connect.js';
import {
  mentorStatus,
  relationshipStatus,
  type MatchingSettings,
  type MentorStatus,
  type Pair,
  type RelationshipStatus,
} from '../workflows/messages.js';
import { readPool } from './pool.js';
import { readStatus } from './workflow-status.js';
import { norm } from '../domain/matching/criteria.js';
import type { PoolInput } from '../domain/matching/pool.js';
import { topicsOf } from '../domain/matching/topics.js';

export interface MatchingPoolInput {
  programId: string;
  settings: MatchingSettings;
  locked: Pair[];
  forbidden: Pair[];
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

/** The pool as matching reads it: who is waiting, who has a place, and what they told the programme. */
export async function matchingPool(client: Client, sql: Sql, input: MatchingPoolInput): Promise<PoolInput> {
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
  // The whole pool: mentees of every round and of rolling intake, rematched ones too.
  const waiting: string[] = [];
  for (const { workflowId } of (await readPool(client, input.programId)).mentees) {
    const status = await statusOf<RelationshipStatus>(workflowId, relationshipStatus);
    if (status?.phase === 'matching' && !status.mentor) waiting.push(workflowId);
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
    if (status?.phase === 'pool') places.set(id, Math.max(0, status.capacity - status.relationships.length));
  }
  const rows = await sql<{ workflow_id: string; answers: Answers; name: string; email: string }[]>`
    select a.workflow_id, a.answers, p.name, p.email from applications a
    join participants p on p.id = a.participant_id
    where a.workflow_id in ${sql([...waiting, ...places.keys(), ''])}`;
  const byId = new Map(rows.map((r) => [r.workflow_id, r]));
  const mentorByEmail = new Map([...places.keys()].map((id) => [byId.get(id)?.email, id]));
  // Mentors named in a free-text answer (names or emails, separated by commas or lines), in order;
  // compared as the rules compare text, so a name typed in another Unicode form or case still counts.
  const mentorNames = [...places.keys()].flatMap((id) => {
    const mentor = byId.get(id);
    return mentor ? [{ id, email: norm(mentor.email), name: norm(mentor.name) }] : [];
  });
  const mentorsNamed = (answer: unknown) => {
    const named: string[] = [];
    for (const part of (text(answer) ?? '').split(/[,;\n]/).map(norm)) {
      if (!part) continue;
      for (const { id, email, name } of mentorNames)
        if ((email === part || name === part) && !named.includes(id)) named.push(id);
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
  const mentees = waiting.filter((id) => byId.has(id));
  const mentors = [...places].filter(([id]) => byId.has(id));
  // A pair forbidden on an earlier run stays on the page (and in the form) after its mentee found a
  // mentor or its mentor left; it forbids nothing now, and the pool refuses pairs naming people not in it.
  const inPool = new Set([...mentees, ...mentors.map(([id]) => id)]);
  const forbidden = input.forbidden.filter(
    (p) => inPool.has(p.relationshipId) && inPool.has(p.mentorWorkflowId),
  );
  return {
    mentees: mentees.map((id) => {
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
    mentors: mentors.map(([id, capacity]) => ({
      ...person(id),
      offers: topicsOf(
        `${text(byId.get(id)!.answers.offers) ?? ''} ${text(byId.get(id)!.answers.experience) ?? ''}`,
      ),
      capacity,
    })),
    ...input.settings,
    locked: input.locked.map((p) => [p.relationshipId, p.mentorWorkflowId] as [string, string]),
    forbidden: forbidden.map((p) => [p.relationshipId, p.mentorWorkflowId] as [string, string]),
  };
}
