/** `npm run api`: one more API instance against a shared Temporal cluster and database. */
import { Client, Connection } from '@temporalio/client';
import { devMailboxEnabled, loadConfig } from '../lib/config.js';
import { openShared } from '../lib/services.js';
import { connectionOptions, temporalConfig } from '../temporal.config.js';
import { buildApi } from './app.js';

const config = loadConfig();
const temporal = temporalConfig();
if (!temporal.address || !config.databaseUrl) {
  console.error(
    'npm run api needs TEMPORAL_ADDRESS and DATABASE_URL; `npm start` runs everything on one machine.',
  );
  process.exit(2);
}
const shared = await openShared(config, console.log);
const connection = await Connection.connect(connectionOptions(temporal));
const client = new Client({ connection, namespace: temporal.namespace });
const app = await buildApi(
  {
    config,
    sql: shared.db.sql,
    temporal: client,
    taskQueue: temporal.taskQueue,
    views: shared.views,
    signer: shared.signer,
  },
  { devMailbox: devMailboxEnabled(config) },
);
await app.listen({ host: config.host, port: config.port });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await connection.close();
    await shared.db.close();
  });
}
