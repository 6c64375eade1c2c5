/**
 * Registers the application's keyword search attributes on a namespace of a self-hosted cluster, those
 * it lacks only; returns how many were added. (The dev server takes them as start-up flags.)
 */
import type { Connection } from '@temporalio/client';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes.js';
import protos from '@temporalio/proto';

export async function addMissingSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: SearchAttributeKey<SearchAttributeType>[],
): Promise<number> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = keys.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length)
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  return missing.length;
}
