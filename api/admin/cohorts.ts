/**
 * A learning network's cohorts in the admin: start one with its gatherings (the template's themes as
 * defaults), and steer it from its page: approve or decline enrolments, withdraw an organisation, move a
 * gathering, record who came, decide on an overdue final evaluation; read its homework, its history and,
 * at the end, its report (also as CSV).
 */
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import type { CohortReport } from '../../activities/cohorts.js';
import { canCoordinateProgram } from '../../services/accounts.js';
import { toCsv } from './csv.js';
import { pinForms } from '../../services/form-store.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { absoluteUrl, basePath } from '../../platform/links.js';
import { cohortSettings } from '../../services/program-settings.js';
import { durationMs } from '../../workflows/durations.js';
import { findTemplate, templateIn } from '../../domain/program-templates.js';
import {
  COHORT_FORMS,
  cohortStatus,
  decideEnrolment,
  moveGathering,
  recordAttendance,
  withdrawOrganisation,
  type CohortStatus,
} from '../../workflows/cohort-messages.js';
import { decideStep, type Actor } from '../../workflows/messages.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';
import { historyViewBuilder } from './timeline-view.js';
import { reason, registerActions, type WorkflowAction } from './workflow-actions.js';
import { statusOf } from '../../services/workflow-status.js';

