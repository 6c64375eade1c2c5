/**
 * A programme's relationships and outcomes as CSV, for the coordinator's spreadsheet and the auditor's
 * file: one row per application, with where its workflow stands, its mentor and how it ended.
 */
import { toCsv } from './csv.js';
import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../platform/db/connect.js';
import { queryValue } from '../../services/workflow-history.js';
import { latestRuns, type LatestRun } from '../../services/workflow-status.js';
import type { RelationshipStatus } from '../../workflows/messages.js';

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;

/** What a relationship's newest run published of its pair: the meetings so far and the mentor, if matched. */
interface Pairing {
  planned: number;
  held: number;
  moved: number;
  cancelled: number;
  /** Counted by the relationship; absent from one started before it counted them. */
  missed?: number;
  mentorId?: string;
}

/**
 * Read from the status the run published in its memo, which the visibility list carries: no Query per
 * relationship, so an export of hundreds of rows never waits on a worker. Before the meetings begin a
 * relationship has held none of none planned, as the outcome it would record then says. Nothing for a
 * mentor's workflow (not a relationship), an erased relationship (its memo can no longer be read) or
 * one that has not published yet (started before publishing, and unchanged since).
 */
function pairingOf(run: LatestRun | undefined): Pairing | undefined {
  if (run?.workflowType !== 'relationshipWorkflow' || !run.published || run.published === 'erased')
    return undefined;
  const status = run.published as RelationshipStatus;
  return {
    planned: status.meetings?.planned ?? 0,
    held: status.meetings?.held ?? 0,
    moved: status.meetings?.moved ?? 0,
    cancelled: status.meetings?.cancelled ?? 0,
    missed: status.meetings?.missed,
    mentorId: status.mentor?.mentorParticipantId,
  };
}

/** The names of the programme's mentors by participant id; an erased mentor's row names them as erased. */
async function mentorNames(sql: Sql, programId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; name: string }[]>`
    select id::text as id, name from participants where program_id = ${programId} and id::text in ${sql(ids)}`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function csvExportRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue } = app.services;

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/relationships.csv',
    { config: { access: 'program-reader' }, schema: { params } },
    async (request, reply) => {
      const { programId } = request.params;
      const [program] = await sql`select 1 from programs where id = ${programId}`;
      if (!program) return reply.callNotFound();
      const rows = await sql`
        select upper(left(a.id::text, 8)) as reference, a.role, a.workflow_id, p.name,
               a.answers->>'department' as department, a.submitted_at,
               o.outcome, o.meetings_planned, o.meetings_held, o.meetings_moved, o.meetings_cancelled,
               o.closed_at, o.meetings_missed as meetings_missed_counted,
               -- Missed, for a relationship that did not count it: its logs that say not held.
               (select count(*)::int from form_submissions s
                where s.workflow_id = a.workflow_id and s.step_id like '%/meeting-%/log'
                  and s.answers->>'held' = 'no') as meetings_missed
        from applications a
          join participants p on p.id = a.participant_id
          left join relationship_outcomes o on o.workflow_id = a.workflow_id
        where a.program_id = ${programId}
        order by a.submitted_at, a.id`;
      // Where each workflow stands now, and what its newest run published.
      const query = `TaskQueue = ${queryValue(taskQueue)} AND ProgramId = ${queryValue(programId)}`;
      const latest = new Map((await latestRuns(temporal, query)).map((run) => [run.workflowId, run]));
      const pairings = new Map(
        rows.map((r) => [r.workflow_id as string, pairingOf(latest.get(r.workflow_id))]),
      );
      const mentorIds = [...pairings.values()].flatMap((p) => (p?.mentorId ? [p.mentorId] : []));
      const mentors = await mentorNames(sql, programId, [...new Set(mentorIds)]);
      const header = [
        'reference',
        'role',
        'workflow_id',
        'name',
        'department',
        'applied_at',
        'phase',
        'status',
        'outcome',
        'meetings_planned',
        'meetings_held',
        'closed_at',
        'mentor',
        'meetings_moved',
        'meetings_cancelled',
        'meetings_missed',
      ];
      const body = rows.map((r) => {
        const now = latest.get(r.workflow_id as string);
        const pairing = pairings.get(r.workflow_id as string);
        return [
          r.reference,
          r.role,
          r.workflow_id,
          r.name,
          r.department,
          r.submitted_at,
          now?.phase ?? (r.outcome ? 'closed' : ''),
          now?.status ?? (r.outcome ? 'COMPLETED' : ''),
          r.outcome,
          // The recorded outcome has the final counts; a running relationship has its counts so far.
          r.outcome ? r.meetings_planned : pairing?.planned,
          r.outcome ? r.meetings_held : pairing?.held,
          r.closed_at,
          pairing?.mentorId ? (mentors.get(pairing.mentorId) ?? '') : '',
          r.outcome ? r.meetings_moved : pairing?.moved,
          r.outcome ? r.meetings_cancelled : pairing?.cancelled,
          // What the relationship counted (a log that said not held, or none in time), else its logs.
          r.outcome
            ? (r.meetings_missed_counted ?? r.meetings_missed)
            : pairing
              ? (pairing.missed ?? r.meetings_missed)
              : undefined,
        ];
      });
      request.log.info({ programId, rows: rows.length, by: request.adminUser!.id }, 'relationships exported');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${programId}-relationships.csv"`)
        .send(toCsv([header, ...body]));
    },
  );
}
