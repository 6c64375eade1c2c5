/**
 * Sign-in and sign-out. Failed sign-ins are limited per account, per address and overall
 * (./sign-in-limits.ts), and a sign-in begins a fresh session, so a planted id is useless.
 */
import type { FastifyInstance } from 'fastify';
import { attemptLogin } from '../../services/accounts.js';
import { isLanguage, pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { signInLimiter } from './sign-in-limits.js';

export async function authRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const adminHome = `${basePath(config.publicUrl)}admin`;
  const limiter = signInLimiter(sql, config.sessionSecret);
  /** Only our own admin pages are valid targets after sign-in; anything else would be an open redirect. */
  const safeNext = (next: unknown) =>
    typeof next === 'string' &&
    next.startsWith(`${adminHome}`) &&
    !next.startsWith('//') &&
    !/[\\\r\n]/.test(next)
      ? next
      : adminHome;
  // The sign-in form's token needs no session: none exists before sign-in.
  const form = { access: 'public', csrf: 'sign-in' } as const;
  /** The language picked on the sign-in page (`?lang=`), which the form sends back and sign-in keeps. */
  const chosenLanguage = (query: unknown) => {
    const lang = (query as { lang?: unknown } | undefined)?.lang;
    return isLanguage(lang) ? lang : undefined;
  };

  app.get<{ Querystring: { next?: string } }>('/login', { config: form }, async (request, reply) =>
    reply.page('admin-login', {
      title: translator(pickLanguage(request.pageContext.lang))('admin.login.title'),
      next: request.query.next ? safeNext(request.query.next) : undefined,
      chosenLang: chosenLanguage(request.query),
    }),
  );

  app.post<{ Body: { email?: unknown; password?: unknown; next?: unknown } }>(
    '/login',
    { config: form },
    async (request, reply) => {
      const email = typeof request.body?.email === 'string' ? request.body.email.slice(0, 254) : '';
      const password = typeof request.body?.password === 'string' ? request.body.password.slice(0, 1024) : '';
      const chosenLang = chosenLanguage(request.query);
      const t = translator(pickLanguage(request.pageContext.lang));
      const next = request.body?.next ? safeNext(request.body.next) : undefined;
      // Only an attempt that checks a password takes a place: an empty form costs no argon2 work.
      const place = email && password ? await limiter.reserve({ email, address: request.ip }) : undefined;
      if (place?.refused) {
        request.log.warn('sign-in refused: too many failed attempts');
        reply.header('retry-after', place.retryAfterSeconds);
        return reply.message(429, 'tooManyAttempts');
      }
      const outcome = place ? await attemptLogin(sql, email, password) : ({ refused: 'wrong' } as const);
      if ('refused' in outcome) {
        // "Not active" only follows the account's right password, so it tells a guesser nothing.
        const why = outcome.refused === 'deactivated' ? t('users.login.deactivated') : t('admin.login.wrong');
        return reply.page(
          'admin-login',
          { title: t('admin.login.title'), email, next, chosenLang, errors: [{ id: 'email', message: why }] },
          401,
        );
      }
      // Signing in is not guessing: the attempt gives its place back.
      await place!.giveBack();
      // A fresh session id, keeping the language chosen before signing in (or in an earlier session).
      const lang = chosenLang ?? request.session.lang;
      await request.session.regenerate();
      if (lang) request.session.lang = lang;
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
