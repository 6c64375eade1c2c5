/**
 * Participants' pages: public application forms and the pages opened from emailed links. No login;
 * plain HTML forms that work with JavaScript off. Only urlencoded form bodies are accepted here.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { formSubmissions } from '../../platform/metrics.js';
import { applicationRoutes } from './apply.js';
import { enrolmentRoutes } from './enrol.js';
import { meetingRoutes } from './meeting.js';
import { statusRoutes } from './status.js';
import { stepRoutes } from './step.js';

export async function participantPages(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  app.decorateRequest('changesWorkflow', null);
  app.addHook('onSend', async (request, reply) => {
    // Pages here show personal answers or carry personal tokens: never cache them anywhere.
    reply.header('cache-control', 'no-store');
    // A request that sent the workflow an answer or an action: its next page asks the workflow again.
    if (request.changesWorkflow) app.memory.linkedStatuses.forget(request.changesWorkflow);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST') return;
    const status = reply.statusCode;
    formSubmissions.inc({ outcome: status >= 500 ? 'failed' : status >= 400 ? 'refused' : 'accepted' });
  });
  await app.register(applicationRoutes);
  await app.register(enrolmentRoutes);
  await app.register(statusRoutes);
  await app.register(meetingRoutes);
  await app.register(stepRoutes);
}
