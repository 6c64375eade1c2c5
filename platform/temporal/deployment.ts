/**
 * Worker Deployment Versioning: every worker of the project, long-running or a Lambda invocation, polls
 * as one version of a deployment (`TEMPORAL_DEPLOYMENT_NAME`, and a build id that names its workflow
 * code), and the Temporal server sends each workflow's tasks to the version its versioning behaviour
 * allows: the deployment's current version for workflows that upgrade automatically (relationships,
 * mentors, rounds, cohorts, which run for months and change through `patched()`), the version they
 * started on for pinned ones (minutes-long archive, export, invitations and retention runs). See
 * docs/serverless.md for the rollout of a new build.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeConnection } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';

/** How a new build takes over: it makes itself current as its first worker polls, or an operator does. */
export type Rollout = 'current' | 'manual';

export interface Versioning {
  deploymentName: string;
  /** Unset: the hash of the workflow code the worker runs (`buildIdOf`). */
  buildId: string | undefined;
  rollout: Rollout;
}

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * A build id from the workflow code itself: two workers with the same code are one version, and a change
 * to the code is a new one, whichever machine built it.
 */
export function buildIdOf(workflowCode: string): string {
  return `wf-${createHash('sha256').update(workflowCode).digest('hex').slice(0, 16)}`;
}

type WorkflowService = (Connection | NativeConnection)['workflowService'];

const identity = () => `mentorflow ${process.pid}@${hostname()}`;

/** The deployment's current build, if it has one. */
export async function currentBuild(
  service: WorkflowService,
  namespace: string,
  deploymentName: string,
): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await service.describeWorkerDeployment({ namespace, deploymentName });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Makes `version` the deployment's current version, once the server has seen this worker poll it on
 * `taskQueue` (so the server does not route tasks to a version nobody polls), or at once with
 * `allowNoPollers` (a Lambda worker, which polls only when the server invokes it). Does nothing when it
 * is current already.
 */
export async function makeCurrent(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  opts: { taskQueue?: string; allowNoPollers?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  // Also when the build is current already: a task queue joins the version's routing with its first poll.
  if (!opts.allowNoPollers && opts.taskQueue)
    await polled(service, namespace, version, opts.taskQueue, opts.timeoutMs ?? 30_000);
  const isCurrent = async () =>
    (await currentBuild(service, namespace, version.deploymentName)) === version.buildId;
  if (await isCurrent()) return;
  try {
    await service.setWorkerDeploymentCurrentVersion({
      namespace,
      deploymentName: version.deploymentName,
      buildId: version.buildId,
      identity: identity(),
      allowNoPollers: !!opts.allowNoPollers,
    });
  } catch (err) {
    // Several workers of the new build start together: one of them made it current.
    if (!(await isCurrent())) throw err;
  }
}

/** Waits until the server lists `taskQueue` among the version's queues: its first poll has arrived. */
async function polled(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  taskQueue: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { workerDeploymentVersionInfo: info } = await service.describeWorkerDeploymentVersion({
        namespace,
        deploymentVersion: version,
      });
      if (info?.taskQueueInfos?.some((q) => q.name === taskQueue)) return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the worker of ${version.deploymentName} ${version.buildId} was not seen polling ${taskQueue} within ${timeoutMs / 1000} s`,
      );
    await sleep(100);
  }
}

function isNotFound(err: unknown): boolean {
  // gRPC status 5; the client and the native connection both carry it as `code`.
  return (err as { code?: number })?.code === 5;
}
