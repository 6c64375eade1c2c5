/**
 * `npm run temporal:search-attributes`: registers the project's search attributes on a self-hosted
 * cluster (the dev server gets them at start). Temporal Cloud namespaces take them in its UI or tcld.
 */
import { Connection } from '@temporalio/client';
import protos from '@temporalio/proto';
import { connectionOptions, temporalConfig } from '../temporal.config.js';
import { searchAttributes } from '../workflows/search-attributes.js';

const config = temporalConfig();
const connection = await Connection.connect(connectionOptions(config));
const existing = await connection.operatorService.listSearchAttributes({ namespace: config.namespace });
const missing = searchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
if (missing.length) {
  await connection.operatorService.addSearchAttributes({
    namespace: config.namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [
        key.name,
        protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
}
console.log(
  `search attributes on ${config.namespace}: ${searchAttributes.map((k) => k.name).join(', ')} (${missing.length} added)`,
);
await connection.close();
