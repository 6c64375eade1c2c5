/**
 * The door every coordinator and auditor page sits behind: a session (PostgreSQL-backed, begun at
 * sign-in, idle and absolute limits), a role check per route, and CSRF protection on every request
 * that changes something. Routes declare `config.access`; a route without one requires a signed-in
 * user with some role. The codec's decode route also takes a codec token (services/api-tokens.ts) in place
 * of a session, for the Temporal CLI.
 */
import { forgetOnChange } from '../plugins/short-memory.js';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimits } from '../plugins/rate-limit-store.js';
import session from '@fastify/session';
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { apiTokenRoutes } from './api-tokens.js';
import { codecRoutes } from './codec.js';
import { participantRoutes } from './participants.js';
import {
  canCoordinateProgram,
  canReadProgram,
  hasAnyRole,
  loadUser,
  type AdminUser,
} from '../../services/accounts.js';
import { verifyCodecToken, type CodecToken } from '../../services/api-tokens.js';
import { isLanguage, languageLinks, pickLanguage, type Language } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { authRoutes } from './auth.js';
import { auditRoutes } from './audit.js';
import { cohortRoutes } from './cohorts.js';
import { csvExportRoutes } from './csv-export.js';
import { relationshipRoutes } from './relationships.js';
import { dashboardRoutes } from './dashboard.js';
import { formEditorRoutes } from './form-editor.js';
import { interviewRoutes } from './interviews.js';
import { newProgramRoutes } from './new-program.js';
import { programRoutes } from './programs.js';
import { roundRoutes } from './rounds.js';
import { settingsRoutes } from './settings.js';
import { poolRoutes } from './pool.js';
import { postgresSessionStore } from './session-store.js';
import { signInCsrf } from './sign-in-csrf.js';
import { userRoutes } from './users.js';
import { timeZoneOf } from '../../services/program-settings.js';

declare module 'fastify' {
  interface Session {
    userId?: string;
    loginAt?: number;
    lastSeenAt?: number;
    /** The admin's language, chosen with a page's `?lang=` link; kept across sign-in. */
    lang?: Language;
  }
  interface FastifyRequest {
    /** The codec token a tool (the Temporal CLI) called the codec with, once verified. */
    codecToken: CodecToken | null;
  }
}

/**
 * A codec token sent as `Bearer mfc_…`, or as the password of HTTP Basic for tools that only send that.
 * Anything else (an account's password, the Web UI's own access token) is no codec credential at all.
 */
function presentedCodecToken(authorization: string): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization)?.[1];
  const presented =
    bearer ??
    (basic &&
      Buffer.from(basic, 'base64')
        .toString('utf8')
        .replace(/^[^:]*:/, ''));
  return presented?.startsWith('mfc_') ? presented : undefined;
}

/** Every admin route, as registered, for the access test and for anyone auditing the surface. */
export interface AdminRoute {
  method: string;
  url: string;
  access: NonNullable<FastifyContextConfig['access']>;
  /** False only where the route changes nothing and tools call it (the codec endpoint). */
  csrf: boolean;
}

