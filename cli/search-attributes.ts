/**
 * `npm run temporal:search-attributes`: registers the project's search attributes on a self-hosted
 * cluster (the dev server gets them at start). Temporal Cloud namespaces take them in its UI or tcld.
 */
import { Connection } from '@temporalio/client';
import { addMissingSearchAttributes } from '../platform/temporal/search-attributes.js';
import { connectionOptions, temporalConfig } from '../temporal.config.js';
import { searchAttributes } from '../workflows/search-attributes.js';

const config = temporalConfig();
const connection = await Connection.connect(connectionOptions(config));
const added = await addMissingSearchAttributes(connection, config.namespace, searchAttributes);
console.log(
  `search attributes on ${config.namespace}: ${searchAttributes.map((k) => k.name).join(', ')} (${added} added)`,
);
await connection.close();
