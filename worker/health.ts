/**
 * The worker's own small HTTP server, for an orchestrator and Prometheus: `/livez` (the process
 * answers), `/readyz` (the worker polls and its database answers) and `/metrics` (the project's
 * counters: emails sent and failed, process figures). The SDK's task latencies, slots and sticky cache
 * are on the SDK's exporter (WORKER_SDK_METRICS_ADDRESS). Meant for the internal network only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { Sql } from '../platform/db/connect.js';
import { metricsText } from '../platform/metrics.js';
import { answersWithin } from '../platform/probe.js';

export async function serveWorkerHealth(opts: {
  port: number;
  host: string;
  worker: Worker;
  sql: Sql;
}): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    void (async () => {
      switch (request.url) {
        case '/livez':
          return send(200, JSON.stringify({ ok: true }));
        case '/readyz': {
          const state = opts.worker.getState();
          const database = await answersWithin(() => opts.sql`select 1`);
          const ok = state === 'RUNNING' && database === 'ok';
          return send(ok ? 200 : 503, JSON.stringify({ ok, worker: state, database }));
        }
        case '/metrics': {
          const { contentType, body } = await metricsText();
          return send(200, body, contentType);
        }
        default:
          return send(404, JSON.stringify({ ok: false }));
      }
    })().catch(() => send(500, JSON.stringify({ ok: false })));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