const programParams = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;
const cohortParams = {
  type: 'object',
  required: ['programId', 'number'],
  properties: {
    programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    number: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
} as const;
type CohortParams = { programId: string; number: string };

export const cohortWorkflowId = (programId: string, number: number | string) =>
  `cohort-${programId}-${number}`;
/** The default spacing of gatherings: seven over two years. */
const SPACING_DAYS = 105;

const uuid = z.uuid();
/** A `datetime-local` value, read as UTC (the pages say so). */
const localDate = (t: TFunction) =>
  z.iso
    .datetime({ local: true, message: t('cohort.errors.date') })
    .transform((v) => new Date(`${v.length === 16 ? `${v}:00` : v}Z`).toISOString());

const ACTIONS: Record<string, WorkflowAction> = {
  enrolment: {
    schema: (t) =>
      z.object({
        organisationId: uuid,
        decision: z.enum(['approve', 'decline'], { message: t('cohort.errors.decision') }),
        reason: z.string().max(2000).default(''),
      }),
    send: (
      h: WorkflowHandle,
      v: { organisationId: string; decision: 'approve' | 'decline'; reason: string },
      by: Actor,
    ) => h.executeUpdate(decideEnrolment, { args: [{ ...v, by }] }),
  },
  withdraw: {
    schema: (t) => z.object({ organisationId: uuid, reason: reason(t) }),
    send: (h: WorkflowHandle, v: { organisationId: string; reason: string }, by: Actor) =>
      h.executeUpdate(withdrawOrganisation, { args: [{ ...v, by }] }),
  },
  move: {
    schema: (t) =>
      z.object({
        gathering: z.coerce.number().int().min(1),
        date: localDate(t),
        place: z.string().trim().max(200).default(''),
        reason: reason(t),
      }),
    send: (
      h: WorkflowHandle,
      v: { gathering: number; date: string; place: string; reason: string },
      by: Actor,
    ) =>
      h.executeUpdate(moveGathering, {
        args: [{ number: v.gathering, date: v.date, place: v.place, reason: v.reason, by }],
      }),
  },
  attendance: {
    schema: () =>
      z.object({
        gathering: z.coerce.number().int().min(1),
        present: z
          .union([uuid, z.array(uuid)])
          .optional()
          .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
      }),
    send: (h: WorkflowHandle, v: { gathering: number; present: string[] }, by: Actor) =>
      h.executeUpdate(recordAttendance, { args: [{ number: v.gathering, present: v.present, by }] }),
  },
  decide: {
    schema: (t) =>
      z.object({
        stepId: z.string().min(1).max(200),
        // Ending is not a cohort coordinator's choice through one organisation's form.
        decision: z.enum(['extend', 'skip'], { message: t('relationship.errors.decision') }),
        reason: reason(t),
      }),
    send: (
      h: WorkflowHandle,
      v: { stepId: string; decision: 'extend' | 'skip'; reason: string },
      by: Actor,
    ) => h.executeUpdate(decideStep, { args: [{ ...v, by }] }),
  },
};

interface Person {
  id: string;
  organisation_id: string;
  role: string;
  name: string;
  email: string;
}

export async function cohortRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue, config } = app.services;
  const historyView = historyViewBuilder(app);
  const base = basePath(config.publicUrl);

  async function program(programId: string) {
    const [row] = await sql<
      { id: string; name: string; language: string; settings: Record<string, unknown> }[]
    >`select id, name, language, settings from programs where id = ${programId}`;
    return row;
  }

  /** The programme's cohorts and, for coordinators, the form for a new one. */
  async function listPage(
    request: FastifyRequest<{ Params: { programId: string } }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    code = 200,
  ) {
    const t = translator(pickLanguage(request.pageContext.lang));
    const p = await program(request.params.programId);
    if (!p) return reply.callNotFound();
    const cohorts = await sql<{ number: number; workflow_id: string; created_at: Date }[]>`
      select number, workflow_id, created_at from cohorts where program_id = ${p.id} order by number`;
    // The themes start as the template's, in the programme's language: its members read them.
    const template =
      findTemplate(String(p.settings.template ?? 'learning-network')) ?? findTemplate('learning-network')!;
    const themes =
      templateIn(template, pickLanguage(p.language)).gatherings ??
      templateIn(findTemplate('learning-network')!, pickLanguage(p.language)).gatherings!;
    const start = Date.now() + 30 * 86_400_000;
    const gatherings = themes.map((theme, i) => ({
      number: i + 1,
      date: new Date(start + i * SPACING_DAYS * 86_400_000).toISOString().slice(0, 11) + '09:00',
      place: '',
      theme,
    }));
    return reply.page(
      'admin-cohorts',
      {
        title: t('cohort.list.title', { programme: p.name }),
        program: p,
        cohorts,
        gatherings: (extra.gatherings as unknown[]) ?? gatherings,
        canCoordinate: canCoordinateProgram(request.adminUser!, p.id),
        enrolUrl: absoluteUrl(config.publicUrl, `programs/${p.id}/enrol`),
        ...extra,
      },
      code,
    );
  }

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/cohorts',
    { config: { access: 'program-reader' }, schema: { params: programParams } },
    (request, reply) => listPage(request, reply),
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/cohorts',
    { config: { access: 'program-coordinator' }, schema: { params: programParams } },
    async (request, reply) => {
      const t = translator(pickLanguage(request.pageContext.lang));
      const p = await program(request.params.programId);
      if (!p) return reply.callNotFound();
      const body = request.body ?? {};
      // The rows as typed: `date-1`, `place-1`, `theme-1`, … Empty rows at the end are left out.
      const rows: { number: number; date: string; place: string; theme: string }[] = [];
      for (let n = 1; n <= 20; n++) {
        const [date, place, theme] = ['date', 'place', 'theme'].map((f) =>
          String(body[`${f}-${n}`] ?? '').trim(),
        );
        if (date || place || theme) rows.push({ number: n, date: date!, place: place!, theme: theme! });
      }
      const problems: string[] = [];
      const gatherings = rows.map((row) => {
        const date = localDate(t).safeParse(row.date);
        if (!date.success) problems.push(t('cohort.errors.gatheringDate', { number: row.number }));
        if (!row.theme) problems.push(t('cohort.errors.theme', { number: row.number }));
        if (!row.place) problems.push(t('cohort.errors.place', { number: row.number }));
        return {
          date: date.success ? date.data : '',
          place: row.place.slice(0, 200),
          theme: row.theme.slice(0, 200),
        };
      });
      if (gatherings.length === 0) problems.push(t('cohort.errors.none'));
      const times = gatherings.map((g) => new Date(g.date).getTime());
      if (
        problems.length === 0 &&
        times.some((time, i) => (i === 0 ? time <= Date.now() : time <= times[i - 1]!))
      )
        problems.push(t('cohort.errors.order'));
      // Homework given after a gathering is due a while before the next: the gap must leave room for it.
      const { homeworkDueBefore } = cohortSettings(p.settings);
      if (problems.length === 0)
        for (let i = 1; i < times.length; i++)
          if (times[i]! - times[i - 1]! <= durationMs(homeworkDueBefore, new Date(times[i]!)))
            problems.push(
              t('cohort.errors.homeworkGap', { number: i + 1, previous: i, before: homeworkDueBefore }),
            );
      if (problems.length > 0)
        return listPage(request, reply, { gatherings: rows, newError: problems.join(' ') }, 400);

      const [row] = await sql<{ next: number }[]>`
        select coalesce(max(number), 0) + 1 as next from cohorts where program_id = ${p.id}`;
      const number = row!.next;
      const workflowId = cohortWorkflowId(p.id, number);
      try {
        await temporal.workflow.start('cohortWorkflow', {
          workflowId,
          taskQueue,
          args: [
            {
              programId: p.id,
              number,
              gatherings,
              settings: cohortSettings(p.settings),
              forms: await pinForms(sql, p.id, COHORT_FORMS),
              openedBy: { userId: request.adminUser!.id },
            },
          ],
          typedSearchAttributes: [
            { key: ProgramId, value: p.id },
            { key: Phase, value: 'enrolment' },
            { key: WaitingFor, value: 'participant' },
          ],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        // Two coordinators a moment apart (the other's cohort stands), or a start whose row was never
        // written (the process stopped in between): either way the row is written now.
        await sql`insert into cohorts (workflow_id, program_id, number) values (${workflowId}, ${p.id}, ${number}) on conflict do nothing`;
        return reply.redirect(`${base}admin/programs/${p.id}/cohorts`, 303);
      }
      await sql`insert into cohorts (workflow_id, program_id, number) values (${workflowId}, ${p.id}, ${number}) on conflict do nothing`;
      request.log.info({ programId: p.id, number, by: request.adminUser!.id }, 'cohort started');
      return reply.redirect(`${base}admin/programs/${p.id}/cohorts/${number}`, 303);
    },
  );

  async function cohortWorkflow(programId: string, number: string) {
    const [row] = await sql<{ workflow_id: string }[]>`
      select workflow_id from cohorts where program_id = ${programId} and number = ${Number(number)}`;
    return row?.workflow_id;
  }

  async function cohortPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    code = 200,
  ) {
    const { programId, number } = request.params as CohortParams;
    const lang = pickLanguage(request.pageContext.lang);
    const t = translator(lang);
    const workflowId = await cohortWorkflow(programId, number);
    const p = await program(programId);
    if (!workflowId || !p) return reply.callNotFound();
    let status: CohortStatus | undefined;
    try {
      status = await statusOf(temporal.workflow.getHandle(workflowId), cohortStatus);
    } catch (err) {
      request.log.warn({ err: (err as Error).message, workflowId }, 'cohort: status query failed');
    }
    const people = await sql<Person[]>`
      select m.id::text, m.organisation_id::text, m.role, m.name, m.email
      from cohort_members m join cohort_organisations o on o.id = m.organisation_id
      where o.cohort_workflow_id = ${workflowId} order by o.enrolled_at, m.role desc, m.name`;
    const orgRows = await sql<{ id: string; name: string; motivation: string }[]>`
      select id::text, name, motivation from cohort_organisations where cohort_workflow_id = ${workflowId}`;
    const [stored] = await sql<{ report: CohortReport }[]>`
      select report from cohort_reports where cohort_workflow_id = ${workflowId}`;
    return reply.page(
      'admin-cohort',
      {
        title: t('cohort.page.title', { number, programme: p.name }),
        program: p,
        number,
        workflowId,
        canAct: canCoordinateProgram(request.adminUser!, programId) && status && status.phase !== 'closed',
        canDownload: request.adminUser!.isAuditor || request.adminUser!.isAdministrator,
        enrolUrl: absoluteUrl(config.publicUrl, `programs/${programId}/enrol`),
        cohort: status && cohortView(t, status, people, orgRows),
        report: stored?.report,
        history: await historyView(workflowId, t, lang),
        ...extra,
      },
      code,
    );
  }

  app.get<{ Params: CohortParams }>(
    '/programs/:programId/cohorts/:number',
    { config: { access: 'program-reader' }, schema: { params: cohortParams } },
    (request, reply) => cohortPage(request, reply),
  );

  app.get<{ Params: CohortParams }>(
    '/programs/:programId/cohorts/:number/report.csv',
    { config: { access: 'program-reader' }, schema: { params: cohortParams } },
    async (request, reply) => {
      const workflowId = await cohortWorkflow(request.params.programId, request.params.number);
      const [stored] = workflowId
        ? await sql<
            { report: CohortReport }[]
          >`select report from cohort_reports where cohort_workflow_id = ${workflowId}`
        : [];
      if (!stored) return reply.callNotFound();
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${workflowId}-report.csv"`)
        .send(reportCsv(stored.report));
    },
  );

  registerActions(app, {
    path: '/programs/:programId/cohorts/:number',
    params: cohortParams,
    actions: ACTIONS,
    workflowOf: ({ programId, number }) => cohortWorkflow(programId!, number!),
    page: cohortPage,
    back: ({ programId, number }, name) =>
      `${base}admin/programs/${programId}/cohorts/${number}?done=${name}`,
    closedKey: 'cohort.errors.closed',
  });
}

