/**
 * The programme dashboard (issue 7): how many relationships are in each phase, what waits for the
 * coordinator, which forms are overdue, meetings held against planned, and how closed relationships
 * ended. Phases come from Temporal's visibility store (codes only), open steps and meeting counts from
 * the status each running relationship publishes (listed with it), names from the database, outcomes
 * from `relationship_outcomes`. Charts are server-rendered SVG with the same numbers in tables beside them.
 */
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { TFunction } from 'i18next';
import { barChartSvg } from './charts.js';
import { pickLanguage, translator, type Language } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import {
  relationshipStatus,
  roundStatus,
  type OpenStep,
  type RelationshipPhase,
  type RelationshipStatus,
  RELATIONSHIP_PHASES,
} from '../../workflows/messages.js';
import { FORM_IDS } from '../../workflows/program-settings.js';
import { latestRuns, statusOf, type LatestRun } from '../../services/workflow-status.js';

const OUTCOMES = ['completed', 'declined', 'ended-by-coordinator', 'ended-org-change', 'erased'] as const;
const KNOWN_FORMS = new Set<string>(Object.values(FORM_IDS));
/**
 * Status reads of workflows that have published none yet (Queries) run this many at once, so a large
 * programme does not flood the frontend.
 */
const QUERY_CONCURRENCY = 8;
const QUERY_DEADLINE_MS = 5_000;

const programParams = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', maxLength: 63 } },
} as const;

/** `work` over `items`, at most `limit` at a time, results in the items' order. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface OverdueStep {
  workflowId: string;
  name: string;
  href: string;
  stepId: string;
  form: string;
  role: OpenStep['role'];
  openedAt: string;
  remindersSent: number;
  escalated: boolean;
}

export async function dashboardRoutes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/dashboard',
    { config: { access: 'program-reader' }, schema: { params: programParams } },
    async (request, reply) => {
      const lang = pickLanguage(request.pageContext.lang);
      const t = translator(lang);
      const [program] = await sql<{ id: string; name: string; current_round: string | null }[]>`
        select id, name, current_round from programs where id = ${request.params.programId}`;
      if (!program) return reply.callNotFound();
      const base = basePath(config.publicUrl);
      const fromWorkflows = await workflowFigures(temporal, program, request.log);

      // Closed relationships' meetings and outcomes; a relationship that recorded its outcome but still
      // runs (it is telling both people) is counted once, as running.
      const running = fromWorkflows?.running.map((r) => r.workflowId) ?? [];
      const outcomeRows = await sql<
        {
          outcome: string;
          count: number;
          planned: number;
          held: number;
          moved: number;
          cancelled: number;
          missed: number;
        }[]
      >`
        select outcome, count(*)::int as count, coalesce(sum(meetings_planned), 0)::int as planned,
               coalesce(sum(meetings_held), 0)::int as held, coalesce(sum(meetings_moved), 0)::int as moved,
               coalesce(sum(meetings_cancelled), 0)::int as cancelled,
               coalesce(sum(meetings_missed), 0)::int as missed
        from relationship_outcomes
        where program_id = ${program.id} and not (workflow_id = any(${sql.array(running)}::text[]))
        group by outcome`;

      const data: Record<string, unknown> = {
        title: t('dashboard.title', { program: program.name }),
        program,
        outcomes: outcomesView(t, lang, outcomeRows),
        temporalFailed: !fromWorkflows,
      };
      if (fromWorkflows) {
        const names = await namesOf(fromWorkflows.overdue.map((s) => s.workflowId));
        for (const step of fromWorkflows.overdue) {
          step.name = names.get(step.workflowId) ?? step.workflowId;
          step.href = `${base}admin/programs/${program.id}/relationships/${step.workflowId}`;
          step.form = formName(t, step.form);
        }
        fromWorkflows.overdue.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
        const closed = (key: 'held' | 'planned' | 'moved' | 'cancelled' | 'missed') =>
          outcomeRows.reduce((sum, r) => sum + r[key], 0);
        // Missed: what the relationships counted (a log that said not held, or none in time); those that
        // did not count them yet (running or closed before they could) count their logs that said so.
        const [uncounted] = await sql<{ count: number }[]>`
          select count(*)::int as count from form_submissions s
          where s.step_id like '%/meeting-%/log' and s.answers->>'held' = 'no'
            and (s.workflow_id = any(${sql.array(fromWorkflows.uncounted)}::text[])
                 or s.workflow_id in (
                   select workflow_id from relationship_outcomes
                   where program_id = ${program.id} and meetings_missed is null
                     and not (workflow_id = any(${sql.array(running)}::text[]))))`;
        Object.assign(
          data,
          workflowView(t, lang, fromWorkflows, {
            held: closed('held'),
            planned: closed('planned'),
            moved: closed('moved'),
            cancelled: closed('cancelled'),
            missed: closed('missed') + (uncounted?.count ?? 0),
          }),
        );
      }
      return reply.page('admin-dashboard', data);
    },
  );

  /** Mentees' names by their relationship's workflow id, from the applications (never from a workflow). */
  async function namesOf(workflowIds: string[]): Promise<Map<string, string>> {
    if (workflowIds.length === 0) return new Map();
    const rows = await sql<{ workflow_id: string; name: string }[]>`
      select a.workflow_id, p.name from applications a join participants p on p.id = a.participant_id
      where a.workflow_id = any(${sql.array(workflowIds)}::text[])`;
    return new Map(rows.map((r) => [r.workflow_id, r.name]));
  }
}

