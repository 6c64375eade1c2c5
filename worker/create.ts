/**
 * The worker: polls the task queue, runs the workflows in their sandbox and the activities with the
 * injected dependencies. Shutdown lets running activities finish within the grace time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { moduleBeside, projectRoot } from '../platform/project.js';
import { connectionOptions, type TemporalConfig } from '../temporal.config.js';
import { failureConverterPath, refusingUnencrypted } from '../platform/temporal/data-converter.js';
import {
  deploymentVersion,
  makeCurrent,
  type DeploymentVersion,
  type RolloutStep,
} from '../platform/temporal/deployment.js';

export const workflowsPath = moduleBeside(import.meta.url, '../workflows/index');
/** The workflow code bundled by `npm run build`: the build's workers load it instead of bundling at start. */
export const builtWorkflowBundle = join(projectRoot, 'dist', 'workflow-bundle.js');
const runningTheBuild = import.meta.url.endsWith('.js');

/**
 * The workflow code a worker or a replay of this process runs: the bundle file given (a new version
 * rolled out, say), else the build's bundle when this process runs the build, else the sources, bundled
 * at start.
 */
export function workflowCode(bundlePath?: string) {
  const codePath = bundlePath ?? (runningTheBuild ? builtWorkflowBundle : undefined);
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath };
}

/**
 * The workflow code itself, so its hash can name the build: the given bundle, the file of a rolled-out
 * version or of the build, else the sources bundled now (as the SDK would at start).
 */
export async function workflowBundleCode(bundlePath?: string): Promise<string> {
  const code = workflowCode(bundlePath);
  if (code.workflowBundle) return readFileSync(code.workflowBundle.codePath, 'utf8');
  const { code: bundled } = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  return bundled;
}

/** The worker and what runs it. */
export interface CreatedWorker {
  worker: Worker;
  connection: NativeConnection;
  /** The deployment version it polls as; unset on a server without versioning. */
  version: DeploymentVersion | undefined;
  /**
   * Runs the worker. `rollout` settles once the worker's build has its place in the deployment: made
   * current as the worker first polls, or found current (`WORKER_ROLLOUT=current`); left as the operator
   * has it (`manual`, or a build they have moved on from); at once on a server without versioning. It
   * rejects if the worker stops first or the server refuses, and the worker is then stopped: polling for
   * a build that cannot be current would take nothing. `stopped` settles when the worker has stopped.
   */
  start(): { stopped: Promise<void>; rollout: Promise<RolloutStep | 'manual' | 'unversioned'> };
}

export async function createWorker(opts: {
  temporal: TemporalConfig;
  address?: string;
  deps: ActivityDeps;
  /** The project's data converter (platform/temporal/data-converter.ts), the same as the clients'. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests build one per run); without it the build's bundle, or from the sources a bundle made at start. */
  workflowBundle?: { code: string };
  taskQueue?: string;
  /** Which tasks it takes: both (the default), or only workflow or only activity tasks. */
  polls?: 'both' | 'workflows' | 'activities';
  /**
   * Fail every payload that arrives without the project's encryption instead of reading it: in
   * production (`config.env === 'production'`), where nothing this project writes is unencrypted.
   */
  refuseUnencrypted?: boolean;
}): Promise<CreatedWorker> {
  const polls = opts.polls ?? 'both';
  const taskQueue = opts.taskQueue ?? opts.temporal.taskQueue;
  const code = opts.workflowBundle?.code ?? (await workflowBundleCode(opts.temporal.workflowBundlePath));
  const versioning = opts.temporal.versioning;
  const version = versioning && (await deploymentVersion(versioning, () => code));
  const connection = await NativeConnection.connect(connectionOptions(opts.temporal, opts.address));
  const worker = await Worker.create({
    connection,
    namespace: opts.temporal.namespace,
    taskQueue,
    ...(polls === 'activities' ? {} : { workflowBundle: { code } }),
    ...(polls === 'workflows' ? {} : { activities: createActivities(opts.deps) }),
    // Each workflow declares its own behaviour (workflows/versioning.ts); the SDK asks for a default too.
    ...(version
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version,
            defaultVersioningBehavior: 'AUTO_UPGRADE' as const,
          },
        }
      : {}),
    dataConverter: opts.refuseUnencrypted ? refusingUnencrypted(opts.dataConverter) : opts.dataConverter,
    shutdownGraceTime: opts.temporal.workerShutdownGrace as `${number}s`,
    maxCachedWorkflows: opts.temporal.workflowCacheSize,
    ...(opts.temporal.slots.workflowTasks === undefined
      ? {}
      : { maxConcurrentWorkflowTaskExecutions: opts.temporal.slots.workflowTasks }),
    ...(opts.temporal.slots.activities === undefined
      ? {}
      : { maxConcurrentActivityTaskExecutions: opts.temporal.slots.activities }),
    ...(opts.temporal.stickyTimeout === undefined
      ? {}
      : { stickyQueueScheduleToStartTimeout: opts.temporal.stickyTimeout as `${number}s` }),
  });
  return {
    worker,
    connection,
    version,
    start() {
      const stopped = worker.run();
      // Handled here and by the caller alike: a worker that fails at once is reported through `rollout`.
      stopped.catch(() => {});
      const ended = stopped.then(() => {
        throw new Error('the worker stopped before its build had its place in the deployment');
      });
      const step: Promise<RolloutStep | 'manual' | 'unversioned'> = !version
        ? Promise.resolve('unversioned')
        : versioning?.rollout !== 'current'
          ? Promise.resolve('manual')
          : makeCurrent(connection.workflowService, opts.temporal.namespace, version, {
              taskQueue,
              onlyNewBuilds: true,
            });
      const rollout = Promise.race([step, ended]);
      rollout.catch(() => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      });
      return { stopped, rollout };
    },
  };
}
