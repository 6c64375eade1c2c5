/**
 * The sign-in form's CSRF token, without a session: a random value in a cookie of this origin and, in
 * the form, its HMAC under the session secret. A page elsewhere can neither read the cookie nor make
 * the token, so it cannot sign a visitor in to an account of its choosing; and a visitor who only
 * looks at the sign-in page leaves no row in the session table (sessions begin at sign-in). On HTTPS
 * the cookie is `__Host-`, so no neighbouring site can plant one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../platform/config.js';

const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function signInCsrf(config: Pick<AppConfig, 'publicUrl' | 'sessionSecret'>) {
  const https = config.publicUrl.protocol === 'https:';
  const cookieName = https ? '__Host-sign-in' : 'admin_sign_in';
  const sign = (value: string) =>
    createHmac('sha256', config.sessionSecret).update(`sign-in\n${value}`).digest('base64url');

  return {
    /** The token for the form; sets the cookie when the browser has none yet (one for every open tab). */
    token(request: FastifyRequest, reply: FastifyReply): string {
      let value = request.cookies[cookieName];
      if (!value || !VALUE.test(value)) {
        value = randomBytes(32).toString('base64url');
        reply.setCookie(cookieName, value, { path: '/', httpOnly: true, secure: https, sameSite: 'lax' });
      }
      return sign(value);
    },
    /** Whether the form came with the token of this browser's cookie. */
    verify(request: FastifyRequest): boolean {
      const value = request.cookies[cookieName];
      const sent = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (!value || !VALUE.test(value) || typeof sent !== 'string') return false;
      const expected = Buffer.from(sign(value));
      const given = Buffer.from(sent);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
