/**
 * `npm run prepare-release`: what a release does once before its functions serve, since a function
 * instance does none of it on a person's request (api/lambda.ts, worker/lambda.ts): the database schema
 * brought to this release, and the project's Temporal schedules made. With `--current`, the release's
 * workflow build is also made the current version of the worker deployment, before any of its workers
 * has polled (a Lambda worker polls only once the server invokes it for waiting tasks).
 * Reads the same settings as `npm run api`, secrets included (`MENTORFLOW_SECRET_ARN`).
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { openDatabase } from '../platform/db/connect.js';
import { functionConfig } from '../platform/shared.js';
import { deploymentVersion, makeCurrent } from '../platform/temporal/deployment.js';
import { ensureSchedules } from '../platform/temporal/schedules.js';
import { connectionOptions } from '../temporal.config.js';
import { workflowBundleCode } from '../worker/create.js';

const { values } = parseArgs({ options: { current: { type: 'boolean', default: false } } });
const { config, temporal } = await functionConfig('npm run prepare-release');
const db = await openDatabase({ databaseUrl: config.databaseUrl, log: console.log });
await db.close();
console.log('release: database schema is current');
const connection = await Connection.connect(connectionOptions(temporal));
try {
  await ensureSchedules(new Client({ connection, namespace: temporal.namespace }), temporal.taskQueue);
  console.log(`release: schedules of ${temporal.taskQueue} in place`);
  if (values.current && temporal.versioning) {
    const version = await deploymentVersion(temporal.versioning, () =>
      workflowBundleCode(temporal.workflowBundlePath),
    );
    await makeCurrent(connection.workflowService, temporal.namespace, version, { allowNoPollers: true });
    console.log(`release: ${version.deploymentName} ${version.buildId} is the current version`);
  }
} finally {
  await connection.close();
}
