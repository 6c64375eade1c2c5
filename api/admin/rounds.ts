/**
 * The coordinator steers a programme round from the programme page: opens it (deadline and places),
 * proposes pairs by hand, and approves or rejects the proposal. Each action reaches the round's
 * workflow with the coordinator's user id; a refusal by its validator re-renders the page with the reason.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { basePath } from '../../lib/links.js';
import { decideMatches, proposeMatches, type Pair } from '../../workflows/messages.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';
import { programPageBuilder } from './programs.js';

const NewRound = z
  .object({
    deadline: z.iso.datetime({ local: true, message: 'Enter the closing date and time.' }),
    places: z.coerce
      .number({ message: 'Enter how many mentees this round takes.' })
      .int('Enter a whole number of places.')
      .min(1, 'A round takes at least one mentee.')
      .max(10_000, 'A round takes at most 10,000 mentees.'),
    _csrf: z.string().optional(),
  })
  .strict();

const Decision = z
  .object({
    decision: z.enum(['approve', 'reject'], { message: 'Choose approve or reject.' }),
    reason: z.string().max(2000).default(''),
    version: z.coerce.number().int().min(1),
    _csrf: z.string().optional(),
  })
  .strict();

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', maxLength: 63 } },
} as const;

export async function roundRoutes(app: FastifyInstance) {
  const { sql, temporal, taskQueue, config } = app.services;
  const programPage = programPageBuilder(app);
  const coordinator = { access: 'program-coordinator' } as const;
  type Request = FastifyRequest<{ Params: { programId: string }; Body: Record<string, unknown> }>;

  /** The programme page again, with what went wrong and what the coordinator typed. */
  async function again(
    request: Request,
    reply: FastifyReply,
    status: number,
    extra: Record<string, unknown>,
  ) {
    const page = await programPage(request.params.programId, { canCoordinate: true, ...extra });
    if (!page) return reply.callNotFound();
    return reply.page('admin-program', page, status);
  }
  const back = (reply: FastifyReply, programId: string) =>
    reply.redirect(`${basePath(config.publicUrl)}admin/programs/${programId}`, 303);
  const by = (request: Request) => ({ userId: request.adminUser!.id });
  async function currentRound(programId: string) {
    const [program] = await sql<{ current_round: string | null }[]>`
      select current_round from programs where id = ${programId}`;
    return program?.current_round ?? undefined;
  }
  /** Sends an Update to the round; a validator's refusal becomes the page's error, anything else is a fault. */
  async function tellRound(request: Request, reply: FastifyReply, send: (roundId: string) => Promise<void>) {
    const roundId = await currentRound(request.params.programId);
    if (!roundId) return again(request, reply, 409, { roundError: 'This programme has no round.' });
    try {
      await send(roundId);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError)
        return again(request, reply, 409, { roundError: err.cause?.message ?? err.message });
      throw err;
    }
    return back(reply, request.params.programId);
  }

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      const { programId } = request.params;
      const parsed = NewRound.safeParse(request.body ?? {});
      const values = { deadline: request.body?.deadline, places: request.body?.places };
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0] ?? 'deadline')] ??= issue.message;
        const errors = Object.entries(fieldErrors).map(([id, message]) => ({ id, message }));
        return again(request, reply, 400, { roundValues: values, fieldErrors, errors });
      }
      const [latest] = await sql<{ number: number; closed_at: Date | null }[]>`
        select number, closed_at from program_rounds where program_id = ${programId} order by number desc limit 1`;
      if (latest && !latest.closed_at)
        return again(request, reply, 409, { roundValues: values, roundError: 'A round is already open.' });
      const round = (latest?.number ?? 0) + 1;
      // The deadline is typed as UTC, as the form says.
      const deadline = new Date(`${parsed.data.deadline}Z`).toISOString();
      try {
        await temporal.workflow.start('programRoundWorkflow', {
          workflowId: `round-${programId}-${round}`,
          taskQueue,
          args: [{ programId, round, deadline, places: parsed.data.places, openedBy: by(request) }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: ProgramId, value: programId },
            { key: Phase, value: 'open' },
            { key: WaitingFor, value: 'participant' },
          ],
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return again(request, reply, 409, { roundValues: values, roundError: 'A round is already open.' });
        throw err;
      }
      request.log.info({ programId, round, by: request.adminUser!.id }, 'coordinator opened a round');
      // The round records itself and opens the application pages; the page shows it once it has.
      await expectRound(programId, `round-${programId}-${round}`);
      return back(reply, programId);
    },
  );

  /** Waits (briefly) until the round's first activity has pointed the programme at it. */
  async function expectRound(programId: string, roundId: string) {
    for (let i = 0; i < 50 && (await currentRound(programId)) !== roundId; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds/proposal',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      // One select per mentee, named `mentor:<relationship workflow id>`; an empty choice leaves the mentee out.
      const pairs: Pair[] = [];
      for (const [name, value] of Object.entries(request.body ?? {})) {
        if (!name.startsWith('mentor:') || typeof value !== 'string' || !value) continue;
        pairs.push({ relationshipId: name.slice('mentor:'.length), mentorWorkflowId: value });
      }
      return tellRound(request, reply, (roundId) =>
        temporal.workflow
          .getHandle(roundId)
          .executeUpdate(proposeMatches, { args: [{ pairs, by: by(request) }] }),
      );
    },
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds/decision',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      const parsed = Decision.safeParse(request.body ?? {});
      if (!parsed.success)
        return again(request, reply, 400, {
          roundError: parsed.error.issues[0]?.message ?? 'Choose a decision.',
        });
      const { decision, reason, version } = parsed.data;
      return tellRound(request, reply, (roundId) =>
        temporal.workflow
          .getHandle(roundId)
          .executeUpdate(decideMatches, { args: [{ decision, reason, version, by: by(request) }] }),
      );
    },
  );
}
