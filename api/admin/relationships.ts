/**
 * The coordinator's relationship page: where one relationship (or a mentor) stands, what is due next,
 * its timeline, and the actions on it: send a form link again, decide on an overdue form, pause or
 * resume, end with a reason, rematch. Each action is an Update that carries the coordinator's user id;
 * the workflow's validator has the last word and its refusal is shown on the page.
 */
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { canCoordinateProgram } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { WORKFLOW_ID } from '../../services/workflow-history.js';
import {
  decideStep,
  endRelationship,
  mentorStatus,
  organisationChanged,
  pauseRelationship,
  relationshipStatus,
  rematchPair,
  resendLink,
  resumeRelationship,
  type Actor,
  type MentorStatus,
  type RelationshipStatus,
} from '../../workflows/messages.js';
import { currentForm, loadForm } from '../../services/form-store.js';
import { localize } from '../../domain/forms/definition.js';
import type { Language } from '../../platform/i18n.js';
import type { Sql } from '../../platform/db/connect.js';
import { answersOf, stepTitle, type Answerer } from './answers-view.js';
import { historyViewBuilder } from './timeline-view.js';
import { reason, registerActions } from './workflow-actions.js';
import { statusOf as publishedStatus } from '../../services/workflow-status.js';

const params = {
  type: 'object',
  required: ['programId', 'workflowId'],
  properties: {
    programId: { type: 'string', maxLength: 63 },
    workflowId: { type: 'string', pattern: WORKFLOW_ID.source },
  },
} as const;
type Params = { programId: string; workflowId: string };

const stepId = z.string().min(1).max(200);

/** A pair has ended once its mentee waits in the pool again (or the relationship has closed). */
const pairEnded = (s: RelationshipStatus) => s.phase === 'matching' || s.phase === 'closed';

/**
 * Every action of the page: its form's schema and the Update it sends. One route each, one mechanism:
 * parse, send with the coordinator's id, show the workflow's refusal or go back to the page.
 */
const ACTIONS = {
  resend: {
    schema: () => z.object({ stepId }),
    send: (h: WorkflowHandle, v: { stepId: string }, by: Actor) =>
      h.executeUpdate(resendLink, { args: [{ stepId: v.stepId, by }] }),
  },
  decide: {
    schema: (t: TFunction) =>
      z.object({
        stepId,
        decision: z.enum(['extend', 'skip', 'end'], { message: t('relationship.errors.decision') }),
        reason: reason(t),
      }),
    send: (
      h: WorkflowHandle,
      v: { stepId: string; decision: 'extend' | 'skip' | 'end'; reason: string },
      by: Actor,
    ) => h.executeUpdate(decideStep, { args: [{ ...v, by }] }),
  },
  pause: {
    schema: (t: TFunction) => z.object({ reason: reason(t) }),
    send: (h: WorkflowHandle, v: { reason: string }, by: Actor) =>
      h.executeUpdate(pauseRelationship, { args: [{ reason: v.reason, by }] }),
  },
  resume: {
    schema: () => z.object({}),
    send: (h: WorkflowHandle, _v: object, by: Actor) =>
      h.executeUpdate(resumeRelationship, { args: [{ by }] }),
  },
  end: {
    schema: (t: TFunction) => z.object({ reason: reason(t) }),
    send: (h: WorkflowHandle, v: { reason: string }, by: Actor) =>
      h.executeUpdate(endRelationship, { args: [{ reason: v.reason, by }] }),
    settled: (s: RelationshipStatus) => s.phase === 'closed',
  },
  rematch: {
    schema: (t: TFunction) => z.object({ reason: reason(t) }),
    send: (h: WorkflowHandle, v: { reason: string }, by: Actor) =>
      h.executeUpdate(rematchPair, { args: [{ reason: v.reason, by }] }),
    settled: pairEnded,
  },
  // The rule of the programme: a mentor and a mentee in one unit or a reporting line cannot go on.
  'organisational-change': {
    schema: (t: TFunction) =>
      z.object({
        change: z.enum(['same-unit', 'reporting-line'], { message: t('relationship.errors.change') }),
      }),
    send: (h: WorkflowHandle, v: { change: 'same-unit' | 'reporting-line' }, by: Actor) =>
      h.executeUpdate(organisationChanged, { args: [{ change: v.change, by }] }),
    settled: pairEnded,
  },
} satisfies Record<
  string,
  {
    schema: (t: TFunction) => z.ZodObject;
    send: (h: WorkflowHandle, v: never, by: Actor) => Promise<void>;
    settled?: (status: never) => boolean;
  }
