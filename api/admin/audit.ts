/**
 * The auditor's pages: find workflows through Temporal's visibility store (search attributes hold
 * codes, never personal data) and the archive; read one workflow's timeline across all its runs; and
 * download a run's history as JSON, decoded, in the form the replay tests read. Auditors only read.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Sql } from '../../platform/db/connect.js';
import { decodeHistoryJson } from '../../platform/temporal/history-codec.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { keepErased } from '../../platform/temporal/payload-codec.js';
import { queryValue, runHistory, STATUS_IN_QUERIES, WORKFLOW_ID } from '../../services/workflow-history.js';
import { RELATIONSHIP_PHASES } from '../../workflows/messages.js';
import { Phase, ProgramId } from '../../workflows/search-attributes.js';
import { historyViewBuilder } from './timeline-view.js';

const TYPES = [
  'relationshipWorkflow',
  'mentorWorkflow',
  'programRoundWorkflow',
  'invitationsWorkflow',
  'dataExportWorkflow',
  'retentionSweepWorkflow',
  'historyArchiveWorkflow',
  'cohortWorkflow',
] as const;
/** Relationships' phases, then mentors' and rounds' own. */
const PHASES = [
  ...RELATIONSHIP_PHASES,
  'pool',
  'open',
  'approval',
  'notifying',
  'done',
  'enrolment',
  'gatherings',
  'closing',
] as const;
/** A page lists at most this many; the search narrows the rest. */
const LIMIT = 200;

const empty = (v: unknown) => (v === '' ? undefined : v);
const Search = z.object({
  program: z.preprocess(
    empty,
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
      .optional(),
  ),
  type: z.preprocess(empty, z.enum(TYPES).optional()),
  phase: z.preprocess(empty, z.enum(PHASES).optional()),
  status: z.preprocess(
    empty,
    z.enum(Object.keys(STATUS_IN_QUERIES) as [keyof typeof STATUS_IN_QUERIES]).optional(),
  ),
  from: z.preprocess(empty, z.iso.date().optional()),
  to: z.preprocess(empty, z.iso.date().optional()),
  lang: z.string().optional(),
});
type Search = z.infer<typeof Search>;

interface Found {
  workflowId: string;
  runId: string;
  type: string;
  programId?: string;
  phase?: string;
  status: string;
  startedAt: Date;
  closedAt?: Date;
  source: 'temporal' | 'archive';
}

/** The visibility query of a search; every value is a code checked above, quoted by `queryValue`. */
function visibilityQuery(search: Search, taskQueue: string): string {
  const parts = [`TaskQueue = ${queryValue(taskQueue)}`];
  if (search.program) parts.push(`ProgramId = ${queryValue(search.program)}`);
  if (search.type) parts.push(`WorkflowType = ${queryValue(search.type)}`);
  if (search.phase) parts.push(`Phase = ${queryValue(search.phase)}`);
  if (search.status) parts.push(`ExecutionStatus = ${queryValue(STATUS_IN_QUERIES[search.status])}`);
  if (search.from) parts.push(`StartTime >= ${queryValue(`${search.from}T00:00:00Z`)}`);
  if (search.to) parts.push(`StartTime < ${queryValue(`${search.to}T00:00:00Z`)}`);
  // No ORDER BY: the dev server's SQL visibility refuses it; its own order is running first, then newest closed.
  return parts.join(' AND ');
}

/** Archived runs the server has dropped that match the search (the archive keeps no phases but `closed`). */
async function archivedMatches(sql: Sql, search: Search, seen: Set<string>, room: number): Promise<Found[]> {
  if (room <= 0 || (search.phase && search.phase !== 'closed') || search.status === 'RUNNING') return [];
  const rows = await sql<
    {
      workflow_id: string;
      run_id: string;
      workflow_type: string;
      program_id: string | null;
      status: string;
      started_at: Date;
      closed_at: Date;
    }[]
  >`
    select workflow_id, run_id, workflow_type, program_id, status, started_at, closed_at
    from workflow_archive
    where ${search.program ? sql`program_id = ${search.program}` : sql`true`}
      and ${search.type ? sql`workflow_type = ${search.type}` : sql`true`}
      and ${search.status ? sql`status = ${search.status}` : sql`true`}
      and ${search.from ? sql`started_at >= ${search.from}::date` : sql`true`}
      and ${search.to ? sql`started_at < ${search.to}::date` : sql`true`}
      and not (run_id = any(${sql.array([...seen, ''])}::text[]))
    order by started_at desc
    limit ${room}`;
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    runId: r.run_id,
    type: r.workflow_type,
    programId: r.program_id ?? undefined,
    status: r.status,
    startedAt: r.started_at,
    closedAt: r.closed_at,
    source: 'archive',
  }));
}

