/** The API's services: a Temporal client on the configured cluster plus what the processes share. */
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../platform/config.js';
import type { Shared } from '../platform/shared.js';
import { connectionOptions, type TemporalConfig } from '../temporal.config.js';
import type { Services } from './types.js';

export async function apiServices(
  config: AppConfig,
  temporal: TemporalConfig,
  shared: Shared,
  address = temporal.address,
): Promise<{ services: Services; close(): Promise<void> }> {
  const connection = await Connection.connect(connectionOptions(temporal, address));
  const client = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: shared.dataConverter,
  });
  return {
    services: {
      config,
      sql: shared.db.sql,
      temporal: client,
      taskQueue: temporal.taskQueue,
      views: shared.views,
      signer: shared.signer,
      codec: shared.codec,
    },
    close: () => connection.close(),
  };
}
