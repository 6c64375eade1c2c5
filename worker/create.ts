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
import { buildIdOf, makeCurrent, type DeploymentVersion } from '../platform/temporal/deployment.js';

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
   * Runs the worker. `current` settles once the deployment routes to this build: at once when an
   * operator rolls builds out (`WORKER_ROLLOUT=manual`), else after its first poll has made it current.
   * A build that cannot become current stops its worker, which would otherwise poll for nothing.
   */
  start(): { stopped: Promise<void>; current: Promise<void> };
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
  const version = versioning && {
    deploymentName: versioning.deploymentName,
    buildId: versioning.buildId ?? buildIdOf(code),
  };
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
      const running = worker.run();
      const current =
        version && versioning?.rollout === 'current'
          ? makeCurrent(connection.workflowService, opts.temporal.namespace, version, { taskQueue })
          : Promise.resolve();
      current.catch(() => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      });
      return {
        stopped: current.then(
          () => running,
          () => running.then(() => current),
        ),
        current,
      };
    },
  };
}
