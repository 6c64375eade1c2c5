/** The coordinator's first view: programmes, the applications each has received, and its current round. */
import type { FastifyInstance } from 'fastify';
import { canCoordinateProgram } from '../../lib/accounts.js';
import { pickLanguage, translator } from '../../lib/i18n.js';
import { absoluteUrl } from '../../lib/links.js';
import { roundStatus, type RoundStatus } from '../../workflows/messages.js';
import { matchingReview } from './matching-review.js';
import { statusOf } from '../../lib/workflow-status.js';

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

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId',
    { config: { access: 'program-reader' }, schema: { params: programParams } },
    async (request, reply) => {
      const user = request.adminUser!;
      const page = await programPage(request.params.programId, {
        canCoordinate: canCoordinateProgram(user, request.params.programId),
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
    const [program] = await sql<{ id: string; name: string; model: string; current_round: string | null }[]>`
      select id, name, model, current_round from programs where id = ${programId}`;
    if (!program) return undefined;
    const applications = await sql`
      select upper(left(a.id::text, 8)) as reference, a.role, a.submitted_at, a.workflow_id, a.participant_id,
             p.name, a.answers->>'department' as department
      from applications a join participants p on p.id = a.participant_id
      where a.program_id = ${program.id}
      order by a.submitted_at desc`;
    // Who waits for an interview, from Temporal's visibility store (phases are codes, never personal data).
    const awaitingInterview = new Set<string>();
    const query = `ProgramId = '${program.id}' AND Phase = 'interview' AND ExecutionStatus = 'Running'`;
    for await (const execution of temporal.workflow.list({ query }))
      awaitingInterview.add(execution.workflowId);
    for (const application of applications)
      application.awaitingInterview = awaitingInterview.has(application.workflow_id as string);
    const round = program.current_round
      ? await statusOf(temporal.workflow.getHandle(program.current_round), roundStatus)
      : undefined;
    return {
      title: program.name,
      program,
      applications,
      applyUrl: absoluteUrl(config.publicUrl, `programs/${program.id}/apply`),
      round: round && {
        ...roundView(round, applications as unknown as Applicant[]),
        review: await matchingReview(
          sql,
          round,
          nameIn(applications as unknown as Applicant[]),
          extra.matchingValues as Record<string, unknown> | undefined,
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

/** The round as the page shows it: people by name (from the database), never by workflow id alone. */
/** A person's name by their workflow id; the id itself when the application is not known here. */
function nameIn(applications: Applicant[]) {
  const byWorkflow = new Map(applications.map((a) => [a.workflow_id, a.name]));
  return (id: string) => byWorkflow.get(id) ?? id;
}

function roundView(round: RoundStatus, applications: Applicant[]) {
  const byWorkflow = new Map(applications.map((a) => [a.workflow_id, a]));
  const nameOf = nameIn(applications);
  const mentors = applications.filter((a) => a.role === 'mentor');
  const proposed = new Map(round.proposal?.pairs.map((p) => [p.relationshipId, p.mentorWorkflowId]));
  return {
    ...round,
    matching: round.phase === 'matching' || round.phase === 'approval',
    mentees: round.mentees.map((id) => ({
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
      reason,
    })),
  };
}
