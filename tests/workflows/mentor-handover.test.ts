/**
 * A mentor's workflow handing over to a new run when Temporal suggests it (continue-as-new), activities
 * stubbed: the capacity, the relationships and the application receipt go to the new run, which goes
 * on assigning and freeing places, and neither emails nor interviews anyone again.
 *
 * The mentor hands over only when the server suggests it (`continueAsNewSuggested`), which the
 * time-skipping test server never does, and which a real server does only after thousands of events.
 * So this file runs a dev server of its own whose suggestion comes after a few dozen events
 * (`limit.historyCount.suggestContinueAsNew`), with a worker of its own; nothing here needs time skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { failureConverterPath } from '../../platform/temporal/data-converter.js';
import { freePort } from '../../platform/temporal/dev-server.js';
import { makeCurrent } from '../../platform/temporal/deployment.js';
import { findTemporalCli } from '../../platform/temporal/temporal-cli.js';
import {
  assignMentee,
  endRelationship,
  mentorStatus,
  recordInterview,
  relationshipEnded,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { by, expectRefusal, type WorkflowTestEnv } from './support/env.js';
import {
  menteeInMatching,
  mentorInPool,
  newProgramme,
  SHORT,
  status,
  templates,
  waitForPhase,
  type MentorHandle,
} from './support/participants.js';
import { stubActivities } from './support/stubs.js';

/** Events in a run before the server suggests a new one: past a mentor's application and interview. */
const SUGGEST_AFTER_EVENTS = 150;
const NO_ENDORSEMENT = { ...SHORT, managerEndorsement: false };
const cli = findTemporalCli();

/**
 * A dev server of the file's own, suggesting continue-as-new early, with a worker on the workflow
 * bundle and the stubbed activities. It has the shape of the workflow tests' environment, so the
 * participants' helpers work with it, but no clock of its own to move: `sleep` and `now` are refused.
 */
async function startSuggestingServer(): Promise<WorkflowTestEnv & { server: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = spawn(
    cli!.path,
    [
      ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'],
      ...['--log-level', 'error', '--namespace', 'default'],
      ...['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_AFTER_EVENTS}`],
      ...searchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ],
    { stdio: 'ignore' },
  );
  let connection: Connection | undefined;
  for (const deadline = Date.now() + 60_000; !connection;) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.describeNamespace({ namespace: 'default' });
      connection = c;
    } catch (err) {
      if (Date.now() > deadline || server.exitCode !== null) {
        server.kill('SIGKILL');
        throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const stubs = stubActivities();
  const native = await NativeConnection.connect({ address });
  const taskQueue = `mentor-handover-${randomUUID()}`;
  const version = { deploymentName: taskQueue, buildId: 'handover' };
  const worker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: { code: inject('workflowBundleCode') },
    dataConverter: { failureConverterPath },
    activities: stubs.activities,
    shutdownForceTime: '2s',
    // The workflows declare their versioning behaviour, which a real server takes only from a versioned worker.
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    },
  });
  const running = worker.run();
  await makeCurrent(connection.workflowService, 'default', version, { taskQueue });
  const noClock = () => Promise.reject(new Error('this server has no clock to move'));
  return {
    server,
    env: undefined as unknown as WorkflowTestEnv['env'],
    client: new Client({ connection, namespace: 'default' }),
    taskQueue,
    stubs,
    started: [],
    sleep: noClock,
    sleepUntil: noClock,
    now: noClock,
    async close() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
      const exited = new Promise((resolve) => server.once('exit', resolve));
      if (server.kill('SIGTERM')) await exited;
    },
  };
}

