/** Administrators list accounts, add accounts and grant roles; the changes to one account are in user-actions.ts. */
import type { FastifyInstance } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { grantRole, Role } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { userActionRoutes } from './user-actions.js';
import { usersPage } from './users-page.js';

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

/** What the page confirms after a change (post/redirect/get): the action and the account it changed. */
const Done = z.object({ done: z.enum(['deactivated', 'reactivated', 'role']), account: z.uuid() });

export async function userRoutes(app: FastifyInstance) {
  const { sql } = app.services;

  app.get('/users', { config: { access: 'administrator' } }, async (request, reply) => {
    const t = translator(pickLanguage(request.pageContext.lang));
    const data = await usersPage(sql, request);
    const asked = Done.safeParse(request.query);
    const account = asked.success ? data.accounts.find((a) => a.id === asked.data.account) : undefined;
    // Said from the account as the page lists it now, so it shows the new state, not the request's echo.
    const done = !account
      ? undefined
      : asked.data?.done === 'role'
        ? t('users.done.role', { email: account.email, roles: account.roles })
        : t(account.active ? 'users.done.active' : 'users.done.deactivated', { email: account.email });
    return reply.page('admin-users', { ...data, done });
  });

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
        return reply.page('admin-users', await usersPage(sql, request, { values, fieldErrors, errors }), 400);
      }
      const { email, password, role, programId } = parsed.data;
      if (role === 'coordinator') {
        const [program] = await sql`select id from programs where id = ${programId}`;
        if (!program) {
          return reply.page(
            'admin-users',
            await usersPage(sql, request, {
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

  await app.register(userActionRoutes);
}
