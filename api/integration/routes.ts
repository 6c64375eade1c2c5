/** The integration API's routes: programmes, invitations, relationships. */
import { STATUS_IN_QUERIES } from '../../services/workflow-history.js';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import { organisationChanged } from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { refusalType } from '../refusals.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { absoluteUrl } from '../../platform/links.js';
import { createProgram, findProgram, type NewProgram } from '../../services/programs.js';
import {
  saveSettings,
  settingsProblems,
  takesMentors,
  type EditableSettings,
} from '../../services/program-settings.js';
import { translator } from '../../platform/i18n.js';
import type { InvitationsInput, invitationsWorkflow } from '../../workflows/invitations.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';
import {
  errors,
  invitationsBody,
  invitationsResult,
  MAX_INVITATIONS,
  newProgram,
  programParams,
  organisationalChange,
  organisationalChangeResult,
  relationshipParams,
  relationships,
  settingsChange,
} from './schemas.js';

/** 500 invitations of long names and addresses, with room to spare; the site's default is 64 KB. */
const INVITATIONS_BODY_LIMIT = MAX_INVITATIONS * 1024;

interface Invitee {
  name: string;
  email: string;
  role: 'mentee' | 'mentor';
  language?: string;
}

/** Temporal's status names as its visibility queries write them (`ExecutionStatus = 'Running'`). */
const STATUS: Record<string, string> = { ...STATUS_IN_QUERIES, PAUSED: 'Paused' };

const programRef = { $ref: 'Program#' } as const;

