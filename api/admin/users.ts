/** Administrators add accounts and grant roles. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { grantRole, Role } from '../../lib/accounts.js';
import { pickLanguage, translator } from '../../lib/i18n.js';
import { basePath } from '../../lib/links.js';

/** A new account's schema, its messages in the administrator's language. */
const newUserSchema = (t: TFunction) =>
  z
    .object({
      email: z.email(t('admin.users.errors.email')).max(254),
      password: z
        .string()
        .min(12, t('admin.users.errors.passwordShort'))
        .max(1024, t('admin.users.errors.passwordLong')),
      role: Role,
      programId: z.string().max(63).default(''),
      _csrf: z.string().optional(),
    })
    .strict()
    .refine((u) => u.role !== 'coordinator' || u.programId !== '', {
      path: ['programId'],
      message: t('admin.users.errors.programNeeded'),
    });

export async function userRoutes(app: FastifyInstance) {
  const { sql } = app.services;

  async function page(request: FastifyRequest, extra: Record<string, unknown> = {}) {
    const t = translator(pickLanguage(request.pageContext.lang));
    const rows = await sql<{ email: string; role: Role | null; program_id: string | null }[]>`
      select u.email, r.role, r.program_id
      from users u left join user_roles r on r.user_id = u.id order by u.email, r.role, r.program_id`;
    // Each account once, its roles as words of the page's language ("coordinator of mentoring-2028").
    const byEmail = new Map<string, string[]>();
    for (const { email, role, program_id } of rows) {
      const roles = byEmail.get(email) ?? [];
      byEmail.set(email, roles);
      if (!role) continue;
      const name = t('admin.roles.role', { context: role });
      roles.push(program_id ? t('admin.roles.roleOf', { role: name, program: program_id }) : name);
    }
    const users = [...byEmail].map(([email, roles]) => ({
      email,
      roles: roles.length ? roles.join(', ') : t('admin.roles.none'),
    }));
    const programs = await sql`select id, name from programs order by id`;
    return { title: t('admin.users.title'), users, programs, roles: Role.options, values: {}, ...extra };
  }

  app.get('/users', { config: { access: 'administrator' } }, async (request, reply) =>
    reply.page('admin-users', await page(request)),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/users',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const t = translator(pickLanguage(request.pageContext.lang));
      const parsed = newUserSchema(t).safeParse(request.body ?? {});
      const values = {
        email: request.body?.email,
        role: request.body?.role,
        programId: request.body?.programId,
      };
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0] ?? 'email')] ??= issue.message;
        const errors = Object.entries(fieldErrors).map(([id, message]) => ({ id, message }));
        return reply.page('admin-users', await page(request, { values, fieldErrors, errors }), 400);
      }
      const { email, password, role, programId } = parsed.data;
      if (role === 'coordinator') {
        const [program] = await sql`select id from programs where id = ${programId}`;
        if (!program) {
          return reply.page(
            'admin-users',
            await page(request, {
              values,
              fieldErrors: { programId: t('admin.users.errors.noSuchProgram') },
            }),
            400,
          );
        }
      }
      await grantRole(sql, { email, password, role, programId: programId || undefined });
      request.log.info({ role, programId, by: request.adminUser!.id }, 'admin granted a role');
      return reply.redirect(`${basePath(app.services.config.publicUrl)}admin/users`, 303);
    },
  );
}