export async function auditRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue, codec } = app.services;
  const historyView = historyViewBuilder(app);

  app.get('/audit', { config: { access: 'auditor' } }, async (request, reply) => {
    const lang = pickLanguage(request.pageContext.lang);
    const t = translator(lang);
    const programs = await sql`select id, name from programs order by name, id`;
    const page = {
      title: t('audit.title'),
      programs,
      types: TYPES.map((id) => ({ id, label: t(`audit.type.${id}`) })),
      phases: PHASES.map((id) => ({ id, label: t(`phase.${id}`) })),
      statuses: Object.keys(STATUS_IN_QUERIES).map((id) => ({ id, label: t(`audit.status.${id}`) })),
    };
    const parsed = Search.safeParse(request.query ?? {});
    if (!parsed.success) {
      // The fields to check, by their labels on the form (the schema's own messages are English).
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
      const problem = fields.map((f) => t(`audit.search.${f}`, { defaultValue: f })).join(', ');
      return reply.page(
        'admin-audit',
        { ...page, values: request.query, searchError: t('audit.search.invalid', { problem }) },
        400,
      );
    }
    const search = parsed.data;
    const found: Found[] = [];
    for await (const run of temporal.workflow.list({ query: visibilityQuery(search, taskQueue) })) {
      if (found.length === LIMIT) break;
      found.push({
        workflowId: run.workflowId,
        runId: run.runId,
        type: run.type,
        programId: run.typedSearchAttributes.get(ProgramId),
        phase: run.typedSearchAttributes.get(Phase),
        status: run.status.name,
        startedAt: run.startTime,
        closedAt: run.closeTime,
        source: 'temporal',
      });
    }
    const seen = new Set(found.map((f) => f.runId));
    found.push(...(await archivedMatches(sql, search, seen, LIMIT - found.length)));
    return reply.page('admin-audit', {
      ...page,
      values: search,
      searched: true,
      limited: found.length >= LIMIT,
      limit: LIMIT,
      found: found.map((f) => ({
        ...f,
        typeLabel: t(`audit.type.${f.type}`, { defaultValue: f.type }),
        phaseLabel: f.phase ? t(`phase.${f.phase}`, { defaultValue: f.phase }) : '',
        statusLabel: t(`audit.status.${f.status}`, { defaultValue: f.status }),
        sourceLabel: t(`audit.source.${f.source}`),
      })),
    });
  });

  const workflowParams = {
    type: 'object',
    required: ['workflowId'],
    properties: {
      workflowId: { type: 'string', pattern: WORKFLOW_ID.source },
      runId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
    },
  } as const;

  app.get<{ Params: { workflowId: string } }>(
    '/audit/workflows/:workflowId',
    { config: { access: 'auditor' }, schema: { params: workflowParams } },
    async (request, reply) => {
      const lang = pickLanguage(request.pageContext.lang);
      const t = translator(lang);
      const { workflowId } = request.params;
      const view = await historyView(workflowId, t, lang);
      if (!view) return reply.message(404, 'workflowNotFound');
      const programId = view.runs.findLast((r) => r.programId)?.programId;
      return reply.page('admin-audit-workflow', {
        title: t('audit.workflow.title', { id: workflowId }),
        workflowId,
        programId,
        history: view,
      });
    },
  );

  app.get<{ Params: { workflowId: string; runId: string } }>(
    '/audit/workflows/:workflowId/runs/:runId/history.json',
    { config: { access: 'auditor' }, schema: { params: workflowParams } },
    async (request, reply) => {
      const { workflowId, runId } = request.params;
      const history = await runHistory(sql, temporal, workflowId, runId);
      if (!history) return reply.message(404, 'workflowNotFound');
      // Decoded for the auditor; an erased person's payloads stay encrypted, as unreadable here as anywhere.
      const json = await decodeHistoryJson(JSON.parse(historyToJSON(history)), keepErased(codec));
      request.log.info({ workflowId, runId, by: request.adminUser!.id }, 'history downloaded');
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${workflowId}-${runId}.json"`)
        .send(JSON.stringify(json, null, 2));
    },
  );
}