/** The cohort as its page shows it: organisations and people by name, gatherings, homework. */
function cohortView(
  t: TFunction,
  status: CohortStatus,
  people: Person[],
  orgRows: { id: string; name: string; motivation: string }[],
) {
  const orgName = new Map(orgRows.map((o) => [o.id, o.name]));
  const person = new Map(people.map((p) => [p.id, p]));
  const nameOf = (id: string) => person.get(id)?.name ?? t('audit.erased');
  const now = Date.now();
  const organisations = status.organisations.map((o) => ({
    ...o,
    name: orgName.get(o.id) ?? t('audit.erased'),
    motivation: orgRows.find((r) => r.id === o.id)?.motivation,
    stateLabel: t(`cohort.state.${o.state}`),
    leader: person.get(o.leaderId),
    members: o.memberIds.map((id) => ({ id, name: nameOf(id), email: person.get(id)?.email })),
  }));
  const current = status.gatherings[status.current - 1];
  return {
    ...status,
    phaseLabel: t(`cohort.phase.${status.phase}`),
    waitingLabel: t(`relationship.waitingFor.${status.waitingFor}`),
    pending: organisations.filter((o) => o.state === 'pending'),
    organisations: organisations.filter((o) => o.state !== 'pending'),
    gatherings: status.gatherings.map((g) => ({
      ...g,
      begun: g.number < status.current || (g.number === status.current && now >= new Date(g.date).getTime()),
      present: g.attendance?.present.length,
      dateInput: g.date.slice(0, 16),
    })),
    attendanceFor:
      status.attendanceDue && current
        ? {
            number: current.number,
            organisations: organisations
              .filter((o) => o.state === 'approved')
              .map((o) => ({ name: o.name, members: o.members })),
          }
        : undefined,
    homework: status.homework.map((h) => ({
      ...h,
      organisation: orgName.get(h.organisationId) ?? t('audit.erased'),
      overdue: !h.deliveredAt && now > new Date(h.dueAt).getTime(),
    })),
    escalated: status.open
      .filter((s) => s.escalated && !s.answered)
      .map((s) => ({ ...s, who: s.memberId ? nameOf(s.memberId) : '' })),
    // Every form the cohort waits for: whose, which, since when, reminders, and when it counts as missing.
    openForms: status.open
      .filter((s) => !s.answered)
      .map((s) => {
        const after = /^gathering-(\d+)\//.exec(s.stepId)?.[1];
        return {
          ...s,
          who: s.memberId ? nameOf(s.memberId) : '',
          organisation: organisations.find((o) => s.memberId && o.memberIds.includes(s.memberId))?.name ?? '',
          form: t(`cohort.openForms.form.${s.formId}`, { defaultValue: s.formId }),
          after,
        };
      }),
  };
}

