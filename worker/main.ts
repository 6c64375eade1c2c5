/** `npm run worker`: one more worker against a shared Temporal cluster and database. */
import { Runtime } from '@temporalio/worker';
import { activityDeps } from '../activities/index.js';
import { mailerFor, openShared, scaleOutConfig } from '../platform/shared.js';
import { createWorker } from './create.js';
import { serveWorkerHealth } from './health.js';

/** What the start line says of the worker's build in the deployment. */
const ROLLOUT_WORDS = {
  'was current': 'the current build',
  'made current': 'made the current build',
  'left as it is': 'not current: the deployment has moved on from this build, which takes no tasks',
  manual: 'current or not as the operator makes it: WORKER_ROLLOUT=manual',
  unversioned: 'unversioned',
} as const;

const { config, temporal } = scaleOutConfig('npm run worker');
// Before any connection: the runtime carries the SDK's own metrics (task latencies, slots, sticky cache).
if (temporal.sdkMetricsAddress)
  Runtime.install({
    telemetryOptions: { metrics: { prometheus: { bindAddress: temporal.sdkMetricsAddress } } },
  });
const shared = await openShared(config, console.log);
const mailer = mailerFor(config, console.log);
const { worker, connection, version, start } = await createWorker({
  temporal,
  deps: activityDeps(config, shared, mailer),
  dataConverter: shared.dataConverter,
  refuseUnencrypted: config.env === 'production',
});
const health =
  temporal.healthPort === undefined
    ? undefined
    : await serveWorkerHealth({ port: temporal.healthPort, host: config.host, worker, sql: shared.db.sql });
const running = start();
const rollout = await running.rollout;
console.log(
  `worker: polling ${temporal.taskQueue} on ${temporal.address}` +
    (version ? ` as ${version.deploymentName} ${version.buildId} (${ROLLOUT_WORDS[rollout]})` : '') +
    (health ? `; health and metrics on http://${config.host}:${health.port}` : '') +
    (temporal.sdkMetricsAddress ? `; SDK metrics on http://${temporal.sdkMetricsAddress}/metrics` : ''),
);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful worker shutdown; the run resolves after it.
await running.stopped;
health?.server.close();
await connection.close();
mailer.close();
await shared.db.close();
