/**
 * The worker as a Lambda function (worker/lambda.ts), a Temporal Serverless Worker, invoked locally in a
 * process of its own with a synthetic context and its deadline, while tasks wait on its task queue and
 * no other worker polls: a mentee's application and her manager's endorsement go through, each taken by
 * an invocation, under the release's deployment version, and each invocation returns before its
 * deadline. The release is prepared as a serverless one is (`npm run prepare-release -- --current`:
 * the build made current before any of its workers has polled). Needs PostgreSQL: the function is
 * another process, and the embedded database belongs to the test's.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../platform/project.js';
import { Browser, hiddenValue, menteeAnswers, type Page } from './helpers/http.js';
import { linkIn, mailWith } from './helpers/journey.js';
import { lambdaWorkerInstance, type Invocation } from './helpers/lambda-worker.js';
import { backends, COORDINATOR_EMAIL, startStack, type Stack } from './helpers/stack.js';
import { retentionScheduleId, archiveScheduleId } from '../platform/temporal/schedules.js';

const EventType = proto.temporal.api.enums.v1.EventType;
/** Seconds from an invocation's start to its deadline: the package polls for all but the last seven. */
const DEADLINE_SECONDS = 14;

describe.skipIf(!backends().includes('postgres'))('the worker function (a Serverless Worker)', () => {
  let stack: Stack;
  let lambda: Awaited<ReturnType<typeof lambdaWorkerInstance>>;
  const deploymentName = `lambda-${randomBytes(4).toString('hex')}`;
  const buildId = `release-${randomBytes(4).toString('hex')}`;
  const invocations: Invocation[] = [];

  beforeAll(async () => {
    stack = await startStack('postgres', { TEMPORAL_DEPLOYMENT_NAME: deploymentName });
    // The long-running worker goes: only the function polls from here on.
    await stack.stopWorker();
    const bundle = join(stack.config.dataDir, 'workflow-bundle.js');
    writeFileSync(bundle, inject('workflowBundleCode'));
    // The function's configuration: the stack's database, Temporal, mail and keys (the same data folder).
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: stack.config.dataDir,
      DATABASE_URL: stack.databaseUrl!,
      PUBLIC_URL: stack.config.publicUrl.href,
      SMTP_URL: stack.config.smtpUrl!,
      LINK_SECRET: stack.config.linkSecret,
      SESSION_SECRET: stack.config.sessionSecret,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      TEMPORAL_DEPLOYMENT_NAME: deploymentName,
      TEMPORAL_BUILD_ID: buildId,
      WORKER_WORKFLOW_BUNDLE: bundle,
    };
    const release = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'cli/prepare-release.ts', '--current'],
      { cwd: projectRoot, env: { ...process.env, ...env } },
    );
    expect(release.stdout).toContain(`release: ${deploymentName} ${buildId} is the current version`);
    lambda = await lambdaWorkerInstance(env);
  }, 120_000);
  afterAll(async () => {
    lambda?.close();
    for (const id of [retentionScheduleId, archiveScheduleId])
      await stack?.client.schedule
        .getHandle(id(stack.taskQueue))
        .delete()
        .catch(() => {});
    await stack?.close();
  });

  /** Invocations, one after another, until `done` (each waits for the one before to return). */
  async function invokeUntil(done: () => boolean, most = 4) {
    for (let i = 0; i < most && !done(); i++) invocations.push(await lambda.invoke(DEADLINE_SECONDS));
    expect(done()).toBe(true);
  }

  it('takes an application, then the manager’s endorsement, across invocations', async () => {
    const browser = new Browser();
    const applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
    const form = await browser.get(applyUrl);
    // The receipt waits for a worker to take the application: the next invocation does.
    let receipt: Page | undefined;
    const sending = browser
      .post(applyUrl, { ...menteeAnswers(), submissionId: hiddenValue(form, 'submissionId') })
      .then((page) => (receipt = page));
    await invokeUntil(() => !!receipt);
    await sending;
    expect(receipt!.status, receipt!.text).toBe(200);
    expect(receipt!.text).toContain('Thank you, your application is in');

    const manager = 'charles.babbage@example.org';
    const hasMail = (address: string, subject: RegExp) => () =>
      stack.smtp.messages.some(
        (m) => JSON.stringify(m.to).includes(address) && subject.test(m.subject ?? ''),
      );
    await invokeUntil(hasMail(manager, /^Please endorse a mentoring application/));
    const request = await mailWith(stack.smtp, manager, /^Please endorse a mentoring application/);
    const link = linkIn(request, 'f');
    const endorsement = await browser.get(link);
    let endorsed: Page | undefined;
    const answering = browser
      .post(link, { endorse: 'yes', comment: '', submissionId: hiddenValue(endorsement, 'submissionId') })
      .then((page) => (endorsed = page));
    await invokeUntil(() => !!endorsed);
    await answering;
    expect(endorsed!.status, endorsed!.text).toBe(200);
    await invokeUntil(hasMail(COORDINATOR_EMAIL, /^An applicant is ready for interview/));
    expect(invocations.length).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it('returned before every deadline', () => {
    expect(invocations.length).toBeGreaterThanOrEqual(2);
    for (const { ms, remainingMs } of invocations) {
      expect(ms).toBeLessThan(DEADLINE_SECONDS * 1000);
      expect(remainingMs).toBeGreaterThan(0);
    }
  });

  it('ran every workflow task under the release’s deployment version, as a Lambda invocation', async () => {
    const [row] = await stack.sql<{ workflow_id: string }[]>`
      select workflow_id from applications where program_id = ${stack.programId}`;
    const handle = stack.client.workflow.getHandle(row!.workflow_id);
    const { events } = await handle.fetchHistory();
    const completed = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(completed.length).toBeGreaterThan(2);
    for (const e of completed)
      expect(e.workflowTaskCompletedEventAttributes?.deploymentVersion).toMatchObject({
        deploymentName,
        buildId,
      });
    const started = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    for (const e of started)
      expect(e.workflowTaskStartedEventAttributes?.identity).toMatch(
        /@arn:aws:lambda:[^:]+:\d+:function:mentorflow-worker$/,
      );
    const { raw } = await handle.describe();
    expect(raw.workflowExecutionInfo?.versioningInfo?.behavior).toBe(
      proto.temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
    );
  });
});
