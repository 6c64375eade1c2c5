/**
 * Real month-long timers, skipped: on the time-skipping test server a relationship with the default
 * monthly cadence and weekly form reminders reaches its first meeting a calendar month after the
 * agreement, and an unanswered meeting log is reminded a week later. (The test server does not take
 * update-with-start, so the applications here arrive as a start followed by the Update.)
 */
import protos from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestServer } from '../platform/temporal/temporal-cli.js';
import { DEFAULT_SETTINGS } from '../workflows/program-settings.js';
import { searchAttributes } from '../workflows/search-attributes.js';
import {
  assignMentee,
  endRelationship,
  mentorStatus,
  recordInterview,
  relationshipStatus,
  submitApplication,
} from '../workflows/messages.js';
import { AGREEMENT, answerLatest, COORDINATOR as by, mailTo, waitForMail } from './helpers/flows.js';
import { startStack, type Stack } from './helpers/stack.js';

const testServer = findTestServer();
if (process.env.CI && !testServer)
  throw new Error('CI must run this test: `npm run setup` installs the test server');

describe.skipIf(!testServer)('month-long timers under time skipping', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer! } },
    });
    // Like the dev server, the test server must know the search attributes the workflows set.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        searchAttributes.map((key) => [
          key.name,
          protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
    stack = await startStack('pglite', {}, env.address);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  async function enrol(kind: 'relationship' | 'mentor', email: string, answers: Record<string, unknown>) {
    const [row] = await stack.sql<{ id: string }[]>`
      insert into participants (program_id, email, name) values (${stack.programId}, ${email}, ${email}) returning id`;
    const settings = { ...DEFAULT_SETTINGS, managerEndorsement: false };
    const handle = await stack.client.workflow.start(
      kind === 'mentor' ? 'mentorWorkflow' : 'relationshipWorkflow',
      {
        workflowId: `${kind}-${stack.programId}-${row!.id}`,
        taskQueue: stack.taskQueue,
        args: [{ programId: stack.programId, participantId: row!.id, settings }],
      },
    );
    const formId = kind === 'mentor' ? 'mentor-application' : 'mentee-application';
    await handle.executeUpdate(submitApplication, {
      args: [
        {
          submissionId: crypto.randomUUID(),
          formId,
          formVersion: 1,
          answers: answers as Record<string, string>,
        },
      ],
    });
    const phase = async () =>
      (kind === 'mentor' ? await handle.query(mentorStatus) : await handle.query(relationshipStatus)).phase;
    await expect.poll(phase).toBe('interview');
    await handle.executeUpdate(recordInterview, { args: [{ outcome: 'accepted', reason: '', by }] });
    return handle;
  }

  it('meets a calendar month after the agreement and reminds an unanswered log a week later', async () => {
    const mentor = await enrol('mentor', 'mentor@example.org', { capacity: '1' });
    await expect.poll(async () => (await mentor.query(mentorStatus)).phase).toBe('pool');
    const relationship = await enrol('relationship', 'mentee@example.org', { managerEmail: 'm@example.org' });
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: relationship.workflowId, by }] });
    await waitForMail(stack, 'mentee@example.org', 'Your mentoring agreement');
    await answerLatest(stack, 'mentee@example.org', 'Your mentoring agreement', AGREEMENT, 1);
    await waitForMail(stack, 'mentor@example.org', 'Your mentoring agreement');
    await answerLatest(stack, 'mentor@example.org', 'Your mentoring agreement', AGREEMENT, 1);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');
    const kickoff = await env.currentTimeMs();

    await env.sleep('32 days');
    await waitForMail(stack, 'mentee@example.org', 'Mentoring meeting 1 of 12');
    const reminder = (await mailTo(stack, 'mentee@example.org', 1)).find(
      (m) => m.subject === 'Mentoring meeting 1 of 12',
    )!;
    const start = /DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(
      reminder.attachments[0]!.content.toString(),
    )!;
    const meeting = Date.UTC(+start[1]!, +start[2]! - 1, +start[3]!, +start[4]!, +start[5]!, +start[6]!);
    const expected = new Date(kickoff);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    expect(Math.abs(meeting - expected.getTime())).toBeLessThan(2000);
    await waitForMail(stack, 'mentee@example.org', 'Log of meeting 1');

    await env.sleep('8 days');
    await waitForMail(stack, 'mentee@example.org', 'Reminder: Log of meeting 1');
    expect((await relationship.query(relationshipStatus)).meetings?.number).toBe(1);

    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    expect(await relationship.result()).toBe('ended-by-coordinator');
  }, 120_000);
});
