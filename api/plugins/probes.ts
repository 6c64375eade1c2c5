/**
 * What a load balancer and Prometheus ask an API instance. `/livez`: the process serves. `/readyz`: it
 * can do its work (the database and Temporal answer within two seconds) and is not draining, so a load
 * balancer sends it no new people while it shuts down. `/metrics`: the Prometheus exposition, behind
 * METRICS_TOKEN in production (the routes and counts of an instance are not for the public).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Connection } from '@temporalio/client';
import { Gauge, Registry } from 'prom-client';
import { httpDuration, registry } from '../../platform/metrics.js';
import { answersWithin, PROBE_DEADLINE_MS } from '../../platform/probe.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when the instance begins to shut down: `/readyz` fails from then on. */
    lifecycle: { draining: boolean };
  }
}

function mayScrape(request: FastifyRequest, token: string | undefined, production: boolean): boolean {
  if (!token) return !production;
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const probes = fp(async function probes(app: FastifyInstance) {
  const { sql, temporal, config } = app.services;
  app.decorate('lifecycle', { draining: false });
  // The client's connection retries an unavailable service for a while, and a retry it has planned
  // outlives the call's deadline; a probe asks once, on a connection of its own without retries.
  const once =
    temporal.connection instanceof Connection
      ? Connection.lazy({ ...temporal.connection.options, interceptors: [] })
      : undefined;
  if (once) app.addHook('onClose', () => once.close());
  const temporalAnswers = () => {
    const [connection, service] = once
      ? [once, once.workflowService]
      : [temporal.connection, temporal.workflowService];
    return connection.withAbortSignal(AbortSignal.timeout(PROBE_DEADLINE_MS), () =>
      service.getSystemInfo({}),
    );
  };

  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });

  // The outbox as this instance's database sees it, read when scraped.
  const own = new Registry();
  new Gauge({
    name: 'mentorflow_outbox_emails',
    help: 'Emails in the outbox: pending (not yet handed to SMTP) or sent',
    labelNames: ['state'] as const,
    registers: [own],
    async collect() {
      const [row] = await sql<{ pending: number; sent: number }[]>`
        select count(*) filter (where sent_at is null)::int as pending,
               count(*) filter (where sent_at is not null)::int as sent
        from email_outbox`;
      this.set({ state: 'pending' }, row?.pending ?? 0);
      this.set({ state: 'sent' }, row?.sent ?? 0);
    },
  });
  const scraped = Registry.merge([registry, own]);

  app.get('/livez', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const [database, temporalService] = await Promise.all([
      answersWithin(() => sql`select 1`),
      answersWithin(temporalAnswers),
    ]);
    const draining = app.lifecycle.draining;
    const ok = !draining && database === 'ok' && temporalService === 'ok';
    return reply.code(ok ? 200 : 503).send({ ok, draining, database, temporal: temporalService });
  });
  app.get('/metrics', async (request, reply) => {
    if (!mayScrape(request, config.metricsToken, config.env === 'production'))
      return reply.code(404).send('not found');
    return reply.type(scraped.contentType).send(await scraped.metrics());
  });
});
