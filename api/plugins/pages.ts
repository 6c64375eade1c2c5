/**
 * HTML responses: `reply.page()` renders through the one renderer, and every error (a Fastify one, a
 * thrown one, a missing route) becomes a page that names the problem, with a 4xx status when the
 * request was at fault.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import accepts from '@fastify/accepts';
import { basePath } from '../../platform/links.js';
import { LANGUAGES, pickLanguage, translator, type Language } from '../../platform/i18n.js';
import { tryAgainLater } from '../../platform/unavailable.js';
import { temporalCallErrors } from '../../platform/metrics.js';
import { typedFormAgain } from '../participant/form-page.js';
import type { Services } from '../types.js';

const KB = 1024;
/** A restarting database or worker is back within seconds; a person waits about this long anyway. */
export const RETRY_AFTER_SECONDS = 30;

/** The message page for an error: a catalogue key under `message.` and the values its text names. */
function explain(err: FastifyError, bodyLimit: number): [key: string, values?: Record<string, unknown>] {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ['unreadableFormat'];
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ['tooLarge', { kb: Math.round(bodyLimit / KB) }];
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return ['formExpired'];
    default:
      break;
  }
  if (err.statusCode === 429) return ['tooManyAttempts'];
  if (err.validation) return ['requestInvalid', { detail: err.message }];
  if (err.statusCode && err.statusCode < 500) return ['requestUnhandled', { detail: err.message }];
  return ['serverError'];
}

/** Accept-Language names Norwegian in several ways; bokmål answers them all. */
const ACCEPTED: Record<string, Language> = {
  ...Object.fromEntries(LANGUAGES.map((l) => [l, l])),
  no: 'nb',
  nn: 'nb',
};

/** Renders a page through the one renderer, with what every page needs. */
function pageRenderer({ views, config }: Services) {
  const common = { base: basePath(config.publicUrl) };
  return (name: string, context: Record<string, unknown>) => {
    const siteName = translator(pickLanguage(context.lang))('chrome.siteName');
    return views.page(name, { ...common, ...context, siteName });
  };
}

/** A message page's data: its title and paragraphs from the catalogue, in the page's language. */
function message(lang: unknown, key: string, values: Record<string, unknown> = {}) {
  const t = translator(pickLanguage(lang));
  return {
    title: t(`message.${key}.title`, values),
    paragraphs: t(`message.${key}.paragraphs`, { ...values, returnObjects: true }),
  };
}

/**
 * What the router refuses before any route or hook runs (a link longer than any we sign, a path
 * whose percent-encoding is broken) gets a message page too, as Fastify's `frameworkErrors`.
 */
export function routerErrors(services: Services) {
  const render = pageRenderer(services);
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode ?? 400;
    request.log.info({ code: err.code, status }, 'refused by the router');
    const lang = new URLSearchParams(request.raw.url?.split('?')[1] ?? '').get('lang');
    const key = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'linkInvalid' : 'notFound';
    const html = render('message', { lang: pickLanguage(lang), ...message(lang, key) });
    return reply.code(status).type('text/html; charset=utf-8').send(html);
  };
}

export const pages = fp(async (app: FastifyInstance) => {
  const render = pageRenderer(app.services);

  await app.register(accepts);
  app.decorateRequest('pageContext', null as unknown as Record<string, unknown>);
  // A page's language until a route knows better (a participant's choice, the programme's, an admin's):
  // `?lang=`, else what the browser asks for, else English.
  app.addHook('onRequest', async (request) => {
    const asked = request.accepts().language(Object.keys(ACCEPTED));
    request.pageContext = {
      lang: pickLanguage((request.query as { lang?: unknown } | undefined)?.lang, asked && ACCEPTED[asked]),
    };
  });

  app.decorateReply('render', function (name: string, data: Record<string, unknown> = {}) {
    return render(name, { ...this.request.pageContext, ...data });
  });

  app.decorateReply('page', function (name: string, data: Record<string, unknown> = {}, status = 200) {
    return this.code(status).type('text/html; charset=utf-8').send(this.render(name, data));
  });

  app.decorateReply('message', function (status: number, key: string, values: Record<string, unknown> = {}) {
    return this.page('message', message(this.request.pageContext.lang, key, values), status);
  });

  app.setNotFoundHandler((request, reply) => reply.message(404, 'notFound'));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const why = tryAgainLater(err);
    if (why) {
      if (why === 'workflow task failing')
        request.log.error({ err }, "a workflow's task is failing (see the worker's log); asked to try again");
      else request.log.warn({ err }, 'a service is unavailable; asked to try again');
      temporalCallErrors.inc({ reason: why });
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      return typedFormAgain(request, reply, 503) ?? reply.message(503, 'unavailable');
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: err.code, status }, err.message);
    const [key, values] = explain(err, app.initialConfig.bodyLimit ?? 1024 * KB);
    return reply.message(status, key, values);
  });
});