>;

interface Person {
  role: 'mentee' | 'mentor';
  name: string;
  reference: string;
  participant_id: string;
  department: string | null;
}

export async function relationshipRoutes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;
  const historyView = historyViewBuilder(app);

  async function person(programId: string, workflowId: string): Promise<Person | undefined> {
    const [row] = await sql<Person[]>`
      select a.role, p.name, upper(left(a.id::text, 8)) as reference, a.participant_id::text,
             a.answers->>'department' as department
      from applications a join participants p on p.id = a.participant_id
      where a.workflow_id = ${workflowId} and a.program_id = ${programId}`;
    return row;
  }

  /**
   * A completed relationship whose final evaluations were not all given (the coordinator went on
   * without one): its outcome says which, so "Completed" never hides a skipped step.
   */
  async function evaluationsNotGiven(
    programId: string,
    workflowId: string,
    t: TFunction,
    lang: Language,
  ): Promise<string[]> {
    const given = await sql<{ role: string }[]>`
      select role from form_submissions where workflow_id = ${workflowId} and step_id like '%/final-evaluation/%'`;
    const form = await currentForm(sql, programId, 'final-evaluation');
    const title = form ? localize(form, lang).title : 'final-evaluation';
    return (['mentee', 'mentor'] as const)
      .filter((role) => !given.some((g) => g.role === role))
      .map((role) => t('answers.skipped', { title, who: t(`audit.role.${role}`) }));
  }

  /**
   * The workflow's own view of where it stands; none once the server no longer has the workflow (closed
   * longer ago than its retention, or erased): the page then shows the application and the timeline.
   * Anything else, a Temporal server that is down above all, fails the page, which answers 503.
   */
  async function statusOf(workflowId: string, role: Person['role']) {
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      return role === 'mentee'
        ? { relationship: await publishedStatus(handle, relationshipStatus) }
        : { mentor: await publishedStatus(handle, mentorStatus) };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return {};
      throw err;
    }
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    code = 200,
  ) {
    const { programId, workflowId } = request.params as Params;
    const lang = pickLanguage(request.pageContext.lang);
    const t = translator(lang);
    const who = await person(programId, workflowId);
    if (!who) return reply.callNotFound();
    const [program] = await sql<{ name: string }[]>`select name from programs where id = ${programId}`;
    const { relationship, mentor } = await statusOf(workflowId, who.role);
    const mentorName = relationship?.mentor
      ? ((
          await sql<{ name: string }[]>`
            select name from participants where id = ${relationship.mentor.mentorParticipantId}`
        )[0]?.name ?? '')
      : undefined;
    const user = request.adminUser!;
    const open = relationship && relationship.phase !== 'closed';
    // Whose answers the page shows: the mentee's application and forms, and the mentor of the pair.
    const people: Answerer[] = [
      { participantId: who.participant_id, role: who.role, workflowId },
      ...(relationship?.mentor
        ? [
            {
              participantId: relationship.mentor.mentorParticipantId,
              role: 'mentor' as const,
              workflowId: relationship.mentor.mentorWorkflowId,
            },
          ]
        : []),
    ];
    const done = (request.query as { done?: string } | undefined)?.done;
    return reply.page(
      'admin-relationship',
      {
        title: t('relationship.title', { name: who.name }),
        program: { id: programId, name: program?.name ?? programId },
        workflowId,
        person: who,
        roleLabel: t(`audit.role.${who.role}`),
        relationship: relationship && (await describe(sql, t, lang, relationship, mentorName)),
        answers: await answersOf(sql, programId, workflowId, people, t, lang),
        notGiven:
          relationship?.outcome === 'completed'
            ? await evaluationsNotGiven(programId, workflowId, t, lang)
            : [],
        mentor: mentor && describeMentor(t, mentor),
        canAct: open && canCoordinateProgram(user, programId),
        // The interview is recorded here too, beside the application it is prepared from.
        canInterview:
          canCoordinateProgram(user, programId) &&
          (relationship?.phase === 'interview' || mentor?.phase === 'interview'),
        canDownload: user.isAuditor || user.isAdministrator,
        history: await historyView(workflowId, t, lang),
        // The action just taken, confirmed above the state it led to.
        done: done && done in ACTIONS && !extra.actionError ? done : undefined,
        ...extra,
      },
      code,
    );
  }

  app.get<{ Params: Params }>(
    '/programs/:programId/relationships/:workflowId',
    { config: { access: 'program-reader' }, schema: { params } },
    (request, reply) => page(request, reply),
  );

  registerActions(app, {
    path: '/programs/:programId/relationships/:workflowId',
    params,
    actions: ACTIONS,
    // Only a mentee's relationship takes these actions; a mentor's page shows, but has none.
    workflowOf: async ({ programId, workflowId }) =>
      (await person(programId!, workflowId!))?.role === 'mentee' ? workflowId : undefined,
    page,
    back: ({ programId, workflowId }, name) =>
      `${basePath(config.publicUrl)}admin/programs/${programId}/relationships/${workflowId}?done=${name}`,
    closedKey: 'relationship.errors.closed',
    statusOf: (workflowId) => publishedStatus(temporal.workflow.getHandle(workflowId), relationshipStatus),
  });
}

