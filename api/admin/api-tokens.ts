/**
 * Administrators make and revoke tokens: for the integration API (/api/v1), or codec tokens with which an
 * auditor's Temporal CLI decodes payloads (/admin/codec/decode) without an admin password. A new token is
 * shown on the page that made it, once; the database keeps only its hash.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '../../services/api-tokens.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';

/** A new token's schema, its messages in the administrator's language. */
const newTokenSchema = (t: TFunction) =>
  z
    .object({
      name: z
        .string()
        .trim()
        .min(1, t('integration.tokens.errors.name'))
        .max(100, t('integration.tokens.errors.nameTooLong')),
      programId: z.string().max(63).default(''),
      kind: z.enum(['integration', 'codec']).default('integration'),
      _csrf: z.string().optional(),
    })
    .strict()
    // A codec token decodes whatever it is shown; a programme would promise a limit it cannot keep.
    .refine((token) => token.kind === 'integration' || token.programId === '', {
      path: ['programId'],
      message: t('integration.tokens.errors.codecProgram'),
    });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function apiTokenRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;

  async function page(request: FastifyRequest, extra: Record<string, unknown> = {}) {
    const t = translator(pickLanguage(request.pageContext.lang));
    const tokens = await sql`
      select k.id, k.name, k.program_id, k.kind = 'codec' as codec, k.created_at, k.last_used_at, k.revoked_at,
             u.email as created_by
      from api_tokens k left join users u on u.id = k.created_by
      order by k.revoked_at is not null, k.created_at desc, k.id`;
    const programs = await sql`select id, name from programs order by id`;
    return { title: t('integration.tokens.title'), tokens, programs, values: {}, ...extra };
  }

  app.get('/api-tokens', { config: { access: 'administrator' } }, async (request, reply) =>
    reply.page('admin-api-tokens', await page(request)),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/api-tokens',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const t = translator(pickLanguage(request.pageContext.lang));
      const parsed = newTokenSchema(t).safeParse(request.body ?? {});
      const values = {
        name: request.body?.name,
        programId: request.body?.programId,
        kind: request.body?.kind,
      };
      const refuse = async (fieldErrors: Record<string, string>) => {
        const errors = Object.entries(fieldErrors).map(([id, message]) => ({ id, message }));
        return reply.page('admin-api-tokens', await page(request, { values, fieldErrors, errors }), 400);
      };
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0] ?? 'name')] ??= issue.message;
        return refuse(fieldErrors);
      }
      const { name, programId, kind } = parsed.data;
      if (programId) {
        const [program] = await sql`select id from programs where id = ${programId}`;
        if (!program) return refuse({ programId: t('integration.tokens.errors.noSuchProgram') });
      }
      const by = request.adminUser!.id;
      const { id, token } = await createApiToken(sql, { name, programId: programId || null, by, kind });
      request.log.info({ tokenId: id, kind, programId: programId || null, by }, 'API token created');
      // Shown here and nowhere else: the page is not cached (no-store) and the token is not kept.
      return reply.page('admin-api-tokens', await page(request, { created: { id, name, token } }));
    },
  );

  app.post<{ Params: { tokenId: string } }>(
    '/api-tokens/:tokenId/revoke',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const { tokenId } = request.params;
      // Checked here, after the role check, so an outsider learns nothing from the shape of the address.
      if (!UUID.test(tokenId)) return reply.message(404, 'notFound');
      const [known] = await sql`select 1 from api_tokens where id = ${tokenId}`;
      if (!known) return reply.message(404, 'notFound');
      if (await revokeApiToken(sql, tokenId))
        request.log.info({ tokenId, by: request.adminUser!.id }, 'API token revoked');
      return reply.redirect(`${basePath(config.publicUrl)}admin/api-tokens`, 303);
    },
  );
}
