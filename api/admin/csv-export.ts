/**
 * A programme's relationships and outcomes as CSV, for the coordinator's spreadsheet and the auditor's
 * file: one row per application, with where its workflow stands and how it ended.
 */
import { toCsv } from '../../lib/csv.js';
import type { FastifyInstance } from 'fastify';
import { queryValue } from '../../lib/workflow-history.js';
import { Phase } from '../../workflows/search-attributes.js';

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;

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
               o.outcome, o.meetings_planned, o.meetings_held, o.closed_at
        from applications a
          join participants p on p.id = a.participant_id
          left join relationship_outcomes o on o.workflow_id = a.workflow_id
        where a.program_id = ${programId}
        order by a.submitted_at, a.id`;
      // Where each workflow stands now: its latest run. Visibility lists running runs first, then the most
      // recently closed, so the first run seen of each workflow is its latest.
      const latest = new Map<string, { phase: string; status: string }>();
      const query = `TaskQueue = ${queryValue(taskQueue)} AND ProgramId = ${queryValue(programId)}`;
      for await (const run of temporal.workflow.list({ query }))
        if (!latest.has(run.workflowId))
          latest.set(run.workflowId, {
            phase: run.typedSearchAttributes.get(Phase) ?? '',
            status: run.status.name,
          });
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
      ];
      const body = rows.map((r) => {
        const now = latest.get(r.workflow_id as string);
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
          r.meetings_planned,
          r.meetings_held,
          r.closed_at,
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
