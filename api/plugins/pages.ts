/**
 * HTML responses: `reply.page()` renders through the one renderer, and every error (a Fastify one, a
 * thrown one, a missing route) becomes a page that names the problem, with a 4xx status when the
 * request was at fault.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { basePath } from '../../lib/links.js';

const KB = 1024;

function explain(err: FastifyError, bodyLimit: number): { title: string; paragraphs: string[] } {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        title: 'This form was sent in a format we cannot read',
        paragraphs: [
          'Forms here must be sent as an ordinary web form (application/x-www-form-urlencoded).',
          'Go back to the form and send it from the page itself.',
        ],
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        title: 'What you sent is too large',
        paragraphs: [
          `A form can carry at most ${Math.round(bodyLimit / KB)} KB. Go back, shorten your answers and send again.`,
        ],
      };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return {
        title: 'This form has expired',
        paragraphs: [
          'The form’s security token is missing or no longer valid. Go back, reload the page and try again.',
        ],
      };
    default:
      break;
  }
  if (err.statusCode === 429)
    return { title: 'Too many attempts', paragraphs: ['Wait a few minutes, then try again.'] };
  if (err.validation) return { title: 'The request is not valid', paragraphs: [err.message] };
  if (err.statusCode && err.statusCode < 500)
    return { title: 'The request could not be handled', paragraphs: [err.message] };
  return {
    title: 'Something went wrong on our side',
    paragraphs: [
      'Nothing you sent was lost half-way: either it was saved whole or not at all. Please try again in a moment.',
    ],
  };
}

export const pages = fp(async (app: FastifyInstance) => {
  const { views, config } = app.services;
  const common = {
    siteName: 'Mentoring programmes',
    base: basePath(config.publicUrl),
  };

  app.decorateRequest('pageContext', null as unknown as Record<string, unknown>);
  app.addHook('onRequest', async (request) => {
    request.pageContext = {};
  });

  app.decorateReply('page', function (name: string, data: Record<string, unknown> = {}, status = 200) {
    const html = views.page(name, { ...common, ...this.request.pageContext, ...data });
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.page(
      'message',
      {
        title: 'Page not found',
        paragraphs: ['There is no page at this address. Check the link you followed.'],
      },
      404,
    ),
  );

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: err.code, status }, err.message);
    const { title, paragraphs } = explain(err, app.initialConfig.bodyLimit ?? 1024 * KB);
    return reply.page('message', { title, paragraphs }, status);
  });
});