export async function programRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue, config } = app.services;

  app.post<{ Body: NewProgram }>(
    '/programs',
    {
      config: { apiScope: 'all-programs' },
      schema: {
        summary: 'Create a programme from a template',
        description:
          'The programme starts closed for applications; its coordinator opens them (or a round) on the programme page. Needs a token for every programme.',
        tags: ['programmes'],
        security: [{ bearerAuth: [] }],
        body: newProgram,
        response: {
          201: { description: 'The programme, created.', ...programRef },
          ...errors(400, 401, 403, 409, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const created = await createProgram(sql, request.body);
      if (!created)
        return reply.code(409).send({
          error: 'Conflict',
          message: `A programme ${request.body.id} exists already.`,
          field: 'id',
        });
      request.log.info(
        { programId: created.id, template: request.body.template, tokenId: request.apiToken!.id },
        'programme created through the API',
      );
      return reply
        .code(201)
        .header('location', absoluteUrl(config.publicUrl, `${app.prefix}/programs/${created.id}`))
        .send(created);
    },
  );

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId',
    {
      config: { apiScope: 'program' },
      schema: {
        summary: 'Read a programme',
        tags: ['programmes'],
        security: [{ bearerAuth: [] }],
        params: programParams,
        response: {
          200: { description: 'The programme.', ...programRef },
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const program = await findProgram(sql, request.params.programId);
      if (!program) return notFound(reply, request.params.programId);
      return program;
    },
  );

  app.patch<{ Params: { programId: string }; Body: Partial<EditableSettings> }>(
    '/programs/:programId/settings',
    {
      config: { apiScope: 'program' },
      schema: {
        summary: 'Change a programme’s settings',
        description:
          'Any of the settings; the others keep their values. Relationships and cohorts that start afterwards pin the new settings; those running keep theirs. A value out of its limits is refused (400) with the field named.',
        tags: ['programmes'],
        security: [{ bearerAuth: [] }],
        params: programParams,
        body: settingsChange,
        response: {
          200: { description: 'The programme, with its new settings.', ...programRef },
          ...errors(400, 401, 403, 404, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const { programId } = request.params;
      const current = await findProgram(sql, programId);
      if (!current) return notFound(reply, programId);
      const changed = { ...current.settings, ...request.body };
      const [problem] = settingsProblems(translator('en'), changed);
      if (problem)
        return reply.code(400).send({ error: 'Bad Request', message: problem.message, field: problem.field });
      await saveSettings(sql, programId, changed);
      request.log.info(
        { programId, tokenId: request.apiToken!.id },
        'programme settings changed through the API',
      );
      return findProgram(sql, programId);
    },
  );

  app.post<{ Params: { programId: string }; Body: { participants: Invitee[] } }>(
    '/programs/:programId/invitations',
    {
      config: { apiScope: 'program' },
      bodyLimit: INVITATIONS_BODY_LIMIT,
      schema: {
        summary: 'Invite people to apply',
        description: [
          `Up to ${MAX_INVITATIONS} people at a time, from an HR export, say. Each person new to the programme in that role is emailed once, in their language, with a link to the programme's application form (the mentee form or the mentor form); someone invited before in the same role is not emailed again.`,
          'The emails are sent by a Temporal workflow whose id is returned; it holds only the invitations’ ids, never a name or an address.',
          'The programme must take applications in that role (409 otherwise), since the link leads to its form: mentees while its applications are open, mentors while it takes mentors.',
        ].join('\n\n'),
        tags: ['invitations'],
        security: [{ bearerAuth: [] }],
        params: programParams,
        body: invitationsBody,
        response: {
          202: { description: 'Invited; the emails are on their way.', ...invitationsResult },
          200: { description: 'Everyone was invited before: nothing to send.', ...invitationsResult },
          ...errors(400, 401, 403, 404, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const { programId } = request.params;
      const [program] = await sql<{ applications_open: boolean; settings: unknown }[]>`
        select applications_open, settings from programs where id = ${programId}`;
      if (!program) return notFound(reply, programId);
      const roles = new Set(request.body.participants.map((p) => p.role));
      if (roles.has('mentee') && !program.applications_open)
        return reply.code(409).send({
          error: 'Conflict',
          message: `Programme ${programId} does not take mentee applications now; its coordinator opens them (or a round) first.`,
        });
      if (roles.has('mentor') && !takesMentors(program.settings))
        return reply.code(409).send({
          error: 'Conflict',
          message: `Programme ${programId} does not take mentors now (its settings close the mentor form).`,
        });

      // One row per address and role; a repeat in the same request counts as invited before.
      const unique = new Map<string, Invitee>();
      for (const p of request.body.participants) {
        const email = p.email.trim().toLowerCase();
        unique.set(`${p.role} ${email}`, { ...p, email, name: p.name.trim() });
      }
      const rows = [...unique.values()].map((p) => ({
        program_id: programId,
        role: p.role,
        name: p.name,
        email: p.email,
        language: p.language ?? null,
      }));
      const inserted = await sql<{ id: string; role: 'mentee' | 'mentor' }[]>`
        insert into invitations ${sql(rows)}
        on conflict (program_id, email, role) do nothing
        returning id, role`;
      const result = {
        invited: inserted.length,
        alreadyInvited: request.body.participants.length - inserted.length,
        workflowId: null as string | null,
      };
      if (inserted.length === 0) return reply.code(200).send(result);

      const workflowId = `invitations-${programId}-${randomUUID()}`;
      const input: InvitationsInput = {
        programId,
        invitations: inserted.map((r) => ({ invitationId: r.id, role: r.role })),
      };
      try {
        await temporal.workflow.start<typeof invitationsWorkflow>('invitationsWorkflow', {
          workflowId,
          taskQueue,
          args: [input],
          typedSearchAttributes: [{ key: ProgramId, value: programId }],
        });
      } catch (err) {
        // Without the workflow no one would be emailed, and a retry would find them "already invited".
        await sql`delete from invitations where id in ${sql(inserted.map((r) => r.id))}`;
        throw err;
      }
      request.log.info(
        { programId, workflowId, invited: result.invited, tokenId: request.apiToken!.id },
        'invitations sent through the API',
      );
      return reply.code(202).send({ ...result, workflowId });
    },
  );

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/relationships',
    {
      config: { apiScope: 'program' },
      schema: {
        summary: 'List applications and where each stands',
        description:
          'Every application to the programme (mentees’ relationships and mentors), with its phase from Temporal. People are named by their participant id only: names and addresses stay in the programme.',
        tags: ['relationships'],
        security: [{ bearerAuth: [] }],
        params: programParams,
        response: {
          200: { description: 'The applications, oldest first.', ...relationships },
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const { programId } = request.params;
      const [program] = await sql`select 1 from programs where id = ${programId}`;
      if (!program) return notFound(reply, programId);
      const applications = await sql<
        {
          workflow_id: string;
          participant_id: string;
          role: string;
          submitted_at: Date;
          outcome: string | null;
        }[]
      >`
        select a.workflow_id, a.participant_id, a.role, a.submitted_at, o.outcome
        from applications a left join relationship_outcomes o on o.workflow_id = a.workflow_id
        where a.program_id = ${programId}
        order by a.submitted_at, a.workflow_id`;
      // The newest run of each workflow: a relationship that continued as new has closed runs before it.
      const latest = new Map<string, WorkflowExecutionInfo>();
      // The id passed the route's pattern, so it cannot break out of the quotes.
      for await (const execution of temporal.workflow.list({ query: `ProgramId = '${programId}'` })) {
        const seen = latest.get(execution.workflowId);
        if (!seen || execution.startTime > seen.startTime) latest.set(execution.workflowId, execution);
      }
      return {
        relationships: applications.map((a) => {
          const execution = latest.get(a.workflow_id);
          return {
            workflowId: a.workflow_id,
            participantId: a.participant_id,
            role: a.role,
            phase: execution?.typedSearchAttributes.get(Phase) ?? null,
            waitingFor: execution?.typedSearchAttributes.get(WaitingFor) ?? null,
            status: (execution && STATUS[execution.status.name]) ?? 'Unknown',
            ...(a.outcome ? { outcome: a.outcome } : {}),
            submittedAt: a.submitted_at,
          };
        }),
      };
    },
  );

  app.post<{
    Params: { programId: string; workflowId: string };
    Body: { change: 'same-unit' | 'reporting-line' };
  }>(
    '/programs/:programId/relationships/:workflowId/organisational-change',
    {
      config: { apiScope: 'program' },
      schema: {
        summary: 'Record an organisational change of a mentoring pair',
        description: [
          'For an HR system that sees a reorganisation: the mentor and the mentee of a pair now work in the same unit, or one reports to the other. The programme’s rule ends the pair at once: both are emailed, the coordinator is told, the mentor’s place frees up and the mentee waits in the pool for a new mentor.',
          'Recorded in the relationship’s history with the token that made it. A relationship with no pair under way is refused (409).',
        ].join('\n\n'),
        tags: ['relationships'],
        security: [{ bearerAuth: [] }],
        params: relationshipParams,
        body: organisationalChange,
        response: {
          200: { description: 'The pair ended.', ...organisationalChangeResult },
          ...errors(400, 401, 403, 404, 409, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const { programId, workflowId } = request.params;
      const [known] = await sql`
        select 1 from applications where workflow_id = ${workflowId} and program_id = ${programId} and role = 'mentee'`;
      if (!known)
        return reply.code(404).send({
          error: 'Not Found',
          message: `There is no relationship ${workflowId} in programme ${programId}.`,
        });
      // Who acted: the token, by id (its name is on the admin page of tokens).
      const by = { userId: `api-token:${request.apiToken!.id}` };
      try {
        await temporal.workflow
          .getHandle(workflowId)
          .executeUpdate(organisationChanged, { args: [{ change: request.body.change, by }] });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || refusalType(err) === Refusal.relationshipClosed)
          return reply.code(409).send({
            error: 'Conflict',
            message: `Relationship ${workflowId} is closed, so there is no pair to end.`,
          });
        if (refusalType(err) === Refusal.noPairToEnd)
          return reply.code(409).send({
            error: 'Conflict',
            message: `Relationship ${workflowId} has no mentoring pair under way, so there is no pair to end.`,
          });
        throw err;
      }
      request.log.info(
        { programId, workflowId, tokenId: request.apiToken!.id },
        'organisational change through the API',
      );
      return { workflowId, pairEnded: true };
    },
  );

  function notFound(reply: FastifyReply, programId: string) {
    return reply.code(404).send({ error: 'Not Found', message: `There is no programme ${programId}.` });
  }
}
