/** Administrators add accounts and grant roles. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { grantRole, Role } from '../../lib/accounts.js';
import { basePath } from '../../lib/links.js';

const NewUser = z
  .object({
    email: z.email('Enter an email address like name@example.org.').max(254),
    password: z
      .string()
      .min(12, 'The password needs at least 12 characters.')
      .max(1024, 'The password is too long.'),
    role: Role,
    programId: z.string().max(63).default(''),
    _csrf: z.string().optional(),
  })
  .strict()
  .refine((u) => u.role !== 'coordinator' || u.programId !== '', {
    path: ['programId'],
    message: 'A coordinator needs a programme.',
  });

export async function userRoutes(app: FastifyInstance) {
  const { sql } = app.services;

  async function page(extra: Record<string, unknown> = {}) {
    const users = await sql`
      select u.email, coalesce(string_agg(r.role || coalesce(' of ' || r.program_id, ''), ', ' order by r.role), 'none') as roles
      from users u left join user_roles r on r.user_id = u.id group by u.id order by u.email`;
    const programs = await sql`select id, name from programs order by id`;
    return { title: 'Users', users, programs, roles: Role.options, values: {}, ...extra };
  }

  app.get('/users', { config: { access: 'administrator' } }, async (request, reply) =>
    reply.page('admin-users', await page()),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/users',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const parsed = NewUser.safeParse(request.body ?? {});
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
        return reply.page('admin-users', await page({ values, fieldErrors, errors }), 400);
      }
      const { email, password, role, programId } = parsed.data;
      if (role === 'coordinator') {
        const [program] = await sql`select id from programs where id = ${programId}`;
        if (!program) {
          return reply.page(
            'admin-users',
            await page({ values, fieldErrors: { programId: 'No such programme.' } }),
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
