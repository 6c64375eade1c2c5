/** `npm run worker`: one more worker against a shared Temporal cluster and database. */
import { loadConfig } from '../lib/config.js';
import { activityDeps, mailerFor, openShared } from '../lib/services.js';
import { temporalConfig } from '../temporal.config.js';
import { createWorker } from './create.js';

const config = loadConfig();
const temporal = temporalConfig();
if (!temporal.address || !config.databaseUrl) {
  console.error(
    'npm run worker needs TEMPORAL_ADDRESS and DATABASE_URL; `npm start` runs everything on one machine.',
  );
  process.exit(2);
}
const shared = await openShared(config, console.log);
const mailer = mailerFor(config, console.log);
const { worker, connection } = await createWorker({ temporal, deps: activityDeps(config, shared, mailer) });
console.log(`worker: polling ${temporal.taskQueue} on ${temporal.address}`);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful worker shutdown; run() resolves after it.
await worker.run();
await connection.close();
mailer.close();
await shared.db.close();
