/** Builds the Fastify app: one plugin per route group, shared services as a decorator. */
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { redactTokens } from '../platform/links.js';
import { languageLinks, pickLanguage, translator } from '../platform/i18n.js';
import { projectRoot } from '../platform/project.js';
import { adminPages, type AdminRoute } from './admin/index.js';
import { devMailbox } from './dev/mailbox.js';
import { integrationApi, type ApiRoute } from './integration/index.js';
import { participantPages } from './participant/index.js';
import { shortMemory } from './plugins/short-memory.js';
import { pages, routerErrors } from './plugins/pages.js';
import { probes } from './plugins/probes.js';
import { security } from './plugins/security.js';
import type { Services } from './types.js';

export interface ApiOptions {
  /** Mount the development mailbox page (only when mail goes to the dev mailbox, never in production). */
  devMailbox: boolean;
  logger?: boolean | { level: string };
  /** Filled with every admin route as it registers. */
  adminRoutes?: AdminRoute[];
  /** Filled with every integration API route as it registers. */
  apiRoutes?: ApiRoute[];
  /**
   * Every request arrived over HTTPS, though not on this process's socket: a function behind API
   * Gateway, which takes no plain HTTP and hands each request over as an event (api/lambda.ts). Secure
   * cookies, the admin session's among them, are set only on requests Fastify knows to be HTTPS.
   */
  servedOverHttps?: boolean;
}

/** A participant form carries a few KB; anything near this is not a person typing. */
export const BODY_LIMIT = 64 * 1024;

export async function buildApi(services: Services, opts: ApiOptions): Promise<FastifyInstance> {
  // The mailbox page shows every email with its personal links to whoever opens it.
  if (opts.devMailbox && services.config.env === 'production')
    throw new Error('the development mailbox is never served in production');
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: opts.logger === true || !opts.logger ? services.config.logLevel : opts.logger.level,
            // Method and path only: no client address, and no personal link token.
            serializers: { req: (req) => ({ method: req.method, url: redactTokens(req.url) }) },
          },
    bodyLimit: BODY_LIMIT,
    trustProxy: services.config.trustProxy,
    // Personal link tokens travel in the path and are longer than the router's default limit.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: routerErrors(services),
  });
  app.decorate('services', services);
  if (opts.servedOverHttps)
    app.addHook('onRequest', async (request) => {
      (request.raw.socket as { encrypted?: boolean }).encrypted = true;
    });
  await app.register(probes);
  await app.register(security);
  await app.register(pages);
  await app.register(shortMemory);
  await app.register(fastifyStatic, {
    root: join(projectRoot, 'api', 'assets'),
    prefix: '/assets/',
    index: false,
  });

  app.get('/', async (request, reply) => {
    const programs =
      await services.sql`select id, name from programs where applications_open order by created_at, id`;
    const title = translator(pickLanguage(request.pageContext.lang))('home.title');
    return reply.page('home', {
      title,
      programs,
      devMailbox: opts.devMailbox,
      languages: languageLinks(pickLanguage(request.pageContext.lang)),
    });
  });

  await app.register(participantPages);
  await app.register(adminPages, { prefix: '/admin', routes: opts.adminRoutes });
  await app.register(integrationApi, { prefix: '/api/v1', routes: opts.apiRoutes });
  if (opts.devMailbox) await app.register(devMailbox);
  return app;
}
