/**
 * Erasing a participant: their workflows are stopped, the data keys of those workflows destroyed (so
 * their payloads in Temporal's history and archives can never be decrypted again), and their rows in
 * the database deleted or anonymised, including what a mentor left under their mentees' relationships
 * (answers, emails to them, introductions naming them). What the programme's statistics count stays:
 * the application (role, date), the relationship's outcome and meeting counts. Each erasure is
 * recorded, with its rule.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../platform/db/connect.js';
import { mentorStatus, relationshipEnded, relationshipStatus } from '../workflows/messages.js';
import { readStatus, statusOf } from './workflow-status.js';
import { mentoredPairings } from './mentored-pairings.js';

/** The erasure cannot go ahead as things stand; the message says what to do first. */
export class ErasureRefused extends Error {}

async function runningMentees(temporal: Client, mentorWorkflowId: string): Promise<number> {
  const handle = temporal.workflow.getHandle(mentorWorkflowId);
  try {
    const { running, status } = await readStatus(handle, mentorStatus);
    return running ? status.relationships.length : 0;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 0;
    throw err;
  }
}

export interface ErasureRequest {
  participantId: string;
  rule: 'request' | 'retention';
  /** The administrator's user id; none for the retention schedule. */
  by?: string;
}

export interface ErasureResult {
  participantId: string;
  workflows: string[];
  keysDestroyed: number;
  submissionsDeleted: number;
  emailsDeleted: number;
  matchingRunsScrubbed: number;
  /** Pairings in mentees' relationships they were the mentor of, whose answers and emails went too. */
  pairingsMentored: number;
  alreadyErased: boolean;
}

const ERASED_NAME = 'Erased participant';

