/**
 * tests/replay.test.ts is only worth something if it fails when a workflow changes its commands
 * without `patched()`. Here every workflow type with recorded histories (tests/histories) is replayed
 * against a bundle in which that workflow starts a timer before anything it did before
 * (tests/fixtures/changed-workflows.ts): each replay must fail with a DeterminismViolationError. The
 * same change behind `patched()` (the `…Guarded` workflows of the same bundle) must replay, so the
 * failure comes from the change and not from the fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataConverter, failureConverterPath } from '../platform/temporal/data-converter.js';
import {
  EncryptionCodec,
  memoryKeyStore,
  newMasterKey,
  parseMasterKeys,
} from '../platform/temporal/payload-codec.js';

// Where tests/helpers/flows.ts records them (not imported from there: it brings the whole app along).
const historiesDir = fileURLToPath(new URL('./histories', import.meta.url));
const changedWorkflowsPath = fileURLToPath(new URL('./fixtures/changed-workflows.ts', import.meta.url));

type History = temporal.api.history.v1.IHistory;

function load(file: string): History {
  return historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8')));
}

function workflowType(history: History): string {
  const type = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!type) throw new Error('a history that does not begin with its workflow’s start');
  return type;
}

/** The same history, as if a workflow of another type (a variant in the fixture) had recorded it. */
function asType(history: History, type: string): History {
  const [started, ...rest] = history.events!;
  const attributes = started!.workflowExecutionStartedEventAttributes!;
  return {
    ...history,
    events: [
      {
        ...started,
        workflowExecutionStartedEventAttributes: { ...attributes, workflowType: { name: type } },
      },
      ...rest,
    ],
  };
}

/** Every recorded history, by the type of the workflow that recorded it. */
const byType = new Map<string, string[]>();
for (const file of readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const type = workflowType(load(file));
  byType.set(type, [...(byType.get(type) ?? []), file]);
}
const types = [...byType.keys()].sort();

describe('the replay test fails on an unpatched change to a workflow', () => {
  const converter = dataConverter(
    new EncryptionCodec(memoryKeyStore(), parseMasterKeys(newMasterKey('replay-guard'))),
  );
  let bundle: WorkflowBundle;
  beforeAll(async () => {
    bundle = await bundleWorkflowCode({
      workflowsPath: changedWorkflowsPath,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
  });
  const replay = (history: History, id: string) =>
    Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: converter }, history, id);

  it('has histories of the relationship, mentor, round and cohort workflows', () => {
    expect(types).toEqual(
      expect.arrayContaining([
        'cohortWorkflow',
        'mentorWorkflow',
        'programRoundWorkflow',
        'relationshipWorkflow',
      ]),
    );
  });

  it.each(types)('%s: every recorded history fails to replay with a timer added first', async (type) => {
    for (const file of byType.get(type)!) {
      const error = await replay(load(file), file).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error, `${file} replayed against the changed ${type}`).toBeInstanceOf(DeterminismViolationError);
      expect((error as Error).message, file).toMatch(/nondeterminism/i);
    }
  });

  it.each(types)('%s: a recorded history replays with the same timer behind patched()', async (type) => {
    // One per type shows the fixture is sound; tests/replay.test.ts replays every history unchanged.
    const file = byType.get(type)![0]!;
    await replay(asType(load(file), `${type}Guarded`), file);
  });
});
