/**
 * `npm start`: everything on one machine. A Temporal dev server when TEMPORAL_ADDRESS is unset, an
 * embedded PGlite when DATABASE_URL is unset, the development mailbox when SMTP_URL is unset, one
 * worker and one API. Ctrl-C stops them in order: API, worker (with its grace time), database, server.
 * In production none of those defaults is allowed (platform/config.ts): it runs one worker and one API.
 */
import { searchAttributes } from '../workflows/search-attributes.js';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildApi } from '../api/app.js';
import { ensureAdministrator, seedFirstProgram } from '../services/seed.js';
import { devMailboxEnabled, loadConfig, type AppConfig } from '../platform/config.js';
import { startDevServer, type DevServer } from '../platform/temporal/dev-server.js';
import { ensureSchedules } from '../platform/temporal/schedules.js';
import { absoluteUrl } from '../platform/links.js';
import { activityDeps } from '../activities/index.js';
import { apiServices } from '../api/services.js';
import { mailerFor, openShared } from '../platform/shared.js';
import { temporalConfig } from '../temporal.config.js';
import { createWorker } from '../worker/create.js';

const say = (line: string) => console.log(line);
let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  // The message names each variable; a stack trace would only bury it.
  console.error((err as Error).message);
  process.exit(2);
}
const temporal = temporalConfig();
Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });

let devServer: DevServer | undefined;
if (!temporal.address) {
  devServer = await startDevServer({
    searchAttributes,
    namespace: temporal.namespace,
    port: temporal.devServer.port,
    uiPort: temporal.devServer.uiPort,
    dbFilename: join(config.dataDir, 'temporal.db'),
    log: say,
  });
}
const address = temporal.address ?? devServer!.address;

const shared = await openShared(config, say);
await seedFirstProgram(shared.db.sql, config.admin?.email ?? 'coordinator@example.org');
const generatedAdmin = await ensureAdministrator(shared.db.sql, config.admin, config.env !== 'production');

const mailer = mailerFor(config, say);
const {
  worker,
  connection: workerConnection,
  start: startWorker,
} = await createWorker({
  temporal,
  address,
  deps: activityDeps(config, shared, mailer),
  dataConverter: shared.dataConverter,
  refuseUnencrypted: config.env === 'production',
});
const { stopped: workerRun, rollout } = startWorker();
await rollout.catch(async (err: unknown) => {
  // The worker has stopped; the dev server this process started must not outlive it.
  await workerConnection.close();
  await devServer?.stop();
  throw err;
});

const api = await apiServices(config, temporal, shared, address);
await ensureSchedules(api.services.temporal, temporal.taskQueue);
const devMailbox = devMailboxEnabled(config);
const app = await buildApi(api.services, {
  devMailbox,
  logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
});
await app.listen({ host: config.host, port: config.port });

say('');
say(`Open ${absoluteUrl(config.publicUrl, '')}`);
if (devMailbox) say(`  development mailbox: ${absoluteUrl(config.publicUrl, 'dev/mailbox')}`);
say(`  admin pages:         ${absoluteUrl(config.publicUrl, 'admin')}`);
if (generatedAdmin)
  say(`  first administrator: ${generatedAdmin.email} / ${generatedAdmin.password} (shown once)`);
if (devServer?.uiUrl) say(`  Temporal Web UI:     ${devServer.uiUrl}`);
say('Press Ctrl-C to stop.');

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping`);
  app.lifecycle.draining = true;
  await app.close();
  worker.shutdown();
  await workerRun.catch((err: unknown) => console.error(err));
  await Promise.all([api.close(), workerConnection.close()]);
  mailer.close();
  await shared.db.close();
  await devServer?.stop();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
