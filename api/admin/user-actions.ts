/**
 * An administrator's changes to one account: deactivate (its sessions end at once), reactivate, set its
 * role, give it a new password. Each is a POST with the page's CSRF token; all but the new password
 * redirect back to the users page, which confirms the account's new state.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import {
  deactivateAccount,
  findAccount,
  LastAdministratorError,
  reactivateAccount,
  resetPassword,
  setRole,
  type Account,
} from '../../services/account-changes.js';
import { Role } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { endSessionsOf } from './session-store.js';
import { usersPage, type RoleForm } from './users-page.js';

/** The change-role form's schema, its messages in the administrator's language. */
const roleChangeSchema = (t: TFunction) =>
  z
    .object({
      role: z.enum(Role.options, { error: t('users.errors.role') }),
      programId: z
        .string(t('admin.users.errors.noSuchProgram'))
        .max(63, t('admin.users.errors.noSuchProgram'))
        .default(''),
    })
    .refine((c) => c.role !== 'coordinator' || c.programId !== '', {
      path: ['programId'],
      message: t('admin.users.errors.programNeeded'),
    });

const UUID = z.uuid();
type Params = { Params: { userId: string } };
const administrators = { config: { access: 'administrator' as const } };

export async function userActionRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const usersUrl = `${basePath(config.publicUrl)}admin/users`;
  const translate = (request: FastifyRequest) => translator(pickLanguage(request.pageContext.lang));

  /** The account the address names. Checked after the role check, so an outsider learns nothing from the address. */
  async function accountOf(request: FastifyRequest<Params>): Promise<Account | undefined> {
    const id = UUID.safeParse(request.params.userId);
    return id.success ? findAccount(sql, id.data) : undefined;
  }

  /** The users page again with the refusal at the top, linked to the control it concerns. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    error: { id: string; message: string },
    forms?: Record<string, RoleForm>,
  ) {
    return reply.page('admin-users', await usersPage(sql, request, { errors: [error], forms }), status);
  }

  const lastAdministrator = (
    request: FastifyRequest,
    err: LastAdministratorError,
    what: 'deactivate' | 'role',
  ) => translate(request)('users.errors.lastAdministrator', { context: what, email: err.email });

  app.post<Params>('/users/:userId/deactivate', administrators, async (request, reply) => {
    const account = await accountOf(request);
    if (!account) return reply.message(404, 'notFound');
    try {
      await deactivateAccount(sql, account.id);
    } catch (err) {
      if (!(err instanceof LastAdministratorError)) throw err;
      const message = lastAdministrator(request, err, 'deactivate');
      return refuse(request, reply, 409, { id: `deactivate-${account.id}`, message });
    }
    // After the account is marked: a request racing this one is refused by the mark, not by the missing session.
    await endSessionsOf(sql, account.id);
    request.log.info({ userId: account.id, by: request.adminUser!.id }, 'account deactivated');
    return reply.redirect(`${usersUrl}?done=deactivated&account=${account.id}`, 303);
  });

  app.post<Params>('/users/:userId/reactivate', administrators, async (request, reply) => {
    const account = await accountOf(request);
    if (!account) return reply.message(404, 'notFound');
    await reactivateAccount(sql, account.id);
    // A session saved by a request that was under way while the account was deactivated must not come back to life.
    await endSessionsOf(sql, account.id);
    request.log.info({ userId: account.id, by: request.adminUser!.id }, 'account reactivated');
    return reply.redirect(`${usersUrl}?done=reactivated&account=${account.id}`, 303);
  });

  app.post<Params & { Body: Record<string, unknown> }>(
    '/users/:userId/role',
    administrators,
    async (request, reply) => {
      const account = await accountOf(request);
      if (!account) return reply.message(404, 'notFound');
      const t = translate(request);
      const submitted = {
        role: typeof request.body?.role === 'string' ? request.body.role : undefined,
        programId: typeof request.body?.programId === 'string' ? request.body.programId : undefined,
      };
      // The summary at the top of the page names the account whose form the message is about.
      const refuseField = (
        field: 'role' | 'programId',
        message: string,
        status = 400,
        summary = `${account.email}: ${message}`,
      ) =>
        refuse(
          request,
          reply,
          status,
          { id: `${field}-${account.id}`, message: summary },
          {
            [account.id]: { ...submitted, [field === 'role' ? 'roleError' : 'programError']: message },
          },
        );

      const parsed = roleChangeSchema(t).safeParse(request.body ?? {});
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        return refuseField(issue!.path[0] === 'programId' ? 'programId' : 'role', issue!.message);
      }
      const { role } = parsed.data;
      const programId = role === 'coordinator' ? parsed.data.programId : undefined;
      if (programId) {
        const [program] = await sql`select id from programs where id = ${programId}`;
        if (!program) return refuseField('programId', t('admin.users.errors.noSuchProgram'));
      }
      try {
        await setRole(sql, account.id, role, programId);
      } catch (err) {
        if (!(err instanceof LastAdministratorError)) throw err;
        const message = lastAdministrator(request, err, 'role');
        return refuseField('role', message, 409, message);
      }
      request.log.info({ userId: account.id, role, programId, by: request.adminUser!.id }, 'role set');
      return reply.redirect(`${usersUrl}?done=role&account=${account.id}`, 303);
    },
  );

  app.post<Params>('/users/:userId/password', administrators, async (request, reply) => {
    const account = await accountOf(request);
    if (!account) return reply.message(404, 'notFound');
    const password = await resetPassword(sql, account.id);
    // Whoever held the old password is signed out; an administrator resetting their own stays on this page.
    const own = account.id === request.adminUser!.id;
    await endSessionsOf(sql, account.id, own ? request.session.sessionId : undefined);
    request.log.info({ userId: account.id, by: request.adminUser!.id }, 'password reset');
    // Shown in this response and nowhere else, rather than redirected to a page that shows it: a flash
    // would have to keep the plain password in the session row (in the database) until the next GET,
    // whereas this answer is not cached (no-store) and the password exists only in it and as a hash.
    // Reloading would send the form again and make a new password, which is safe: the old one then fails.
    return reply.page(
      'admin-users',
      await usersPage(sql, request, { newPassword: { email: account.email, password, own } }),
    );
  });
}
