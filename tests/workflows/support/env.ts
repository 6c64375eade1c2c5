/**
 * One time-skipping test server and one worker per test file, the activities stubbed: workflow tests
 * that need no database, API or SMTP server, where a month of timers passes in milliseconds.
 *
 * Time skipping is locked except while the client waits for a workflow's result or `env.sleep` runs, so
 * a test walks a workflow through its timers on purpose: it sleeps to a point, then waits (by polling a
 * Query) for what the workflow does there.
 *
 * Workflows a test leaves running are not terminated: the test server (1.40.0) never releases the
 * time-skipping lock of an activity that was in flight when its workflow was terminated, and every
 * later `env.sleep` then hangs. Each test has a programme of its own, and reads only its own workflows'
 * calls, so what earlier tests left running does not disturb it.
 *
 * Time also stands still while any activity is in flight: never `sleep` while a test holds an activity
 * at a gate (`stubs.gate()`), or the sleep waits for the gate.
 */
import { randomUUID } from 'node:crypto';
import protos from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { findTestServer } from '../../../platform/temporal/temporal-cli.js';
import { isUnavailable } from '../../../platform/unavailable.js';
import { failureConverterPath } from '../../../platform/temporal/data-converter.js';
import { searchAttributes } from '../../../workflows/search-attributes.js';
import type { Refusal } from '../../../workflows/refusals.js';
import { stubActivities, type Stubs } from './stubs.js';

export const testServer = findTestServer();
if (process.env.CI && !testServer)
  throw new Error('CI must run the workflow tests: `npm run setup` installs the test server');

export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  client: TestWorkflowEnvironment['client'];
  taskQueue: string;
  stubs: Stubs;
  /** Workflows the file started. */
  started: WorkflowHandle[];
  /** Advances the test server's clock by `ms`, firing every timer due meanwhile. */
  sleep(ms: number): Promise<void>;
  /** Advances the clock to `at` (a time or an ISO string), plus `after` ms. */
  sleepUntil(at: number | string, after?: number): Promise<void>;
  now(): Promise<number>;
  close(): Promise<void>;
}

export async function startWorkflowTestEnv(stubs: Stubs = stubActivities()): Promise<WorkflowTestEnv> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer! } },
  });
  // The workflows set the project's search attributes, which the test server must know, as the dev server does.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributes.map((key) => [
        key.name,
        protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  const taskQueue = `workflow-tests-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    // The bundle the global setup built once for the run, with the project's failure converter.
    workflowBundle: { code: inject('workflowBundleCode') },
    dataConverter: { failureConverterPath },
    activities: stubs.activities,
    // An activity a failed test left waiting must not hold the file's end.
    shutdownForceTime: '2s',
  });
  const running = worker.run();
  const started: WorkflowHandle[] = [];
  const now = () => env.currentTimeMs();
  const sleep = async (ms: number) => {
    if (ms > 0) await env.sleep(ms);
  };
  return {
    env,
    client: env.client,
    taskQueue,
    stubs,
    started,
    sleep,
    now,
    async sleepUntil(at, after = 0) {
      const target = typeof at === 'string' ? Date.parse(at) : at;
      await sleep(target + after - (await now()));
    },
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Expects the Update to be turned down by its validator with the refusal `type` (workflows/refusals.ts). */
export async function expectRefusal(update: Promise<unknown>, type: Refusal): Promise<void> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected the refusal ${type}`).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(type);
}

export const by = { userId: 'coordinator-1' };

/**
 * The file's environment, for a `describe` block: started before its tests, stubs reset after each,
 * closed after all. The object is filled in when the environment has started.
 *
 * `freshPerTest` gives each test a server of its own, for files whose workflows keep many timers
 * running after their test: on a shared server every later sleep fires them, one worker round trip each
 * before the clock may skip on, which on a loaded machine outlasts a test. (A workflow cannot simply be
 * terminated after its test: the test server then keeps its clock still for good.)
 */
export function useWorkflowTestEnv({ freshPerTest = false } = {}): WorkflowTestEnv {
  const t = {} as WorkflowTestEnv;
  const start = async () => {
    Object.assign(t, await startWorkflowTestEnv());
  };
  const close = async () => {
    await t.close?.();
  };
  if (freshPerTest) {
    beforeEach(start);
    afterEach(close);
  } else {
    beforeAll(start);
    afterEach(() => t.stubs?.reset());
    afterAll(close);
  }
  return t;
}

/**
 * A call to the test server made again when no answer comes in time: the time-skipping server can hold a
 * Query or an Update that arrives while a run hands over to the next (continue-as-new) until the test
 * times out. Only what is safe to repeat goes through here.
 */
async function again<T>(handle: WorkflowHandle, call: () => Promise<T>, waitMs: number, times: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.client.connection.withDeadline(Date.now() + waitMs, call);
    } catch (err) {
      if (attempt >= times || !isUnavailable(err)) throw err;
    }
  }
}

/** A Query, asked again after two seconds without an answer. */
export const patientQuery = <T>(handle: WorkflowHandle, ask: () => Promise<T>): Promise<T> =>
  again(handle, ask, 2_000, 15);

/** An Update, sent again after ten seconds without its outcome: `send` must give it a fixed id. */
export const patientUpdate = <T>(handle: WorkflowHandle, send: () => Promise<T>): Promise<T> =>
  again(handle, send, 10_000, 5);