describe.skipIf(!cli)('mentor workflow: a new run when Temporal suggests it', () => {
  const t = {} as WorkflowTestEnv;
  beforeAll(async () => {
    Object.assign(t, await startSuggestingServer());
  });
  afterEach(() => t.stubs?.reset());
  afterAll(async () => {
    await t.close?.();
  });

  const mentorOf = (handle: MentorHandle) => handle.query(mentorStatus);
  const runOf = async (handle: MentorHandle) => (await handle.describe()).runId;

  it('carries its capacity, relationships and application into the run the server suggested', async () => {
    const programId = newProgramme();
    const mentor = await mentorInPool(t, programId, 3);
    const { handle } = mentor;
    const firstRun = await runOf(handle);
    const [a, b] = [
      await menteeInMatching(t, programId, NO_ENDORSEMENT),
      await menteeInMatching(t, programId, NO_ENDORSEMENT),
    ];
    for (const mentee of [a, b]) {
      await handle.executeUpdate(assignMentee, { args: [{ relationshipId: mentee.handle.workflowId, by }] });
      await waitForPhase(mentee.handle, 'kickoff');
    }
    const before = await mentorOf(handle);
    expect(before).toMatchObject({ phase: 'pool', capacity: 3 });
    expect(before.relationships).toEqual([a.handle.workflowId, b.handle.workflowId]);
    // Not yet suggested: the run is the one that took the application.
    expect(await runOf(handle)).toBe(firstRun);
    expect((await handle.describe()).historyLength).toBeLessThan(SUGGEST_AFTER_EVENTS);

    // The history grows (places given back by relationships it never had change nothing) until the
    // server suggests a new run, which the mentor takes at once.
    let signals = 0;
    while ((await runOf(handle)) === firstRun) {
      expect(signals, 'the mentor never handed over').toBeLessThan(SUGGEST_AFTER_EVENTS);
      await handle.signal(relationshipEnded, { relationshipId: `relationship-${programId}-${randomUUID()}` });
      signals++;
    }
    const previous = await t.client.workflow.getHandle(handle.workflowId, firstRun).describe();
    expect(previous.status.name).toBe('CONTINUED_AS_NEW');
    expect(previous.historyLength).toBeGreaterThanOrEqual(SUGGEST_AFTER_EVENTS);

    // The new run stands where the last one stood.
    const after = await mentorOf(handle);
    expect(after).toMatchObject({
      phase: 'pool',
      waitingFor: 'nobody',
      capacity: 3,
      relationships: [a.handle.workflowId, b.handle.workflowId],
      application: before.application,
    });
    // Nobody is emailed twice: the application and the acceptance belong to the first run.
    const sent = templates(t, handle.workflowId);
    for (const template of ['mentor-application-received', 'coordinator-new-mentor', 'mentor-accepted'])
      expect(
        sent.filter((x) => x === template),
        template,
      ).toHaveLength(1);
    const late = await handle
      .executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(WorkflowUpdateFailedError);

    // It goes on: the last place is given, one more is refused, a carried relationship is not taken twice.
    const c = await menteeInMatching(t, programId, NO_ENDORSEMENT);
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: a.handle.workflowId, by }] }),
      Refusal.alreadyAssigned,
    );
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: c.handle.workflowId, by }] });
    await waitForPhase(c.handle, 'kickoff');
    expect((await status(c.handle)).mentor?.mentorWorkflowId).toBe(handle.workflowId);
    const d = await menteeInMatching(t, programId, NO_ENDORSEMENT);
    await expectRefusal(
      handle.executeUpdate(assignMentee, { args: [{ relationshipId: d.handle.workflowId, by }] }),
      Refusal.mentorFull,
    );

    // A relationship assigned in the first run ends: its place comes back in the run now under way.
    await a.handle.executeUpdate(endRelationship, { args: [{ reason: 'Left the company', by }] });
    expect(await a.handle.result()).toBe('ended-by-coordinator');
    await expect
      .poll(async () => (await mentorOf(handle)).relationships)
      .toEqual([b.handle.workflowId, c.handle.workflowId]);
    await handle.executeUpdate(assignMentee, { args: [{ relationshipId: d.handle.workflowId, by }] });
    await waitForPhase(d.handle, 'kickoff');
  });
});