/** The report as CSV: one row a gathering, then one row an organisation. */
export function reportCsv(report: CohortReport): string {
  const gatherings = report.gatherings.map((g) => [
    'gathering',
    g.number,
    g.date,
    g.place,
    g.theme,
    g.movedFrom ?? '',
    g.organisationsPresent,
    g.membersPresent,
    g.membersInvited,
    g.evaluations,
    g.averageScore ?? '',
  ]);
  const organisations = report.organisations.map((o) => [
    'organisation',
    o.name,
    o.state,
    o.joinedAt ?? '',
    o.gatheringsAttended,
    o.homeworkOnTime,
    o.homeworkLate,
    o.homeworkMissing,
    o.guidanceSessions,
    o.finalScore ?? '',
    o.programme ?? '',
  ]);
  return toCsv([
    [
      'kind',
      'number',
      'date',
      'place',
      'theme',
      'moved_from',
      'organisations_present',
      'members_present',
      'members_invited',
      'evaluations',
      'average_score',
    ],
    ...gatherings,
    [
      'kind',
      'organisation',
      'state',
      'joined_at_gathering',
      'gatherings_attended',
      'homework_on_time',
      'homework_late',
      'homework_missing',
      'guidance_sessions',
      'final_score',
      'programme',
    ],
    ...organisations,
  ]);
}
