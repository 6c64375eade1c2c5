/** `npm run api`: one more API instance against a shared Temporal cluster and database. */
import { setTimeout as sleep } from 'node:timers/promises';
import { devMailboxEnabled } from '../platform/config.js';
import { openShared, scaleOutConfig } from '../platform/shared.js';
import { apiServices } from './services.js';
import { buildApi } from './app.js';
import { ensureSchedules } from '../platform/temporal/schedules.js';

const { config, temporal } = scaleOutConfig('npm run api');
const shared = await openShared(config, console.log);
const api = await apiServices(config, temporal, shared);
await ensureSchedules(api.services.temporal, temporal.taskQueue);
const app = await buildApi(api.services, { devMailbox: devMailboxEnabled(config) });
await app.listen({ host: config.host, port: config.port });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // A rolling deploy: /readyz fails first, so the load balancer sends new people elsewhere, while
    // requests already here are answered; then the server closes.
    app.lifecycle.draining = true;
    await sleep(config.drainSeconds * 1000);
    await app.close();
    await api.close();
    await shared.db.close();
  });
}