type WorkflowFigures = NonNullable<Awaited<ReturnType<typeof workflowFigures>>>;

/**
 * What the programme's workflows say: their phases (visibility), open steps and meetings (status
 * queries of the running relationships) and the round's proposal. Undefined when Temporal cannot be
 * reached; the page then says so instead of failing.
 */
async function workflowFigures(
  temporal: Client,
  program: { id: string; current_round: string | null },
  log: FastifyBaseLogger,
) {
  let relationships: LatestRun[];
  let mentors: LatestRun[];
  try {
    // The id is the programme's own (checked by the database as a slug), so it is safe in the query.
    [relationships, mentors] = await Promise.all([
      latestRuns(temporal, `ProgramId = '${program.id}' AND WorkflowType = 'relationshipWorkflow'`),
      latestRuns(temporal, `ProgramId = '${program.id}' AND WorkflowType = 'mentorWorkflow'`),
    ]);
  } catch (err) {
    log.error({ err, programId: program.id }, 'dashboard: the visibility store did not answer');
    return undefined;
  }
  const running = relationships.filter((r) => r.running);

  let unanswered = 0;
  const statuses = await inBatches(running, QUERY_CONCURRENCY, async (r) => {
    if (r.published && r.published !== 'erased') return r.published as RelationshipStatus;
    try {
      return await temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        statusOf(temporal.workflow.getHandle(r.workflowId), relationshipStatus, { patienceMs: 0 }),
      );
    } catch (err) {
      unanswered++;
      log.warn(
        { err, workflowId: r.workflowId },
        'dashboard: a relationship did not answer its status query',
      );
      return undefined;
    }
  });

  let proposalWaiting = false;
  let roundFailed = false;
  if (program.current_round) {
    try {
      const round = await temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        statusOf(temporal.workflow.getHandle(program.current_round!), roundStatus, { patienceMs: 0 }),
      );
      proposalWaiting = round.phase === 'approval';
    } catch (err) {
      roundFailed = true;
      log.warn({ err, round: program.current_round }, 'dashboard: the round did not answer its status query');
    }
  }

  const overdue: OverdueStep[] = [];
  let held = 0;
  let planned = 0;
  let moved = 0;
  let cancelled = 0;
  let missed = 0;
  /** Running relationships that do not count missed meetings themselves (started before they could). */
  const uncounted: string[] = [];
  statuses.forEach((status: RelationshipStatus | undefined, i) => {
    if (!status) return;
    held += status.meetings?.held ?? 0;
    planned += status.meetings?.planned ?? 0;
    moved += status.meetings?.moved ?? 0;
    cancelled += status.meetings?.cancelled ?? 0;
    if (status.meetings?.missed !== undefined) missed += status.meetings.missed;
    else uncounted.push(running[i]!.workflowId);
    for (const step of status.open)
      if (!step.answered && (step.remindersSent > 0 || step.escalated))
        overdue.push({
          workflowId: running[i]!.workflowId,
          name: '',
          href: '',
          stepId: step.stepId,
          form: step.formId,
          role: step.role,
          openedAt: step.openedAt,
          remindersSent: step.remindersSent,
          escalated: step.escalated,
        });
  });

  return {
    relationships,
    running,
    mentors,
    overdue,
    held,
    planned,
    moved,
    cancelled,
    missed,
    uncounted,
    unanswered,
    proposalWaiting,
    roundFailed,
  };
}

