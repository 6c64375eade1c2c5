/**
 * The integration API for HR systems: JSON under /api/v1 with bearer tokens (services/api-tokens.ts), its
 * OpenAPI document at /api/openapi.json and the documentation page at /api/docs.
 *
 * Every route declares `config.apiScope`: `program` routes take a token for every programme or one
 * scoped to the route's programme; `all-programs` routes take only a token for every programme. A
 * request without a valid token gets 401 before its body is even read, a token of another programme 403,
 * and a body that does not fit its JSON schema 400 naming the field. Errors are JSON `{error, message}`.
 *
 * Two rate limits: requests without a valid token count against their address, before the token is
 * looked up (./unverified-callers.ts); a valid token's requests count against the token.
 */
import { forgetOnChange } from '../plugins/short-memory.js';
import { STATUS_CODES } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimits } from '../plugins/rate-limit-store.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { verifyApiToken, type ApiToken } from '../../services/api-tokens.js';
import { basePath } from '../../platform/links.js';
import { tryAgainLater } from '../../platform/unavailable.js';
import { RETRY_AFTER_SECONDS } from '../plugins/pages.js';
import { apiError, program, programSettings } from './schemas.js';
import { programRoutes } from './routes.js';
import { UnverifiedCallers } from './unverified-callers.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which tokens an integration API route takes (see the module's comment). */
    apiScope?: ApiScope;
  }
  interface FastifyRequest {
    /** The integration API's caller, once its token is verified. */
    apiToken: ApiToken | null;
  }
}

export type ApiScope = 'program' | 'all-programs';

/** Every integration API route, as registered, for the access test and for anyone auditing the surface. */
export interface ApiRoute {
  method: string;
  url: string;
  scope: ApiScope;
}

/** Requests per token and minute. */
const RATE_LIMIT = { max: 120, timeWindow: '1 minute' } as const;
/**
 * Requests without a valid token (none, malformed, unknown, revoked) per address and minute: plenty for
 * an integration whose token was just revoked, too few to try tokens or to load the database.
 */
const UNVERIFIED_PER_ADDRESS = { max: 60, windowMs: 60_000 } as const;

const DOCS_PATH = '/api/docs';
const SPEC_PATH = '/api/openapi.json';

/** The JSON error every refusal of the API answers with. */
function fail(reply: FastifyReply, status: number, message: string, field?: string) {
  return reply
    .code(status)
    .send({ error: STATUS_CODES[status] ?? 'Error', message, ...(field ? { field } : {}) });
}

/** `participants[2].email` from Ajv's `/participants/2/email` and a missing property's name. */
function fieldName(instancePath: string, property?: unknown): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (typeof property === 'string') parts.push(property);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A validation failure as a sentence that names the field, and the field. */
function explainValidation(err: FastifyError): { message: string; field?: string } {
  const [first] = err.validation ?? [];
  const where = err.validationContext ?? 'body';
  if (!first) return { message: err.message };
  const params = first.params as { missingProperty?: unknown };
  if (first.keyword === 'required') {
    const field = fieldName(first.instancePath, params.missingProperty);
    return { message: `${where}: ${field} is required`, field };
  }
  const field = fieldName(first.instancePath);
  if (first.keyword === 'not' && first.schemaPath.endsWith('/additionalProperties/not'))
    return { message: `${where}: ${field} is not a known field`, field };
  if (!field) return { message: `${where} ${first.message ?? 'is not valid'}` };
  return { message: `${where}: ${field} ${first.message ?? 'is not valid'}`, field };
}

