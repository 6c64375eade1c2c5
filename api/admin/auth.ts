/** Sign-in and sign-out. Sign-in is rate-limited and gets a fresh session id, so a planted id is useless. */
import type { FastifyInstance } from 'fastify';
import { attemptLogin } from '../../lib/accounts.js';
import { pickLanguage, translator } from '../../lib/i18n.js';
import { basePath } from '../../lib/links.js';

export async function authRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const adminHome = `${basePath(config.publicUrl)}admin`;
  /** Only our own admin pages are valid targets after sign-in; anything else would be an open redirect. */
  const safeNext = (next: unknown) =>
    typeof next === 'string' &&
    next.startsWith(`${adminHome}`) &&
    !next.startsWith('//') &&
    !/[\\\r\n]/.test(next)
      ? next
      : adminHome;

  app.get<{ Querystring: { next?: string } }>(
    '/login',
    { config: { access: 'public' } },
    async (request, reply) =>
      reply.page('admin-login', {
        title: translator(pickLanguage(request.pageContext.lang))('admin.login.title'),
        next: request.query.next ? safeNext(request.query.next) : undefined,
      }),
  );

  app.post<{ Body: { email?: unknown; password?: unknown; next?: unknown } }>(
    '/login',
    {
      config: {
        access: 'public',
        // Per address and account: guessing one account's password is slow, colleagues behind one NAT are not locked out.
        rateLimit: {
          max: 10,
          timeWindow: '15 minutes',
          hook: 'preHandler',
          keyGenerator: (request) => {
            const email = (request.body as { email?: unknown } | undefined)?.email;
            return `${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : ''}`;
          },
        },
      },
    },
    async (request, reply) => {
      const email = typeof request.body?.email === 'string' ? request.body.email.slice(0, 254) : '';
      const password = typeof request.body?.password === 'string' ? request.body.password.slice(0, 1024) : '';
      const outcome =
        email && password ? await attemptLogin(sql, email, password) : ({ refused: 'wrong' } as const);
      if ('refused' in outcome) {
        const t = translator(pickLanguage(request.pageContext.lang));
        // "Not active" only follows the account's right password, so it tells a guesser nothing.
        const why = outcome.refused === 'deactivated' ? t('users.login.deactivated') : t('admin.login.wrong');
        return reply.page(
          'admin-login',
          {
            title: t('admin.login.title'),
            email,
            next: request.body?.next ? safeNext(request.body.next) : undefined,
            errors: [{ id: 'email', message: why }],
            csrfToken: reply.generateCsrf(),
          },
          401,
        );
      }
      // A fresh session id, keeping only the language chosen before signing in.
      await request.session.regenerate(['lang']);
      const now = Date.now();
      const { user } = outcome;
      request.session.userId = user.id;
      request.session.loginAt = now;
      request.session.lastSeenAt = now;
      request.log.info({ userId: user.id }, 'admin signed in');
      return reply.redirect(safeNext(request.body.next), 303);
    },
  );

  app.post('/logout', async (request, reply) => {
    const { lang } = request.session;
    await request.session.destroy();
    // The sign-in page stays in the language the admin chose.
    return reply.redirect(`${adminHome}/login${lang ? `?lang=${lang}` : ''}`, 303);
  });
}
