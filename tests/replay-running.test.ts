/**
 * Before a deploy, what is running is replayed against the code about to be deployed
 * (platform/temporal/replay-running.ts, `npm run replay`): a relationship and a mentor that are running
 * replay against today's code, and a build with an unpatched change to the relationship workflow (a
 * timer before anything it did, tests/fixtures/changed-workflows.ts) diverges, naming the relationship.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failureConverterPath } from '../platform/temporal/data-converter.js';
import { replayRunning, runningOn, type ReplayOutcome } from '../platform/temporal/replay-running.js';
import { applyAsMentee, applyAsMentor } from './helpers/flows.js';
import { startStack, type Stack } from './helpers/stack.js';

const changedWorkflowsPath = fileURLToPath(new URL('./fixtures/changed-workflows.ts', import.meta.url));

describe('replaying what is running before a deploy', () => {
  let stack: Stack;
  let changed: WorkflowBundle;
  let mentee: string;
  let mentor: string;

  beforeAll(async () => {
    stack = await startStack('pglite');
    changed = await bundleWorkflowCode({
      workflowsPath: changedWorkflowsPath,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    mentee = (await applyAsMentee(stack, { email: 'replay.mentee@example.org' })).workflowId;
    mentor = (await applyAsMentor(stack, { email: 'replay.mentor@example.org' })).workflowId;
  });
  afterAll(async () => stack?.close());

  async function replay(code: WorkflowBundle): Promise<ReplayOutcome[]> {
    const outcomes: ReplayOutcome[] = [];
    for await (const outcome of replayRunning({
      client: stack.client,
      select: { query: runningOn(stack.taskQueue) },
      replay: { workflowBundle: code, dataConverter: stack.shared.dataConverter },
    }))
      outcomes.push(outcome);
    return outcomes;
  }

  it('replays every running workflow of the task queue against today’s code', async () => {
    const outcomes = await replay({ code: inject('workflowBundleCode') });
    expect(outcomes.map((o) => o.workflowId)).toEqual(expect.arrayContaining([mentee, mentor]));
    expect(outcomes.filter((o) => o.divergence)).toEqual([]);
  });

  it('names the relationship an unpatched change would break, and the first command that differs', async () => {
    const outcomes = await replay(changed);
    const broken = outcomes.find((o) => o.workflowId === mentee);
    expect(broken?.divergence).toMatch(/[Nn]ondeterminism/);
    expect(broken?.runId).toBeTruthy();
  });

  it('replays one workflow by its id', async () => {
    const outcomes: ReplayOutcome[] = [];
    for await (const outcome of replayRunning({
      client: stack.client,
      select: { workflowId: mentee },
      replay: { workflowBundle: changed, dataConverter: stack.shared.dataConverter },
    }))
      outcomes.push(outcome);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      workflowId: mentee,
      divergence: expect.stringMatching(/ondeterminism/),
    });
  });
});
