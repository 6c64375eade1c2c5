/**
 * The coordinator steers a programme round from the programme page: opens it (deadline and places),
 * proposes pairs by hand, and approves or rejects the proposal. Each action reaches the round's
 * workflow with the coordinator's user id; a refusal by its validator re-renders the page with the reason.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import {
  computeProposal,
  decideMatches,
  proposeMatches,
  type MatchingSettings,
  type Pair,
} from '../../workflows/messages.js';
import { Phase, ProgramId, WaitingFor } from '../../workflows/search-attributes.js';
import { programPageBuilder } from './programs.js';
import { refusalText } from '../refusals.js';

/** A new round's schema, its messages in the coordinator's language. */
const newRoundSchema = (t: TFunction) =>
  z
    .object({
      deadline: z.iso.datetime({ local: true, message: t('admin.round.errors.deadline') }),
      places: z.coerce
        .number({ message: t('admin.round.errors.places') })
        .int(t('admin.round.errors.wholePlaces'))
        .min(1, t('admin.round.errors.minPlaces'))
        .max(10_000, t('admin.round.errors.maxPlaces')),
      _csrf: z.string().optional(),
    })
    .strict();

/** The coordinator's decision on a proposal, its messages in the coordinator's language. */
const decisionSchema = (t: TFunction) =>
  z
    .object({
      decision: z.enum(['approve', 'reject'], { message: t('admin.round.errors.chooseDecision') }),
      reason: z.string().max(2000).default(''),
      version: z.coerce.number().int().min(1),
      _csrf: z.string().optional(),
    })
    .strict();

/** A number field of the matching form: whole numbers within limits, the message in the coordinator's language. */
const whole = (t: TFunction, max: number) =>
  z.coerce
    .number({ message: t('admin.matching.errors.number', { max }) })
    .int(t('admin.matching.errors.number', { max }))
    .min(0, t('admin.matching.errors.number', { max }))
    .max(max, t('admin.matching.errors.number', { max }));
const ticked = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on');
/** "relationship-… mentor-…" values of the lock and forbid boxes. */
const pairList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^\S+ \S+$/)
        .transform((pair): Pair => {
          const [relationshipId, mentorWorkflowId] = pair.split(' ') as [string, string];
          return { relationshipId, mentorWorkflowId };
        }),
    ),
  );

/** The matching form: objective, the hard rules on or off, the weights, and the coordinator's locks and exclusions. */
export const matchingSchema = (t: TFunction) =>
  z
    .object({
      objective: z.enum(['best-total', 'most-matched'], { message: t('admin.matching.errors.objective') }),
      differentUnit: ticked,
      noReportingLine: ticked,
      notCoLocated: ticked,
      commonLanguage: ticked,
      notAcquainted: ticked,
      levelsAbove: ticked,
      levelsMin: whole(t, 10),
      levelsMax: whole(t, 10),
      learning: whole(t, 100),
      interests: whole(t, 100),
      nominated: whole(t, 100),
      levelDistance: whole(t, 100),
      preferredLevelDistance: whole(t, 10),
      lock: pairList,
      forbid: pairList,
      _csrf: z.string().optional(),
    })
    .strict()
    .refine((f) => !f.levelsAbove || f.levelsMin <= f.levelsMax, {
      path: ['levelsMax'],
      message: t('admin.matching.errors.levels'),
    })
    .transform((f) => ({
      settings: {
        objective: f.objective,
        rules: {
          differentUnit: f.differentUnit,
          noReportingLine: f.noReportingLine,
          notCoLocated: f.notCoLocated,
          commonLanguage: f.commonLanguage,
          notAcquainted: f.notAcquainted,
          levelsAbove: f.levelsAbove ? { min: f.levelsMin, max: f.levelsMax } : null,
        },
        weights: {
          learning: f.learning,
          interests: f.interests,
          nominated: f.nominated,
          levelDistance: f.levelDistance,
        },
        preferredLevelDistance: f.preferredLevelDistance,
      } satisfies MatchingSettings,
      locked: f.lock,
      forbidden: f.forbid,
    }));

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
  const tr = (request: FastifyRequest) => translator(pickLanguage(request.pageContext.lang));
  async function currentRound(programId: string) {
    const [program] = await sql<{ current_round: string | null }[]>`
      select current_round from programs where id = ${programId}`;
    return program?.current_round ?? undefined;
  }
  /** Sends an Update to the round; a validator's refusal becomes the page's error, anything else is a fault. */
  async function tellRound(request: Request, reply: FastifyReply, send: (roundId: string) => Promise<void>) {
    const roundId = await currentRound(request.params.programId);
    if (!roundId)
      return again(request, reply, 409, { roundError: tr(request)('admin.round.errors.noRound') });
    try {
      await send(roundId);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError)
        return again(request, reply, 409, { roundError: refusalText(tr(request), err) });
      throw err;
    }
    return back(reply, request.params.programId);
  }

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      const { programId } = request.params;
      const t = tr(request);
      const parsed = newRoundSchema(t).safeParse(request.body ?? {});
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
        return again(request, reply, 409, {
          roundValues: values,
          roundError: t('admin.round.errors.alreadyOpen'),
        });
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
          return again(request, reply, 409, {
            roundValues: values,
            roundError: t('admin.round.errors.alreadyOpen'),
          });
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

  // The matching activity runs inside the round's Update, so the page comes back with its proposal.
  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds/matching',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      const parsed = matchingSchema(tr(request)).safeParse(request.body ?? {});
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0] ?? 'objective')] ??= issue.message;
        return again(request, reply, 400, {
          matchingValues: request.body,
          matchingErrors: Object.entries(fieldErrors).map(([id, message]) => ({ id, message })),
        });
      }
      return tellRound(request, reply, (roundId) =>
        temporal.workflow
          .getHandle(roundId)
          .executeUpdate(computeProposal, { args: [{ ...parsed.data, by: by(request) }] }),
      );
    },
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/rounds/decision',
    { config: coordinator, schema: { params } },
    async (request, reply) => {
      const t = tr(request);
      const parsed = decisionSchema(t).safeParse(request.body ?? {});
      if (!parsed.success)
        return again(request, reply, 400, {
          roundError: parsed.error.issues[0]?.message ?? t('admin.round.errors.decisionMissing'),
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
