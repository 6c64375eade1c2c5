/**
 * The worker: polls the task queue, runs the workflows in their sandbox and the activities with the
 * injected dependencies. Shutdown lets running activities finish within the grace time.
 */
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { join } from 'node:path';
import { moduleBeside, projectRoot } from '../platform/project.js';
import { refusingUnencrypted } from '../platform/temporal/data-converter.js';
import { connectionOptions, type TemporalConfig } from '../temporal.config.js';

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

export async function createWorker(opts: {
  temporal: TemporalConfig;
  address?: string;
  deps: ActivityDeps;
  /** The project's data converter (platform/temporal/data-converter.ts), the same as the clients'. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests build one per run); without it the build's bundle, or from the sources a bundle made at start. */
  workflowBundle?: WorkflowBundle;
  taskQueue?: string;
  /** Which tasks it takes: both (the default), or only workflow or only activity tasks. */
  polls?: 'both' | 'workflows' | 'activities';
  /**
   * Fail every payload that arrives without the project's encryption instead of reading it: in
   * production (`config.env === 'production'`), where nothing this project writes is unencrypted.
   */
  refuseUnencrypted?: boolean;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const polls = opts.polls ?? 'both';
  const connection = await NativeConnection.connect(connectionOptions(opts.temporal, opts.address));
  const worker = await Worker.create({
    connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.taskQueue ?? opts.temporal.taskQueue,
    ...(polls === 'activities'
      ? {}
      : opts.workflowBundle
        ? { workflowBundle: opts.workflowBundle }
        : workflowCode(opts.temporal.workflowBundlePath)),
    ...(polls === 'workflows' ? {} : { activities: createActivities(opts.deps) }),
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
  return { worker, connection };
}
