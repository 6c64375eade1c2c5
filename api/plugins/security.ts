/**
 * Security headers on every response. The pages need no script at all, so the policy allows none, and
 * no page leaks its address (which may carry a personal link token) through the Referer header.
 *
 * The headers are the same for every response, so helmet's middleware is made once, here: the Fastify
 * plugin makes a new one (and parses the policy again) for every request, a tenth of a form page's time.
 */
import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const security = fp(async (app: FastifyInstance) => {
  const https = app.services.config.publicUrl.protocol === 'https:';
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only means something when the public address is HTTPS.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) =>
    headers(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
});
