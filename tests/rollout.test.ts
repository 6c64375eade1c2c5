/**
 * A rollout under Worker Deployment Versioning: relationships started on build A go on on build B once B
 * is current, because relationships upgrade automatically (workflows/versioning.ts). B is a real other
 * build: today's workflows with a change behind `patched()` (the one the cluster drill rolls out). Its
 * worker makes itself current as it first polls (`WORKER_ROLLOUT=current`, the default); A's worker then
 * stops. What guards the upgrade is replay: the running relationship's history, and every recorded
 * history, replay against B's code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { activityDeps } from '../activities/index.js';
import { ROLLOUT_PATCH } from '../drills/support/rollout-workflows.js';
import { mailerFor } from '../platform/shared.js';
import { failureConverterPath } from '../platform/temporal/data-converter.js';
import { buildIdOf } from '../platform/temporal/deployment.js';
import { temporalConfig } from '../temporal.config.js';
import { createWorker, type CreatedWorker } from '../worker/create.js';
import { answerForm, applyAsMentee, historiesDir, linkIn, mailTo } from './helpers/flows.js';
import { mailWith } from './helpers/journey.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';

const EventType = proto.temporal.api.enums.v1.EventType;

describe('a new build rolled out', () => {
  const deploymentName = `rollout-${randomBytes(4).toString('hex')}`;
  let stack: Stack;
  let buildB: string;
  let codeB: string;
  let workerB: CreatedWorker;
  let stoppedB: Promise<void>;
  let mailer: ReturnType<typeof mailerFor>;
  const buildA = buildIdOf(inject('workflowBundleCode'));

  beforeAll(async () => {
    stack = await startStack(backends()[0]!, { TEMPORAL_DEPLOYMENT_NAME: deploymentName });
    mailer = mailerFor(stack.config, () => {});
    ({ code: codeB } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../drills/support/rollout-workflows.ts', import.meta.url)),
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    }));
    buildB = buildIdOf(codeB);
  }, 120_000);
  afterAll(async () => {
    if (workerB?.worker.getState() === 'RUNNING') workerB.worker.shutdown();
    await stoppedB;
    await workerB?.connection.close();
    mailer?.close();
    await stack?.close();
  });

  const historyOf = async (workflowId: string) =>
    (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events!;
  /** The build that completed each workflow task of a run, in order. */
  const builds = async (workflowId: string) =>
    (await historyOf(workflowId))
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      .map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId);
  /** The ids of the patches a run recorded (each marker's data is the patch's JSON). */
  const markers = async (workflowId: string) =>
    (await historyOf(workflowId)).flatMap((e) =>
      (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
        (p) => (JSON.parse(Buffer.from(p.data!).toString()) as { id: string }).id,
      ),
    );

  /** A worker of the build `code` is, on the stack's task queue, making its build current as it polls. */
  const workerOf = (code: string) =>
    createWorker({
      temporal: {
        ...temporalConfig({}),
        address: inject('temporalAddress'),
        taskQueue: stack.taskQueue,
        versioning: { deploymentName, buildId: undefined, rollout: 'current' },
      },
      deps: activityDeps(stack.config, stack.shared, mailer),
      dataConverter: stack.shared.dataConverter,
      workflowBundle: { code },
    });
  const currentBuild = async () =>
    (await stack.client.workflowService.describeWorkerDeployment({ namespace: 'default', deploymentName }))
      .workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;

  let ada: string;
  it('a relationship starts on build A, then B is made current and A’s worker stops', async () => {
    ({ workflowId: ada } = await applyAsMentee(stack, { email: 'ada@example.org' }));
    await mailWith(stack.smtp, 'charles.babbage@example.org', /^Please endorse/);
    expect(new Set(await builds(ada))).toEqual(new Set([buildA]));

    workerB = await workerOf(codeB);
    expect(workerB.version).toEqual({ deploymentName, buildId: buildB });
    const running = workerB.start();
    stoppedB = running.stopped;
    expect(await running.rollout).toBe('made current');
    expect(await currentBuild()).toBe(buildB);
    await stack.stopWorker();
  });

  it('the relationship goes on on build B: the endorsement is taken, the coordinator told', async () => {
    const [request] = await mailTo(stack, 'charles.babbage@example.org', 1);
    const page = await answerForm(linkIn(request!, 'f'), { endorse: 'yes', comment: '' });
    expect(page.status, page.text).toBe(200);
    await mailWith(stack.smtp, COORDINATOR_EMAIL, /^An applicant is ready for interview/);
    const done = await builds(ada);
    expect(done[0]).toBe(buildA);
    expect(done.at(-1)).toBe(buildB);
    // Upgraded, not started again: the run that began on A is the one B goes on with.
    const { raw } = await stack.client.workflow.getHandle(ada).describe();
    expect(raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId).toBe(buildB);
    expect(await markers(ada)).not.toContain(ROLLOUT_PATCH);
  });

  it('a worker of build A starting again does not take the deployment back from B', async () => {
    const again = await workerOf(inject('workflowBundleCode'));
    const running = again.start();
    expect(await running.rollout).toBe('left as it is');
    expect(await currentBuild()).toBe(buildB);
    again.worker.shutdown();
    await running.stopped;
    await again.connection.close();
  });

  it('a relationship started now runs on B from its start, with B’s change', async () => {
    const { workflowId: bo } = await applyAsMentee(stack, {
      name: 'Bo Berg',
      email: 'bo@example.org',
      managerEmail: 'boss.bo@example.org',
    });
    await mailWith(stack.smtp, 'boss.bo@example.org', /^Please endorse/);
    expect(new Set(await builds(bo))).toEqual(new Set([buildB]));
    expect(await markers(bo)).toContain(ROLLOUT_PATCH);
  });

  it('guards the upgrade by replay: the running history and every recorded one replay on B', async () => {
    const replay = (history: Parameters<typeof Worker.runReplayHistory>[1], name: string) =>
      Worker.runReplayHistory(
        { workflowBundle: { code: codeB }, dataConverter: stack.shared.dataConverter },
        history,
        name,
      );
    await replay(await stack.client.workflow.getHandle(ada).fetchHistory(), ada);
    const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files)
      await replay(historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8'))), file);
  }, 120_000);
});
