/** The coordinator's first view: programmes, the applications each has received, and its current round. */
import type { FastifyInstance } from 'fastify';
import { canCoordinateProgram } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { absoluteUrl } from '../../platform/links.js';
import { roundStatus, type RoundStatus } from '../../workflows/messages.js';
import { matchingReview } from './matching-review.js';
import { statusOf } from '../../services/workflow-status.js';
import { readPool, type ProgramPool } from '../../services/pool.js';
import { matchingSettings, takesMentors } from '../../services/program-settings.js';
import type { Client } from '@temporalio/client';

const DONE = new Set(['paired', 'intake-open', 'intake-closed', 'interviewed']);
const REFUSALS = { 'mentee-not-waiting': 1, 'mentor-not-free': 1, 'not-running': 1 };

const programParams = {
  type: 'object',
  properties: { programId: { type: 'string', maxLength: 63 } },
} as const;

export async function programRoutes(app: FastifyInstance) {
  const { sql } = app.services;
  const programPage = programPageBuilder(app);

  app.get('/', async (request, reply) => {
    const user = request.adminUser!;
    const everything = user.isAdministrator || user.isAuditor;
    const programs = await sql`
      select p.id, p.name, p.applications_open, count(a.id)::int as applications
      from programs p left join applications a on a.program_id = p.id
      where ${everything ? sql`true` : sql`p.id = any(${sql.array(user.coordinates)}::text[])`}
      group by p.id order by p.created_at, p.id`;
    const t = translator(pickLanguage(request.pageContext.lang));
    return reply.page('admin-programs', { title: t('admin.programs.title'), programs });
  });

  app.get<{ Params: { programId: string }; Querystring: { done?: string } }>(
    '/programs/:programId',
    { config: { access: 'program-reader' }, schema: { params: programParams } },
    async (request, reply) => {
      const user = request.adminUser!;
      const done = request.query.done;
      const page = await programPage(request.params.programId, {
        canCoordinate: canCoordinateProgram(user, request.params.programId),
        // What the coordinator just did, confirmed on the page that shows its result.
        done: done && DONE.has(done) ? done : undefined,
      });
      if (!page) return reply.callNotFound();
      return reply.page('admin-program', page);
    },
  );
}

/** Everything the programme page shows; the round forms re-render it with their errors and values. */
export function programPageBuilder(app: FastifyInstance) {
  const { sql, config, temporal } = app.services;
  return async function programPage(programId: string, extra: Record<string, unknown> = {}) {
    const [program] = await sql<
      {
        id: string;
        name: string;
        model: string;
        current_round: string | null;
        applications_open: boolean;
        settings: unknown;
        round_open: boolean;
        round_number: number | null;
      }[]
    >`
      select p.id, p.name, p.model, p.current_round, p.applications_open, p.settings,
             r.workflow_id is not null and r.closed_at is null as round_open, r.number as round_number
      from programs p left join program_rounds r on r.workflow_id = p.current_round
      where p.id = ${programId}`;
    if (!program) return undefined;
    if (program.model === 'learning-network')
      return {
        title: program.name,
        program,
        learningNetwork: true,
        enrolUrl: absoluteUrl(config.publicUrl, `programs/${program.id}/enrol`),
        canCoordinate: false,
        ...extra,
      };
    // Each application with its interview's outcome and the manager's endorsement, where given.
    const applications = await sql`
      select upper(left(a.id::text, 8)) as reference, a.role, a.submitted_at, a.workflow_id, a.participant_id,
             p.name, a.answers->>'department' as department,
             i.outcome as interview_outcome, i.reason as interview_reason,
             e.answers->>'endorse' as endorsement, e.answers->>'comment' as endorsement_comment
      from applications a join participants p on p.id = a.participant_id
      left join interview_records i on i.workflow_id = a.workflow_id
      left join form_submissions e on e.workflow_id = a.workflow_id and e.step_id = 'endorsement'
      where a.program_id = ${program.id}
      order by a.submitted_at desc`;
    // Who waits for an interview, from Temporal's visibility store (phases are codes, never personal data).
    const awaitingInterview = new Set<string>();
    const query = `ProgramId = '${program.id}' AND Phase = 'interview' AND ExecutionStatus = 'Running'`;
    for await (const execution of temporal.workflow.list({ query }))
      awaitingInterview.add(execution.workflowId);
    for (const application of applications)
      // Recorded here a moment before the visibility store follows: the form goes at once.
      application.awaitingInterview =
        awaitingInterview.has(application.workflow_id as string) && !application.interview_outcome;
    const round = program.current_round
      ? await statusOf(temporal.workflow.getHandle(program.current_round), roundStatus)
      : undefined;
    const nameOf = nameIn(applications as unknown as Applicant[]);
    return {
      title: program.name,
      program,
      applications,
      intake: {
        // One state for the mentee form, worded the same here as on the form itself.
        mentees: program.round_open ? 'round' : program.applications_open ? 'open' : 'closed',
        round: program.round_number,
        mentors: takesMentors(program.settings),
      },
      pool: await poolView(
        temporal,
        program.id,
        applications as unknown as Applicant[],
        extra.suggested as Map<string, string> | undefined,
      ),
      applyUrl: absoluteUrl(config.publicUrl, `programs/${program.id}/apply`),
      mentorUrl: absoluteUrl(config.publicUrl, `programs/${program.id}/mentor`),
      round: round && {
        ...roundView(round, applications as unknown as Applicant[], await readPool(temporal, program.id)),
        review: await matchingReview(
          sql,
          round,
          nameOf,
          extra.matchingValues as Record<string, unknown> | undefined,
          matchingSettings(program.settings),
        ),
      },
      canCoordinate: false,
      ...extra,
    };
  };
}