function phaseLabel(t: TFunction, phase: RelationshipPhase): string {
  return phase === 'closed' ? t('dashboard.phases.closed') : t(`phase.${phase}`);
}

function formName(t: TFunction, formId: string): string {
  return KNOWN_FORMS.has(formId) ? t('dashboard.form', { context: formId }) : formId;
}

function workflowView(
  t: TFunction,
  lang: Language,
  w: WorkflowFigures,
  /** The counts closed relationships recorded (missed: with the logs that say so of those that did not count). */
  closed: { held: number; planned: number; moved: number; cancelled: number; missed: number },
) {
  const count = new Map<RelationshipPhase, number>(RELATIONSHIP_PHASES.map((p) => [p, 0]));
  for (const r of w.relationships) {
    // A closed relationship is closed whatever phase it stood in (one ended or erased mid-way, say).
    const phase = !r.running ? 'closed' : ((r.phase ?? 'application') as RelationshipPhase);
    if (count.has(phase)) count.set(phase, count.get(phase)! + 1);
  }
  const phases = RELATIONSHIP_PHASES.map((phase) => ({
    phase,
    label: phaseLabel(t, phase),
    count: count.get(phase)!,
  }));

  const waiting = w.running.filter((r) => r.waitingFor === 'coordinator');
  const approvals = [
    { key: 'interviews', count: waiting.filter((r) => r.phase === 'interview').length },
    { key: 'matching', count: waiting.filter((r) => r.phase === 'matching').length },
    {
      key: 'decisions',
      count: waiting.filter((r) => r.phase !== 'interview' && r.phase !== 'matching').length,
    },
    {
      key: 'mentors',
      count: w.mentors.filter((m) => m.running && m.waitingFor === 'coordinator').length,
    },
    { key: 'proposal', count: w.proposalWaiting ? 1 : 0 },
  ].map((a) => ({ ...a, label: t(`dashboard.approvals.${a.key}`) }));

  const held = w.held + closed.held;
  const planned = w.planned + closed.planned;
  const moved = w.moved + closed.moved;
  const cancelled = w.cancelled + closed.cancelled;
  const missed = w.missed + closed.missed;
  return {
    phases,
    phaseChart: barChartSvg({
      title: t('dashboard.phases.chartTitle'),
      bars: phases.map((p) => ({ label: p.label, value: p.count })),
      lang,
      id: 'phase-chart',
    }),
    figures: {
      active: w.running.length,
      closed: count.get('closed'),
      approvals: approvals.reduce((sum, a) => sum + a.count, 0),
      overdue: w.overdue.length,
      escalated: w.overdue.filter((s) => s.escalated).length,
      mentorsInPool: w.mentors.filter((m) => m.running && m.phase === 'pool').length,
      held,
      planned,
      moved,
      cancelled,
      missed,
    },
    approvals: approvals.filter((a) => a.count > 0),
    overdue: w.overdue,
    unanswered: w.unanswered,
    roundFailed: w.roundFailed,
    meetingsChart: barChartSvg({
      title: t('dashboard.meetings.chartTitle'),
      bars: [
        { label: t('dashboard.meetings.held'), value: held },
        { label: t('dashboard.meetings.planned'), value: planned },
        { label: t('dashboard.meetings.moved'), value: moved },
        { label: t('dashboard.meetings.cancelled'), value: cancelled },
        { label: t('dashboard.meetings.missed'), value: missed },
      ],
      lang,
      id: 'meetings-chart',
    }),
  };
}

function outcomesView(t: TFunction, lang: Language, rows: { outcome: string; count: number }[]) {
  const byOutcome = new Map(rows.map((r) => [r.outcome, r.count]));
  const codes = [
    ...OUTCOMES,
    ...[...byOutcome.keys()].filter((o) => !(OUTCOMES as readonly string[]).includes(o)).sort(),
  ];
  const list = codes.map((code) => ({
    code,
    label: (OUTCOMES as readonly string[]).includes(code)
      ? t('dashboard.outcomes.outcome', { context: code })
      : code,
    count: byOutcome.get(code) ?? 0,
  }));
  return {
    list,
    total: list.reduce((sum, o) => sum + o.count, 0),
    chart: barChartSvg({
      title: t('dashboard.outcomes.chartTitle'),
      bars: list.map((o) => ({ label: o.label, value: o.count })),
      lang,
      id: 'outcome-chart',
    }),
  };
}
