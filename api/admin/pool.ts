/**
 * The coordinator steers intake and the pool from the programme page: opens or closes the mentee form
 * for rolling intake, asks for suggested pairs over the whole pool, and pairs a waiting mentee with a
 * mentor by hand. A pair is made through the mentor's workflow (an Update with the coordinator's id),
 * whose validator knows the capacity; the relationship is told by it, and both people by the relationship.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { matchingPool } from '../../services/programme-pool.js';
import { propose } from '../../domain/matching/propose.js';
import { assignPair, readPool } from '../../services/pool.js';
import { matchingSettings } from '../../services/program-settings.js';
import { programPageBuilder } from './programs.js';
import { isWorkflowOf } from '../../workflows/ids.js';

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } },
} as const;
type Request = FastifyRequest<{ Params: { programId: string }; Body: Record<string, unknown> }>;

const intakeSchema = z.object({ state: z.enum(['open', 'closed']), _csrf: z.string().optional() }).strict();
const pairSchema = z
  .object({
    relationshipId: z.string().min(1).max(200),
    mentor: z.string().max(200).default(''),
    _csrf: z.string().optional(),
  })
  .strict();

export async function poolRoutes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;
  const programPage = programPageBuilder(app);
  const coordinator = { config: { access: 'program-coordinator' as const }, schema: { params } };
  const tr = (request: FastifyRequest) => translator(pickLanguage(request.pageContext.lang));
  const back = (reply: FastifyReply, programId: string, done: string) =>
    reply.redirect(`${basePath(config.publicUrl)}admin/programs/${programId}?done=${done}#pool`, 303);
  /** The programme page again, with what went wrong. */
  async function again(request: Request, reply: FastifyReply, code: number, extra: Record<string, unknown>) {
    const page = await programPage(request.params.programId, { canCoordinate: true, ...extra });
    if (!page) return reply.callNotFound();
    return reply.page('admin-program', page, code);
  }

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/applications',
    coordinator,
    async (request, reply) => {
      const t = tr(request);
      const parsed = intakeSchema.safeParse(request.body ?? {});
      if (!parsed.success) return again(request, reply, 400, { intakeError: t('pool.errors.intakeState') });
      const { programId } = request.params;
      const [round] = await sql`
        select 1 from programs p join program_rounds r on r.workflow_id = p.current_round
        where p.id = ${programId} and r.closed_at is null`;
      // While a round is open, the round decides: it closes the form when its places are taken or at its deadline.
      if (round) return again(request, reply, 409, { intakeError: t('pool.errors.roundOpen') });
      await sql`update programs set applications_open = ${parsed.data.state === 'open'} where id = ${programId}`;
      request.log.info(
        { programId, state: parsed.data.state, by: request.adminUser!.id },
        'mentee intake changed',
      );
      return back(reply, programId, `intake-${parsed.data.state}`);
    },
  );

  // Suggestions are computed over the whole pool with the programme's rules, and only fill in the choices:
  // nothing is told to anyone until the coordinator pairs.
  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/pool/suggestions',
    coordinator,
    async (request, reply) => {
      const [program] = await sql<{ settings: unknown }[]>`
        select settings from programs where id = ${request.params.programId}`;
      const pool = await matchingPool(temporal, sql, {
        programId: request.params.programId,
        // The programme's own rules and weights, as its settings page has them.
        settings: matchingSettings(program?.settings) ?? {},
        locked: [],
        forbidden: [],
      });
      const proposal = propose(pool);
      const suggested = new Map(proposal.pairs.map((p) => [p.mentee, p.mentor]));
      return again(request, reply, 200, { suggested, suggestedCount: proposal.pairs.length });
    },
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/pool/pair',
    coordinator,
    async (request, reply) => {
      const t = tr(request);
      const { programId } = request.params;
      const parsed = pairSchema.safeParse(request.body ?? {});
      if (!parsed.success) return again(request, reply, 400, { poolError: t('pool.errors.pair') });
      const { relationshipId, mentor } = parsed.data;
      if (!mentor)
        return again(request, reply, 400, {
          poolError: t('pool.errors.chooseMentor'),
          poolFor: relationshipId,
        });
      const pool = await readPool(temporal, programId);
      const waiting = pool.mentees.find((m) => m.workflowId === relationshipId);
      if (!waiting)
        return again(request, reply, 409, {
          poolError: t('pool.refusal.mentee-not-waiting'),
          poolFor: relationshipId,
        });
      // Exactly this programme's mentor: another programme's id may begin with this one's.
      if (!isWorkflowOf('mentor', programId, mentor))
        return again(request, reply, 400, { poolError: t('pool.errors.pair'), poolFor: relationshipId });
      // The same pairing sent twice (a double click) is one Update: its id names the mentee's wait.
      const updateId = `pool-${relationshipId}-${waiting.since ?? 'first'}`;
      const result = await assignPair(
        temporal,
        { relationshipId, mentorWorkflowId: mentor },
        { userId: request.adminUser!.id },
        updateId,
      );
      if (!result.assigned)
        return again(request, reply, 409, {
          poolError: t(`pool.refusal.${result.refusal}`),
          poolFor: relationshipId,
        });
      request.log.info(
        { programId, relationshipId, mentor, by: request.adminUser!.id },
        'coordinator paired by hand',
      );
      return back(reply, programId, 'paired');
    },
  );
}
