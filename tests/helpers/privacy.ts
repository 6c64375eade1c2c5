/** What someone with access to Temporal but not to the keys can read: raw histories and visibility records. */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { expect } from 'vitest';
import { runHistories } from './flows.js';
import type { Stack } from './stack.js';

/** Every string in a JSON value, and where one is base64 (payload data), its bytes read as UTF-8 too. */
export function readable(json: unknown, out: string[] = []): string[] {
  if (typeof json === 'string') {
    out.push(json);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(json) && json.length % 4 === 0)
      out.push(Buffer.from(json, 'base64').toString('utf8'));
  } else if (Array.isArray(json)) json.forEach((item) => readable(item, out));
  else if (json && typeof json === 'object') Object.values(json).forEach((value) => readable(value, out));
  return out;
}

/** Each payload-shaped object in a history's JSON: where it is, and its encoding. */
function payloadsIn(json: unknown, path = ''): { path: string; encoding: string }[] {
  if (!json || typeof json !== 'object') return [];
  const metadata = (json as { metadata?: { encoding?: unknown } }).metadata;
  if (metadata && typeof metadata.encoding === 'string')
    return [{ path, encoding: Buffer.from(metadata.encoding, 'base64').toString('utf8') }];
  return Object.entries(json).flatMap(([key, value]) => payloadsIn(value, `${path}/${key}`));
}

/**
 * Fetches the raw histories (every run) of these workflows and the programme's visibility records, as
 * stored, and expects none of `secrets` in them, and every payload encrypted.
 */
export async function expectNothingReadable(stack: Stack, workflowIds: string[], secrets: string[]) {
  const texts: string[] = [];
  let payloads = 0;
  for (const id of workflowIds)
    for (const history of await runHistories(stack, id)) {
      const json = JSON.parse(historyToJSON(history)) as unknown;
      texts.push(...readable(json));
      for (const { path, encoding } of payloadsIn(json)) {
        // Search attributes are never encoded (Temporal indexes them), nor are the SDK's patch markers;
        // both hold codes, and the search for secrets below covers them too.
        if (path.includes('indexedFields') || path.includes('/patch-data/')) continue;
        payloads++;
        expect(encoding, `${id} ${path}`).toBe('binary/encrypted');
      }
    }
  for await (const execution of stack.client.workflow.list({ query: `ProgramId = '${stack.programId}'` }))
    texts.push(
      ...readable(
        JSON.parse(
          JSON.stringify({
            id: execution.workflowId,
            type: execution.type,
            searchAttributes: execution.searchAttributes,
            // As stored: the client decodes memos (the published status) with the keys.
            memo: (execution.raw as { memo?: unknown }).memo,
          }),
        ),
      ),
    );
  expect(payloads).toBeGreaterThan(20);
  const all = texts.join('\n').toLowerCase();
  expect(secrets.filter((secret) => all.includes(secret.toLowerCase()))).toEqual([]);
}