export async function adminPages(app: FastifyInstance, opts: { routes?: AdminRoute[] }) {
  const { sql, config } = app.services;
  const https = config.publicUrl.protocol === 'https:';
  const loginPath = `${basePath(config.publicUrl)}admin/login`;
  const signInForm = signInCsrf(config);
  forgetOnChange(app);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      opts.routes?.push({
        method,
        url: route.url,
        access: route.config?.access ?? 'any-role',
        csrf: route.config?.csrf !== false,
      });
    }
  });

  app.removeAllContentTypeParsers();
  await app.register(formbody);
  await app.register(cookie);
  await app.register(session, {
    secret: config.sessionSecret.padEnd(32, '.'),
    // __Host- binds the cookie to this exact origin; browsers accept the prefix only on Secure cookies.
    cookieName: https ? '__Host-session' : 'admin_session',
    cookie: {
      path: '/',
      httpOnly: true,
      secure: https,
      sameSite: 'lax',
      maxAge: config.adminSession.absoluteMs,
    },
    saveUninitialized: false,
    rolling: false,
    store: postgresSessionStore(sql, config.adminSession),
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  await app.register(rateLimit, { global: false, store: sharedRateLimits(app.services.sql) });

  app.decorateRequest('adminUser', null);
  app.decorateRequest('codecToken', null);

  // The admin's language: a valid `?lang=` is kept in a signed-in session, and the session's language
  // wins over the browser's for every admin page (and every message page an admin request ends in).
  // Before sign-in the language stays in the address, which the sign-in form carries into the session.
  app.addHook('onRequest', async (request) => {
    const asked = (request.query as { lang?: unknown } | undefined)?.lang;
    if (isLanguage(asked) && request.session.userId && request.session.lang !== asked)
      request.session.lang = asked;
    const lang = pickLanguage(request.session.lang, request.pageContext.lang);
    request.pageContext.lang = lang;
    request.pageContext.languages = languageLinks(lang);
    // The links reload the same address, which only a GET page has.
    request.pageContext.adminLanguageLinks = request.method === 'GET';
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  async function signedInUser(request: FastifyRequest): Promise<AdminUser | undefined> {
    const { userId, loginAt, lastSeenAt } = request.session;
    if (!userId || !loginAt || !lastSeenAt) return undefined;
    const now = Date.now();
    if (now - lastSeenAt > config.adminSession.idleMs || now - loginAt > config.adminSession.absoluteMs) {
      await request.session.destroy();
      return undefined;
    }
    const user = await loadUser(sql, userId);
    if (user) request.session.lastSeenAt = now;
    return user;
  }

  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access ?? 'any-role';
    if (access === 'public') return;
    // A tool's codec token: one SHA-256 and a lookup, never a password, so the codec gives guessers
    // nothing to try and no argon2 work to cause. A wrong token answers as no session does; a token only
    // ever decodes (the routes that take one and need more say 403).
    const presented = request.routeOptions.config.codecToken
      ? presentedCodecToken(request.headers.authorization ?? '')
      : undefined;
    if (presented) {
      const token = await verifyCodecToken(sql, presented);
      if (!token) {
        reply.header('www-authenticate', 'Bearer');
        return reply.message(401, 'signIn');
      }
      if (access !== 'auditor') return reply.message(403, 'notAllowed');
      request.codecToken = token;
      return;
    }
    const user = await signedInUser(request);
    if (!user) {
      if (request.method === 'GET') {
        const asked = (request.query as { lang?: unknown } | undefined)?.lang;
        const lang = isLanguage(asked) ? `&lang=${asked}` : '';
        return reply.redirect(`${loginPath}?next=${encodeURIComponent(request.url)}${lang}`, 303);
      }
      return reply.message(401, 'signIn');
    }
    const params = request.params as { programId?: string };
    const allowed =
      access === 'administrator'
        ? user.isAdministrator
        : access === 'auditor'
          ? user.isAdministrator || user.isAuditor
          : access === 'program-reader'
            ? !!params.programId && canReadProgram(user, params.programId)
            : access === 'program-coordinator'
              ? !!params.programId && canCoordinateProgram(user, params.programId)
              : hasAnyRole(user);
    if (!allowed) {
      // The refusal keeps the navigation and the sign-out form, so the person can go on from it.
      request.pageContext.user = user;
      request.pageContext.csrfToken = reply.generateCsrf();
      return reply.message(403, 'notAllowed');
    }
    request.adminUser = user;
    request.pageContext.user = user;
    // A programme's pages show its dates in its time zone (other pages in UTC), and name the zone.
    if (params.programId) {
      const [program] = await sql<{ settings: unknown }[]>`
        select settings from programs where id = ${params.programId}`;
      request.pageContext.timeZone = timeZoneOf(program?.settings);
    }
  });

  // After the role check, so a request without a session learns it must sign in, not that its token is bad.
  // A CORS preflight (OPTIONS) carries no credentials and changes nothing.
  app.addHook('preHandler', (request, reply, done) => {
    const { csrf } = request.routeOptions.config;
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || csrf === false) return done();
    if (csrf === 'sign-in') {
      if (signInForm.verify(request)) return done();
      request.log.warn('sign-in form without its token');
      reply.message(403, 'formExpired');
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  // Every page of a signed-in person carries a token, also one re-rendered after a refused POST, so the
  // person can fix and resend; the sign-in form has its own, which needs no session.
  app.addHook('preHandler', async (request, reply) => {
    if (request.adminUser) request.pageContext.csrfToken = reply.generateCsrf();
    else if (request.routeOptions.config.csrf === 'sign-in')
      request.pageContext.csrfToken = signInForm.token(request, reply);
  });

  await app.register(authRoutes);
  await app.register(codecRoutes);
  await app.register(participantRoutes);
  await app.register(programRoutes);
  await app.register(dashboardRoutes);
  await app.register(relationshipRoutes);
  await app.register(csvExportRoutes);
  await app.register(auditRoutes);
  await app.register(cohortRoutes);
  await app.register(roundRoutes);
  await app.register(settingsRoutes);
  await app.register(poolRoutes);
  await app.register(interviewRoutes);
  await app.register(formEditorRoutes);
  await app.register(newProgramRoutes);
  await app.register(userRoutes);
  await app.register(apiTokenRoutes);
}
