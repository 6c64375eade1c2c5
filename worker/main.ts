/** `npm run worker`: one more worker against a shared Temporal cluster and database. */
import { activityDeps } from '../activities/index.js';
import { mailerFor, openShared, scaleOutConfig } from '../platform/shared.js';
import { createWorker } from './create.js';

const { config, temporal } = scaleOutConfig('npm run worker');
const shared = await openShared(config, console.log);
const mailer = mailerFor(config, console.log);
const { worker, connection } = await createWorker({
  temporal,
  deps: activityDeps(config, shared, mailer),
  dataConverter: shared.dataConverter,
  refuseUnencrypted: config.env === 'production',
});
console.log(`worker: polling ${temporal.taskQueue} on ${temporal.address}`);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful worker shutdown; run() resolves after it.
await worker.run();
await connection.close();
mailer.close();
await shared.db.close();
