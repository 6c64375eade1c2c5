/**
 * An administrator erases a participant (GDPR, right to erasure): services/erasure.ts stops their workflows,
 * destroys their payload keys and anonymises their rows; the erasure is recorded with who did it.
 */
import type { FastifyInstance } from 'fastify';
import { eraseParticipant, ErasureRefused } from '../../services/erasure.js';
import { basePath } from '../../platform/links.js';
import { programPageBuilder } from './programs.js';
import { pickLanguage, translator } from '../../platform/i18n.js';

const params = {
  type: 'object',
  required: ['programId', 'participantId'],
  properties: {
    programId: { type: 'string', maxLength: 63 },
    participantId: { type: 'string', format: 'uuid' },
  },
} as const;

export async function participantRoutes(app: FastifyInstance) {
  const { sql, temporal, codec, config } = app.services;
  const programPage = programPageBuilder(app);

  app.post<{ Params: { programId: string; participantId: string }; Body: { confirm?: string } }>(
    '/programs/:programId/participants/:participantId/erase',
    { config: { access: 'administrator' }, schema: { params } },
    async (request, reply) => {
      const { programId, participantId } = request.params;
      const [person] = await sql`
        select 1 from participants where id = ${participantId} and program_id = ${programId}`;
      if (!person) return reply.callNotFound();
      if (request.body?.confirm !== 'yes') {
        const page = await programPage(programId, { canCoordinate: true });
        const t = translator(pickLanguage(request.pageContext.lang));
        return reply.page('admin-program', { ...page, eraseError: t('admin.program.eraseUnconfirmed') }, 400);
      }
      let result;
      try {
        result = await eraseParticipant(sql, temporal, {
          participantId,
          rule: 'request',
          by: request.adminUser!.id,
        });
      } catch (err) {
        if (!(err instanceof ErasureRefused)) throw err;
        const page = await programPage(programId, { canCoordinate: true });
        return reply.page('admin-program', { ...page, eraseError: err.message }, 409);
      }
      // This process reads nothing of theirs from now on; other processes within a minute (their key cache).
      codec.forget();
      request.log.info(
        { participantId, by: request.adminUser!.id, keys: result.keysDestroyed },
        'participant erased',
      );
      return reply.redirect(`${basePath(config.publicUrl)}admin/programs/${programId}`, 303);
    },
  );
}