/**
 * Who the relationship waits for in words: the people its open forms ask ("the mentee and the mentor"),
 * the coordinator, or nobody, which reads differently while meetings go on and once it has closed.
 */
function waitingWords(t: TFunction, status: RelationshipStatus | MentorStatus, open: { role: string }[]) {
  if (status.phase === 'closed') return t('relationship.waitingFor.closed');
  if (status.waitingFor === 'participant' && open.length > 0)
    return [...new Set(open.map((s) => t(`audit.role.${s.role}`)))].join(t('relationship.and'));
  return t(`relationship.waitingFor.${status.waitingFor}`);
}

/** The relationship's state in words of the page's language. */
async function describe(
  sql: Sql,
  t: TFunction,
  lang: Language,
  status: RelationshipStatus,
  mentorName: string | undefined,
) {
  const closed = status.phase === 'closed';
  // A step answered a moment ago, its answer being stored, waits for nobody.
  const open = status.open.filter((step) => !step.answered);
  return {
    ...status,
    // A closed relationship has no next meeting, whatever its last published schedule said.
    meetings: status.meetings && { ...status.meetings, nextAt: closed ? undefined : status.meetings.nextAt },
    phaseLabel: t(`phase.${status.phase}`),
    waitingLabel: waitingWords(t, status, open),
    outcomeLabel: status.outcome ? t(`relationship.outcome.${status.outcome}`) : undefined,
    mentorName,
    canRematch: !!status.mentor && (status.phase === 'kickoff' || status.phase === 'meetings'),
    settings: status.settings && [
      { label: t('settings.field.duration'), value: status.settings.duration },
      { label: t('settings.field.meetingCadence'), value: status.settings.meetingCadence },
      { label: t('settings.field.meetingReminderBefore'), value: status.settings.meetingReminderBefore },
      { label: t('settings.field.formReminderAfter'), value: status.settings.formReminderAfter },
      { label: t('settings.field.formReminders'), value: String(status.settings.formReminders) },
      {
        label: t('settings.field.managerEndorsement'),
        value: t(status.settings.managerEndorsement ? 'relationship.yes' : 'relationship.no'),
      },
    ],
    open: await Promise.all(
      open.map(async (step) => {
        const form = await loadForm(sql, status.programId, { id: step.formId, version: step.formVersion });
        return {
          ...step,
          title: stepTitle(step.stepId, form ? localize(form, lang).title : step.formId, t),
          roleLabel: t(`audit.role.${step.role}`),
        };
      }),
    ),
  };
}

function describeMentor(t: TFunction, status: MentorStatus) {
  return {
    ...status,
    phaseLabel: t(`phase.${status.phase}`),
    waitingLabel: waitingWords(t, status, []),
  };
}
