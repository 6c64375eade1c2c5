/**
 * What the programme holds about one participant (GDPR, right of access): their details, their
 * applications with the answers, every form of their relationships and every form they answered as a
 * mentor in their mentees' relationships, and how their relationships ended.
 */
import type { Sql } from '../platform/db/connect.js';
import { mentoredPairings } from './mentored-pairings.js';

export async function buildExport(sql: Sql, participantId: string) {
  const [person] = await sql`
    select p.id, p.name, p.email, p.language, p.created_at, p.program_id, pr.name as program_name
    from participants p join programs pr on pr.id = p.program_id where p.id = ${participantId}`;
  const applications = await sql`
    select role, submitted_at, answers, workflow_id from applications
    where participant_id = ${participantId} order by submitted_at`;
  const workflows = applications.map((a) => a.workflow_id as string);
  const forms = workflows.length
    ? await sql`
        select step_id, role, form_id, form_version, submitted_at, answers from form_submissions
        where workflow_id in ${sql(workflows)} order by submitted_at`
    : [];
  // As a mentor their answers live under each mentee's relationship, one pairing at a time.
  const asMentor = [];
  for (const { workflowId, pairing } of await mentoredPairings(sql, participantId))
    asMentor.push(
      ...(await sql`
        select step_id, role, form_id, form_version, submitted_at, answers from form_submissions
        where workflow_id = ${workflowId} and role = 'mentor' and split_part(step_id, '/', 1) = ${pairing}`),
    );
  const outcomes = workflows.length
    ? await sql`
        select outcome, meetings_planned, meetings_held, closed_at from relationship_outcomes
        where workflow_id in ${sql(workflows)} order by closed_at`
    : [];
  return {
    participant: person,
    applications: applications.map(({ workflow_id: _id, ...a }) => a),
    forms: [...forms, ...asMentor].sort((a, b) => +a.submitted_at - +b.submitted_at),
    outcomes: [...outcomes],
    exportedAt: new Date().toISOString(),
  };
}