interface Applicant {
  workflow_id: string;
  name: string;
  role: 'mentee' | 'mentor';
  department: string | null;
}

/** A person's name by their workflow id; the id itself when the application is not known here. */
function nameIn(applications: Applicant[]) {
  const byWorkflow = new Map(applications.map((a) => [a.workflow_id, a.name]));
  return (id: string) => byWorkflow.get(id) ?? id;
}

/** The round as the page shows it; its hand proposal pairs anyone in the programme's pool. */
function roundView(round: RoundStatus, applications: Applicant[], pool: ProgramPool) {
  const byWorkflow = new Map(applications.map((a) => [a.workflow_id, a]));
  const nameOf = nameIn(applications);
  const free = new Set(pool.mentors.map((m) => m.workflowId));
  const mentors = applications.filter((a) => a.role === 'mentor' && free.has(a.workflow_id));
  const proposed = new Map(round.proposal?.pairs.map((p) => [p.relationshipId, p.mentorWorkflowId]));
  return {
    ...round,
    matching: round.phase === 'matching' || round.phase === 'approval',
    menteesInRound: round.mentees.length,
    mentees: pool.mentees.map(({ workflowId: id }) => ({
      id,
      name: nameOf(id),
      department: byWorkflow.get(id)?.department,
      mentors: mentors.map((m) => ({
        id: m.workflow_id,
        name: m.name,
        selected: proposed.get(id) === m.workflow_id,
      })),
    })),
    proposal: round.proposal && {
      ...round.proposal,
      pairs: round.proposal.pairs.map((p) => ({
        mentee: nameOf(p.relationshipId),
        mentor: nameOf(p.mentorWorkflowId),
      })),
    },
    assigned: round.assigned.map((p) => ({
      mentee: nameOf(p.relationshipId),
      mentor: nameOf(p.mentorWorkflowId),
    })),
    refused: round.refused.map(({ pair, reason }) => ({
      mentee: nameOf(pair.relationshipId),
      mentor: nameOf(pair.mentorWorkflowId),
      // A refusal code of services/pool.ts; a round of an older version kept a sentence.
      reason,
      code: reason in REFUSALS ? reason : undefined,
    })),
  };
}

/**
 * The pool as the page shows it: who waits since when, the mentors with free places, and for each
 * mentee a choice of those mentors (the suggested one chosen, when the coordinator asked for suggestions).
 */
async function poolView(
  temporal: Client,
  programId: string,
  applications: Applicant[],
  suggested: Map<string, string> | undefined,
) {
  const pool = await readPool(temporal, programId);
  const byWorkflow = new Map(applications.map((a) => [a.workflow_id, a]));
  const mentors = pool.mentors
    .filter((m) => byWorkflow.has(m.workflowId))
    .map((m) => ({ ...m, name: byWorkflow.get(m.workflowId)!.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    mentees: pool.mentees
      .filter((m) => byWorkflow.has(m.workflowId))
      .map((m) => ({
        workflowId: m.workflowId,
        name: byWorkflow.get(m.workflowId)!.name,
        department: byWorkflow.get(m.workflowId)!.department,
        since: m.since,
        suggested: suggested?.get(m.workflowId),
        mentors: mentors.map((mentor) => ({
          id: mentor.workflowId,
          name: mentor.name,
          selected: suggested?.get(m.workflowId) === mentor.workflowId,
        })),
      })),
    mentors,
    suggestions: suggested !== undefined,
  };
}
