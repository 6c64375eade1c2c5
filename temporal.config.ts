/**
 * How every process of the project reaches Temporal. One place, read from the environment, so the same
 * code runs against the local dev server, a self-hosted cluster (optionally mTLS) or Temporal Cloud
 * (mTLS or API key).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import { z } from 'zod';
import type { Versioning } from './platform/temporal/deployment.js';

/**
 * Workflow runs a worker keeps cached unless told otherwise. The SDK sizes its default by the heap
 * (some 2,300 runs for a 4 GiB heap), and a worker holding 10,000 relationships then peaked at 2 GiB;
 * with 250 it peaked at 717 MiB and fired its reminders sooner (`npm run bench:capacity`, docs/cluster.md).
 * Relationships wake about once per meeting, so most of them are out of any cache between tasks anyway.
 */
export const DEFAULT_WORKFLOW_CACHE = 250;

const Env = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('mentoring'),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().positive().default(7233),
  TEMPORAL_DEV_UI_PORT: z.coerce.number().int().positive().default(8233),
  WORKER_SHUTDOWN_GRACE: z.string().default('10s'),
  WORKER_WORKFLOW_CACHE: z.coerce.number().int().min(0).default(DEFAULT_WORKFLOW_CACHE),
  WORKER_WORKFLOW_SLOTS: z.coerce.number().int().positive().optional(),
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().positive().optional(),
  WORKER_STICKY_TIMEOUT: z.string().optional(),
  WORKER_WORKFLOW_BUNDLE: z.string().optional(),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_SDK_METRICS_ADDRESS: z.string().optional(),
  TEMPORAL_DEPLOYMENT_NAME: z.string().min(1).default('mentorflow'),
  TEMPORAL_BUILD_ID: z.string().min(1).optional(),
  WORKER_ROLLOUT: z.enum(['current', 'manual']).default('current'),
});

export interface TemporalConfig {
  /** Unset means "start a local dev server" (only `npm start` does that). */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  tls: ConnectionOptions['tls'];
  apiKey: string | undefined;
  cliPath: string | undefined;
  devServer: { port: number; uiPort: number };
  workerShutdownGrace: string;
  /**
   * How many workflow runs a worker keeps in memory between tasks (`DEFAULT_WORKFLOW_CACHE` unless
   * set). A run out of the cache is replayed from its history at its next task. 0 replays every task from history, which rules out one known way for a live run and its
   * replay to disagree (docs/fault-drills.md: a query that reaches a worker after new events has the
   * SDK's core apply them early, and a signal or update in the next task then comes in an activation
   * of its own) at the price of a replay per task and per query, which makes every page that asks a
   * workflow cost a replay: too dear as the default for pages anyone with a link can open.
   */
  workflowCacheSize: number;
  /** Workflow tasks and activities a worker runs at once; unset, the SDK's defaults (docs/cluster.md). */
  slots: { workflowTasks: number | undefined; activities: number | undefined };
  /** How long a task waits for the worker that has its run cached before any worker takes it. */
  stickyTimeout: string | undefined;
  /** A workflow bundle file to run instead of the build's (dist/workflow-bundle.js). */
  workflowBundlePath: string | undefined;
  /** The worker's own /livez, /readyz and /metrics; unset, none. */
  healthPort: number | undefined;
  /** Where the SDK's Prometheus exporter listens (host:port); unset, the SDK exports no metrics. */
  sdkMetricsAddress: string | undefined;
  /**
   * The worker deployment every worker polls as (platform/temporal/deployment.ts). Unset only for a
   * server without Worker Deployment Versioning: the time-skipping test server of some tests.
   */
  versioning: Versioning | undefined;
}

export function temporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const e = Env.parse(env);
  const hasCert = e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_KEY_PATH;
  if (hasCert && !(e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH)) {
    throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  // An API key or a client certificate only makes sense over TLS, so either one switches TLS on.
  const useTls =
    e.TEMPORAL_TLS === 'true' || (e.TEMPORAL_TLS !== 'false' && (!!hasCert || !!e.TEMPORAL_API_KEY));
  const tls: ConnectionOptions['tls'] = useTls
    ? {
        serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: e.TEMPORAL_TLS_CA_PATH ? readFileSync(e.TEMPORAL_TLS_CA_PATH) : undefined,
        clientCertPair:
          e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH
            ? { crt: readFileSync(e.TEMPORAL_TLS_CERT_PATH), key: readFileSync(e.TEMPORAL_TLS_KEY_PATH) }
            : undefined,
      }
    : false;
  return {
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    tls,
    apiKey: e.TEMPORAL_API_KEY,
    cliPath: e.TEMPORAL_CLI_PATH,
    devServer: { port: e.TEMPORAL_DEV_PORT, uiPort: e.TEMPORAL_DEV_UI_PORT },
    workerShutdownGrace: e.WORKER_SHUTDOWN_GRACE,
    workflowCacheSize: e.WORKER_WORKFLOW_CACHE,
    slots: { workflowTasks: e.WORKER_WORKFLOW_SLOTS, activities: e.WORKER_ACTIVITY_SLOTS },
    stickyTimeout: e.WORKER_STICKY_TIMEOUT,
    workflowBundlePath: e.WORKER_WORKFLOW_BUNDLE,
    healthPort: e.WORKER_HEALTH_PORT,
    sdkMetricsAddress: e.WORKER_SDK_METRICS_ADDRESS,
    versioning: {
      deploymentName: e.TEMPORAL_DEPLOYMENT_NAME,
      buildId: e.TEMPORAL_BUILD_ID,
      rollout: e.WORKER_ROLLOUT,
    },
  };
}

/** Options shared by the client `Connection` and the worker's `NativeConnection`. */
export function connectionOptions(config: TemporalConfig, address = config.address) {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set and no local dev server was started');
  return { address, tls: config.tls, apiKey: config.apiKey };
}
