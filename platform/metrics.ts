/**
 * The project's own Prometheus metrics, one registry per process (prom-client). Worker and API each
 * expose it: the API on `/metrics`, the worker on its health port. The Temporal SDK's runtime
 * telemetry (task latencies, slots, sticky cache) is exposed by the SDK itself (worker/telemetry.ts).
 * Labels carry routes, outcomes and states, never a person, a token or a workflow id.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mentorflow_' });

export const httpDuration = new Histogram({
  name: 'mentorflow_http_request_duration_seconds',
  help: 'API request durations by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const formSubmissions = new Counter({
  name: 'mentorflow_form_submissions_total',
  help: 'Participant form submissions: accepted (taken), refused (a 4xx page naming the problem), failed (5xx)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const temporalCallErrors = new Counter({
  name: 'mentorflow_temporal_call_errors_total',
  help: 'Requests answered with the 503 "try again" page because Temporal (or a workflow) could not answer',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const emailsSent = new Counter({
  name: 'mentorflow_emails_sent_total',
  help: 'Emails handed to the SMTP server (or written to the development mailbox)',
  registers: [registry],
});

export const emailsFailed = new Counter({
  name: 'mentorflow_emails_failed_total',
  help: 'Attempts to send an email that failed (the email activity retries them)',
  registers: [registry],
});

/** The exposition text and its content type, for whichever server serves it. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