export async function eraseParticipant(
  sql: Sql,
  temporal: Client,
  request: ErasureRequest,
): Promise<ErasureResult> {
  const { participantId } = request;
  const [person] = await sql<{ program_id: string; email: string; name: string }[]>`
    select program_id, email, name from participants where id = ${participantId}`;
  if (!person) throw new Error(`no participant ${participantId}`);
  const workflows = (
    await sql<
      { workflow_id: string }[]
    >`select workflow_id from applications where participant_id = ${participantId}`
  ).map((r) => r.workflow_id);
  const [done] = await sql`select 1 from erasures where participant_id = ${participantId}`;
  if (done)
    return {
      participantId,
      workflows,
      keysDestroyed: 0,
      submissionsDeleted: 0,
      emailsDeleted: 0,
      matchingRunsScrubbed: 0,
      pairingsMentored: 0,
      alreadyErased: true,
    };

  // A mentor with mentees in running relationships is not erased behind their backs: the coordinator
  // ends or rematches those relationships first.
  for (const workflowId of workflows.filter((id) => id.startsWith('mentor-'))) {
    const mentees = await runningMentees(temporal, workflowId);
    if (mentees > 0)
      throw new ErasureRefused(
        `the mentor has ${mentees} running relationship(s); end or rematch them first`,
      );
  }

  // Running workflows stop first, while they can still be read: a relationship's counts go to the statistics.
  for (const workflowId of workflows) {
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      if ((await handle.describe()).status.name !== 'RUNNING') continue;
      if (workflowId.startsWith('relationship-')) {
        const status = await statusOf(handle, relationshipStatus);
        // The mentor's place frees up, as when a relationship ends any other way.
        if (status.mentor)
          await temporal.workflow
            .getHandle(status.mentor.mentorWorkflowId)
            .signal(relationshipEnded, { relationshipId: workflowId });
        await sql`
          insert into relationship_outcomes (workflow_id, program_id, outcome, meetings_planned, meetings_held)
          values (${workflowId}, ${person.program_id}, 'erased', ${status.meetings?.planned ?? 0}, ${status.meetings?.held ?? 0})
          on conflict (workflow_id) do nothing`;
      }
      await handle.terminate('participant erased');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  // Found before any email goes: the emails addressed to them are what names their pairings.
  const mentored = await mentoredPairings(sql, participantId);

  // No workflow yet (the application is still being recorded): nothing of theirs is in Temporal to shred.
  const keys = workflows.length
    ? await sql`
        update payload_keys set wrapped = null, destroyed_at = now()
        where owner in ${sql(workflows)} and destroyed_at is null returning id`
    : [];
  const submissions = workflows.length
    ? await sql`delete from form_submissions where workflow_id in ${sql(workflows)} returning 1`
    : [];
  if (workflows.length) await sql`delete from interview_records where workflow_id in ${sql(workflows)}`;
  // The emails their workflows sent (keys start with the workflow id): to them, and introducing them.
  const emails = workflows.length
    ? await sql`
        delete from email_outbox
        where split_part(idempotency_key, '/', 1) in ${sql(workflows)}
           or idempotency_key like ${`export-${participantId}-%`} returning 1`
    : [];
  // As a mentor, under their mentees' relationships: their answers in each pairing they were in, the
  // emails to them (pauses and endings are keyed outside the pairing), and the introduction that gave
  // the mentee their name and address. The mentee's own answers and emails stay: they are the mentee's.
  let mentorAnswers = 0;
  let mentorEmails = 0;
  for (const { workflowId, pairing } of mentored) {
    mentorAnswers += (
      await sql`
        delete from form_submissions
        where workflow_id = ${workflowId} and role = 'mentor' and split_part(step_id, '/', 1) = ${pairing}
        returning 1`
    ).length;
    mentorEmails += (
      await sql`
        delete from email_outbox where idempotency_key = ${`${workflowId}/${pairing}/matching/mentee`}
        returning 1`
    ).length;
  }
  mentorEmails += (
    await sql`
      delete from email_outbox o using applications a
      where a.program_id = ${person.program_id} and split_part(o.idempotency_key, '/', 1) = a.workflow_id
        and o.recipient = ${person.email}
      returning 1`
  ).length;
  let scrubbed = 0;
  const runs = await sql<{ id: string; pool: { mentees?: Person[]; mentors?: Person[] } }[]>`
    select id, pool from matching_runs where program_id = ${person.program_id}`;
  for (const run of runs) {
    const touched = [...(run.pool.mentees ?? []), ...(run.pool.mentors ?? [])].filter((p) =>
      workflows.includes(p.id),
    );
    if (touched.length === 0) continue;
    const scrub = (list: Person[] | undefined) =>
      list?.map((p) => (workflows.includes(p.id) ? { id: p.id, name: ERASED_NAME } : p));
    const pool = { ...run.pool, mentees: scrub(run.pool.mentees), mentors: scrub(run.pool.mentors) };
    await sql`update matching_runs set pool = ${sql.json(pool as never)} where id = ${run.id}`;
    scrubbed++;
  }
  // Their invitations to the programme (through the integration API), and the emails that invited them.
  const invited = (
    await sql<{ id: string }[]>`
      delete from invitations where program_id = ${person.program_id} and email = ${person.email}
      returning id::text as id`
  ).map((r) => r.id);
  const invitationEmails = invited.length
    ? await sql`
        delete from email_outbox
        where idempotency_key like 'invitations-%' and split_part(idempotency_key, '/', 2) in ${sql(invited)}
        returning 1`
    : [];
  await sql`update applications set answers = '{}'::jsonb where participant_id = ${participantId}`;
  await sql`
    update participants set name = ${ERASED_NAME}, email = ${`erased-${participantId}@invalid`}, language = null
    where id = ${participantId}`;
  const result: ErasureResult = {
    participantId,
    workflows,
    keysDestroyed: keys.length,
    submissionsDeleted: submissions.length + mentorAnswers,
    emailsDeleted: emails.length + mentorEmails + invitationEmails.length,
    matchingRunsScrubbed: scrubbed,
    pairingsMentored: mentored.length,
    alreadyErased: false,
  };
  await sql`
    insert into erasures (participant_id, program_id, rule, erased_by, details)
    values (${participantId}, ${person.program_id}, ${request.rule}, ${request.by ?? null},
            ${sql.json({ ...result, participantId: undefined } as never)})`;
  return result;
}

interface Person {
  id: string;
  name?: string;
}

/** Participants whose relationships all closed longer ago than their programme keeps data, not yet erased. */
export async function expiredParticipants(sql: Sql): Promise<string[]> {
  const rows = await sql<{ participant_id: string }[]>`
    -- When each workflow closed: a relationship records its outcome; any workflow (a mentor declined at
    -- the interview, say) is in the history archive once its last run closed.
    with closed as (
      select workflow_id, max(closed_at) as closed_at from (
        select workflow_id, closed_at from relationship_outcomes
        union all
        select workflow_id, closed_at from workflow_archive where status not in ('CONTINUED_AS_NEW', 'RUNNING')
      ) c group by workflow_id
    )
    select a.participant_id
    from applications a
    join programs p on p.id = a.program_id
    left join closed c on c.workflow_id = a.workflow_id
    where not exists (select 1 from erasures e where e.participant_id = a.participant_id)
    group by a.participant_id, p.retention_days
    -- Every one of their workflows has closed (a mentee who is now a mentor, say, is kept while mentoring).
    having bool_and(c.workflow_id is not null)
       and max(c.closed_at) <= now() - make_interval(days => p.retention_days)`;
  return rows.map((r) => r.participant_id);
}

/**
 * A closed cohort whose report is older than its programme keeps personal data: the cohort's data key
 * is destroyed (its history held the enrolments), its members' answers and emails are deleted and the
 * people anonymised. The report stays: it holds figures and organisation names only. Each member's
 * erasure is recorded under the retention rule; returns how many people were erased.
 */
export async function eraseExpiredCohorts(sql: Sql): Promise<number> {
  const cohorts = await sql<{ workflow_id: string; program_id: string }[]>`
    select r.cohort_workflow_id as workflow_id, r.program_id
    from cohort_reports r join programs p on p.id = r.program_id
    where r.created_at <= now() - make_interval(days => p.retention_days)
      and exists (
        select 1 from cohort_members m join cohort_organisations o on o.id = m.organisation_id
        where o.cohort_workflow_id = r.cohort_workflow_id and m.email not like '%@invalid')`;
  let erased = 0;
  for (const { workflow_id: workflowId, program_id: programId } of cohorts) {
    await sql.begin(async (tx) => {
      const keys = await tx`
        update payload_keys set wrapped = null, destroyed_at = now()
        where owner = ${workflowId} and destroyed_at is null returning id`;
      const submissions =
        await tx`delete from form_submissions where workflow_id = ${workflowId} returning 1`;
      const emails = await tx`
        delete from email_outbox where split_part(idempotency_key, '/', 1) = ${workflowId} returning 1`;
      const members = await tx<{ id: string }[]>`
        update cohort_members m set name = ${ERASED_NAME}, email = 'erased-' || m.id || '@invalid', language = null
        from cohort_organisations o
        where o.id = m.organisation_id and o.cohort_workflow_id = ${workflowId} and m.email not like '%@invalid'
        returning m.id::text as id`;
      await tx`update cohort_organisations set motivation = '' where cohort_workflow_id = ${workflowId}`;
      const details = {
        cohort: workflowId,
        keysDestroyed: keys.length,
        submissionsDeleted: submissions.length,
        emailsDeleted: emails.length,
      };
      for (const { id } of members)
        await tx`
          insert into erasures (participant_id, program_id, rule, details)
          values (${id}, ${programId}, 'retention', ${tx.json(details)})`;
      erased += members.length;
    });
  }
  return erased;
}
