/**
 * Recorded histories of real runs (tests/histories, written by the tests with RECORD_HISTORIES=1)
 * replay against today's workflow code. A change to a workflow's command sequence that is not guarded
 * by `patched()` fails here, before it can break relationships that are running.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historiesDir } from './helpers/flows.js';
import { dataConverter } from '../platform/temporal/data-converter.js';
import {
  EncryptionCodec,
  memoryKeyStore,
  newMasterKey,
  parseMasterKeys,
} from '../platform/temporal/payload-codec.js';

const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('are there to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  // With the project's data converter, as the worker has it. The recorded histories are decoded (or
  // from before encryption), so their payloads pass through the codec; the commands a replay encodes
  // and then discards use keys that live in memory.
  const converter = dataConverter(
    new EncryptionCodec(memoryKeyStore(), parseMasterKeys(newMasterKey('replay'))),
  );

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: converter },
      history,
      file,
    );
  });
});
