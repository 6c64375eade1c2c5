/**
 * Worker Deployment Versioning: every worker of the project, long-running or a Lambda invocation, polls
 * as one version of a deployment (`TEMPORAL_DEPLOYMENT_NAME`, and a build id that names its workflow
 * code), and the Temporal server sends each workflow's tasks to the version its versioning behaviour
 * allows. Every workflow here upgrades automatically (workflows/versioning.ts): its next task runs on the
 * deployment's current version. See docs/serverless.md for the rollout of a new build.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeConnection } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

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
  // The bundle's inline source map names the files by their absolute paths: the same code built in
  // another folder differs only there, so the hash is of the code before it.
  const map = workflowCode.lastIndexOf('\n//# sourceMappingURL=');
  const code = map >= 0 ? workflowCode.slice(0, map) : workflowCode;
  return `wf-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

/**
 * The version a worker of `versioning` polls as: its build id named in the settings, else the hash of its
 * workflow code (made only then: bundling from the sources takes seconds).
 */
export async function deploymentVersion(
  versioning: Versioning,
  workflowCode: () => string | Promise<string>,
): Promise<DeploymentVersion> {
  return {
    deploymentName: versioning.deploymentName,
    buildId: versioning.buildId ?? buildIdOf(await workflowCode()),
  };
}

type WorkflowService = (Connection | NativeConnection)['workflowService'];

const identity = () => `mentorflow ${process.pid}@${hostname()}`;

/** The deployment's current build, if it has one, and the token that makes a change to it conditional. */
async function routing(
  service: WorkflowService,
  namespace: string,
  deploymentName: string,
): Promise<{ current: string | undefined; conflictToken: Uint8Array | undefined }> {
  try {
    const { workerDeploymentInfo, conflictToken } = await service.describeWorkerDeployment({
      namespace,
      deploymentName,
    });
    return {
      current: workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || undefined,
      conflictToken: conflictToken ?? undefined,
    };
  } catch (err) {
    if (isNotFound(err)) return { current: undefined, conflictToken: undefined };
    throw err;
  }
}

/** What a rollout step found or did. */
export type RolloutStep = 'was current' | 'made current' | 'left as it is';

/**
 * Makes `version` the deployment's current version, once the server has seen this worker poll it on
 * `taskQueue` (so the server does not route tasks to a version nobody polls), or at once with
 * `allowNoPollers` (an operator preparing a release whose workers poll only when invoked). With
 * `onlyNewBuilds` (a worker starting) a build that was current or ramping before is left as it is: an
 * operator moved the deployment on from it (a newer build, or a rollback), and one of its workers
 * restarting must not take the deployment back.
 */
export async function makeCurrent(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  opts: { taskQueue?: string; allowNoPollers?: boolean; timeoutMs?: number; onlyNewBuilds?: boolean } = {},
): Promise<RolloutStep> {
  // Also when the build is current already: a task queue joins the version's routing with its first poll.
  const info =
    !opts.allowNoPollers && opts.taskQueue
      ? await polled(service, namespace, version, opts.taskQueue, opts.timeoutMs ?? 30_000)
      : undefined;
  const { current, conflictToken } = await routing(service, namespace, version.deploymentName);
  if (current === version.buildId) return 'was current';
  if (opts.onlyNewBuilds && info && movedOnFrom(info)) return 'left as it is';
  try {
    await service.setWorkerDeploymentCurrentVersion({
      namespace,
      deploymentName: version.deploymentName,
      buildId: version.buildId,
      identity: identity(),
      allowNoPollers: !!opts.allowNoPollers,
      // Only from the routing just read: another worker's change in between is not undone.
      ...(conflictToken ? { conflictToken } : {}),
    });
    return 'made current';
  } catch (err) {
    // Several workers of the new build start together: one of them made it current.
    if ((await routing(service, namespace, version.deploymentName)).current === version.buildId)
      return 'was current';
    throw err;
  }
}

const { WorkerDeploymentVersionStatus: Status } = proto.temporal.api.enums.v1;

/** The deployment was routed to this version once and is no longer: it drains, or has drained. */
function movedOnFrom(info: proto.temporal.api.deployment.v1.IWorkerDeploymentVersionInfo): boolean {
  return (
    info.status === Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING ||
    info.status === Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED ||
    !!info.lastDeactivationTime
  );
}

/** Waits until the server lists `taskQueue` among the version's queues: its first poll has arrived. */
async function polled(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  taskQueue: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { workerDeploymentVersionInfo: info } = await service.describeWorkerDeploymentVersion({
        namespace,
        deploymentVersion: version,
      });
      if (info?.taskQueueInfos?.some((q) => q.name === taskQueue)) return info;
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