/** The routes under the prefix: authentication, rate limit, JSON errors, the route table. */
async function v1(app: FastifyInstance, opts: { routes?: ApiRoute[] }) {
  const { sql } = app.services;

  // JSON only: the root's text/plain parser would let a mislabelled body through as a string.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('apiToken', null);

  // Per verified token, so one busy integration does not slow another. It runs after the token is
  // verified (at onRequest) and still before the body is read.
  await app.register(rateLimit, {
    global: true,
    store: sharedRateLimits(app.services.sql),
    ...RATE_LIMIT,
    hook: 'preParsing',
    keyGenerator: (request) => (request.apiToken ? `token:${request.apiToken.id}` : `ip:${request.ip}`),
  });

  const unverified = new UnverifiedCallers(UNVERIFIED_PER_ADDRESS.max, UNVERIFIED_PER_ADDRESS.windowMs);
  const authenticate: onRequestHookHandler = async (request, reply) => {
    if (!unverified.take(request.ip)) {
      const seconds = unverified.retryAfterSeconds();
      reply.header('retry-after', seconds);
      return fail(
        reply,
        429,
        `Too many requests without a valid API token from this address; retry in ${seconds} seconds.`,
      );
    }
    const presented = bearerToken(request);
    if (!presented) {
      reply.header('www-authenticate', 'Bearer');
      return fail(reply, 401, 'Send an API token as "Authorization: Bearer <token>".');
    }
    const token = await verifyApiToken(sql, presented);
    if (!token) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      return fail(reply, 401, 'The API token is unknown or revoked.');
    }
    unverified.giveBack(request.ip);
    const scope = request.routeOptions.config.apiScope ?? 'program';
    if (token.programId !== null) {
      if (scope === 'all-programs')
        return fail(reply, 403, 'This needs a token for every programme; this token is for one programme.');
      if ((request.params as { programId?: unknown }).programId !== token.programId)
        return fail(reply, 403, 'This token is for another programme.');
    }
    request.apiToken = token;
  };

  // The token is checked at onRequest, before the body is read and before the per-token limit.
  app.addHook('onRoute', (route) => {
    const hooks = [route.onRequest ?? []].flat();
    if (!hooks.includes(authenticate)) route.onRequest = [...hooks, authenticate];
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      opts.routes?.push({ method, url: route.url, scope: route.config?.apiScope ?? 'program' });
    }
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.setNotFoundHandler((request, reply) =>
    fail(reply, 404, `There is no ${request.method} ${request.url.split('?')[0]} in this API.`),
  );

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const { message, field } = explainValidation(err);
      return fail(reply, 400, message, field);
    }
    const why = tryAgainLater(err);
    if (why) {
      const stuck = why === 'workflow task failing';
      if (stuck)
        request.log.error({ err }, "a workflow's task is failing (see the worker's log); asked to retry");
      else request.log.warn({ err }, 'a service is unavailable; asked to retry');
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      return fail(
        reply,
        503,
        stuck
          ? 'This workflow cannot answer until its task succeeds again; retry after the time in Retry-After.'
          : 'A service this API depends on is restarting; retry after the time in Retry-After.',
      );
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'API request failed');
      return fail(reply, status, 'The request failed on our side; try again later.');
    }
    request.log.info({ code: err.code, status }, err.message);
    return fail(reply, status, err.message);
  });

  await app.register(programRoutes);
}

function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * Registered with `{ prefix: '/api/v1' }`. Wrapped with fastify-plugin so the documentation can live
 * beside the versioned routes (at /api/docs); the routes themselves sit in a scope of their own.
 */
export const integrationApi = fp(
  async (app: FastifyInstance, opts: { prefix?: string; routes?: ApiRoute[] }) => {
    const { config } = app.services;
    const https = config.publicUrl.protocol === 'https:';
    const base = basePath(config.publicUrl);

    await app.register(async (api) => {
      forgetOnChange(api);
      api.addSchema(apiError);
      api.addSchema(programSettings);
      api.addSchema(program);
      await api.register(swagger, {
        openapi: {
          openapi: '3.0.3',
          info: {
            title: 'mentorflow integration API',
            version: '1',
            description: [
              'For HR systems: create a programme from a template, invite people to apply (from an HR export, say), and follow the relationships.',
              'Authenticate with a token an administrator makes on the admin page `/admin/api-tokens`: `Authorization: Bearer mf_…`. A token made for one programme can only reach that programme.',
              'The API returns ids and codes, not names or email addresses: people’s details stay in the programme.',
              `Each token may make ${RATE_LIMIT.max} requests a minute. Requests without a valid token count against their address: after ${UNVERIFIED_PER_ADDRESS.max} in a minute, that address is answered 429 until the minute is over.`,
            ].join('\n\n'),
          },
          servers: [{ url: config.publicUrl.href.replace(/\/+$/, '') }],
          components: {
            securitySchemes: {
              bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token, `mf_…`.' },
            },
          },
          security: [{ bearerAuth: [] }],
          tags: [
            { name: 'programmes', description: 'Programmes and their templates.' },
            { name: 'invitations', description: 'Inviting people to apply.' },
            { name: 'relationships', description: 'Applications and where each stands.' },
          ],
        },
        stripBasePath: false,
        refResolver: {
          buildLocalReference: (json, _baseUri, _fragment, i) =>
            typeof json.$id === 'string' ? json.$id : `def-${i}`,
        },
      });

      await api.register(v1, { prefix: opts.prefix ?? '/api/v1', routes: opts.routes });

      api.get(SPEC_PATH, { schema: { hide: true } }, async (_request, reply) =>
        reply.header('cache-control', 'no-cache').send(api.swagger()),
      );

      await api.register(swaggerUi, {
        routePrefix: DOCS_PATH,
        // Behind a proxy that serves the app under a path, the page's asset links carry that path.
        indexPrefix: base === '/' ? undefined : base.replace(/\/$/, ''),
        uiConfig: { deepLinking: false },
        theme: { title: 'mentorflow integration API' },
        // The site's policy allows no script; the documentation page runs Swagger UI's own scripts (from
        // this server only), fetches the spec and lets people try the API from the same origin.
        staticCSP: {
          'default-src': "'none'",
          'script-src': "'self'",
          'style-src': "'self'",
          'img-src': "'self' data:",
          'font-src': "'self' data:",
          'connect-src': "'self'",
          'form-action': "'self'",
          'frame-ancestors': "'none'",
          'base-uri': "'none'",
          ...(https ? { 'upgrade-insecure-requests': '' } : {}),
        },
      });
    });
  },
  { name: 'integration-api' },
);
