/**
 * What the programme holds about one participant (GDPR, right of access): their details, their
 * applications with the answers, every form they answered, and how their relationships ended.
 */
import type { Sql } from '../db/connect.js';

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
  const outcomes = workflows.length
    ? await sql`
        select outcome, meetings_planned, meetings_held, closed_at from relationship_outcomes
        where workflow_id in ${sql(workflows)} order by closed_at`
    : [];
  return {
    participant: person,
    applications: applications.map(({ workflow_id: _id, ...a }) => a),
    forms: [...forms],
    outcomes: [...outcomes],
    exportedAt: new Date().toISOString(),
  };
}
