/**
 * A worker as an AWS Lambda function, a Temporal Serverless Worker: the Temporal service invokes it when
 * tasks wait on the task queue and no worker polls, and `@temporalio/lambda-worker` polls for the
 * invocation's time less a margin (7 seconds), then stops taking tasks, lets running ones finish within
 * the grace time (5 seconds) and returns before the deadline. It runs the build's workflow bundle (no
 * bundling at a cold start) and the same activities as `npm run worker`, as a version of the worker
 * deployment (Lambda workers are always versioned): `TEMPORAL_DEPLOYMENT_NAME`, and `TEMPORAL_BUILD_ID`
 * or the hash of the bundle, which `npm run prepare-release -- --current` makes current.
 *
 * What is opened here (database pool, mailer, the secret's settings) is opened once per instance, at its
 * cold start; each invocation connects to Temporal and makes a worker afresh, as the package does.
 */
import { runWorker } from '@temporalio/lambda-worker';
import { createActivities, activityDeps } from '../activities/index.js';
import { functionConfig, mailerFor, openShared } from '../platform/shared.js';
import { refusingUnencrypted } from '../platform/temporal/data-converter.js';
import { deploymentVersion } from '../platform/temporal/deployment.js';
import { connectionOptions } from '../temporal.config.js';
import { workflowBundleCode } from './create.js';

const { config, temporal } = await functionConfig('the worker function');
const shared = await openShared(config, console.log, { migrate: false, max: 4 });
const mailer = mailerFor(config, console.log);
const code = await workflowBundleCode(temporal.workflowBundlePath);
// A Lambda worker is always versioned; temporalConfig() reads its deployment from the environment.
if (!temporal.versioning) throw new Error('the worker function needs a worker deployment');
const version = await deploymentVersion(temporal.versioning, () => code);

export const handler = runWorker(version, (worker) => {
  worker.connectionOptions = connectionOptions(temporal);
  worker.namespace = temporal.namespace;
  worker.workerOptions.taskQueue = temporal.taskQueue;
  worker.workerOptions.workflowBundle = { code };
  worker.workerOptions.activities = createActivities(activityDeps(config, shared, mailer));
  worker.workerOptions.dataConverter =
    config.env === 'production' ? refusingUnencrypted(shared.dataConverter) : shared.dataConverter;
  // Each workflow declares its own behaviour (workflows/versioning.ts); this is the SDK's fallback.
  worker.workerOptions.workerDeploymentOptions = { defaultVersioningBehavior: 'AUTO_UPGRADE' };
});
