/**
 * The relationship workflow from application to matching, on the real dev server: the manager's
 * endorsement as a form step, its reminders and escalation, the coordinator's decisions, and the
 * interview outcome. Durations come from the programme, compressed here to seconds.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationshipStatus, recordInterview, decideStep } from '../workflows/messages.js';
import { answerForm, applyAsMentee, expectReplays, linkIn, mailTo } from './helpers/flows.js';
import { Browser, hiddenValue } from './helpers/http.js';
import {
  backends,
  COORDINATOR_EMAIL,
  startStack,
  TEST_PROGRAMME_SETTINGS,
  type Stack,
} from './helpers/stack.js';

const coordinator = { userId: '00000000-0000-4000-8000-00000000c00d' };

describe.each(backends())('a relationship up to matching (database: %s)', (backend) => {
  let stack: Stack;
  let fastProgram: string;

  beforeAll(async () => {
    stack = await startStack(backend);
    fastProgram = `${stack.programId}-fast`;
    await stack.sql`
      insert into programs (id, name, coordinator_email, settings)
      values (${fastProgram}, 'Fast programme', ${COORDINATOR_EMAIL},
              ${stack.sql.json({ ...TEST_PROGRAMME_SETTINGS, formReminderAfter: 'PT1S', formReminders: 1 })})`;
  });
  afterAll(async () => stack?.close());

  const status = (workflowId: string) =>
    stack.client.workflow.getHandle(workflowId).query(relationshipStatus);
  const subjects = (mails: { subject?: string }[]) => mails.map((m) => m.subject);

  it('manager endorses, coordinator accepts after the interview, the mentee waits for a match', async () => {
    const { workflowId } = await applyAsMentee(stack, {
      email: 'astrid@example.org',
      managerEmail: 'mgr.astrid@example.org',
    });
    const [invitation] = await mailTo(stack, 'mgr.astrid@example.org', 1);
    expect(invitation!.subject).toMatch(/^Please endorse a mentoring application: /);
    const link = linkIn(invitation!, 'f');

    const empty = await answerForm(link, {});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Please choose an option for “Do you support this application?”');

    // The form open in two tabs, both sent at once with different answers: one stands, and the other
    // tab says so rather than "your answer is in". A double click of either tab is the same answer.
    const tabs = [new Browser(), new Browser()];
    const ids = await Promise.all(tabs.map(async (tab) => hiddenValue(await tab.get(link), 'submissionId')));
    const answers = [
      { endorse: 'yes', comment: 'Astrid is ready.' },
      { endorse: 'yes', comment: 'Astrid is ready, and so is her team.' },
    ];
    const pages = await Promise.all(
      [0, 0, 1, 1].map((i) => tabs[i]!.post(link, { ...answers[i]!, submissionId: ids[i]! })),
    );
    const won = pages[0]!.status === 200 ? 0 : 1;
    expect(pages.map((p) => p.status)).toEqual(won === 0 ? [200, 200, 409, 409] : [409, 409, 200, 200]);
    expect(pages[won * 2]!.text).toContain('your answer is in');
    expect(pages[(1 - won) * 2]!.text).toContain('We already have your answer');
    const again = await new Browser().get(link);
    expect(again.text).toContain('We already have your answer');

    await mailTo(stack, COORDINATOR_EMAIL, 2);
    await expect.poll(async () => (await status(workflowId)).phase).toBe('interview');
    expect(await status(workflowId)).toMatchObject({ endorsed: true, waitingFor: 'coordinator', open: [] });
    const [stored] =
      await stack.sql`select answers from form_submissions where workflow_id = ${workflowId} and step_id = 'endorsement'`;
    expect(stored!.answers).toEqual(answers[won]);

    const handle = stack.client.workflow.getHandle(workflowId);
    await expect(
      handle.executeUpdate(recordInterview, {
        args: [{ outcome: 'accepted', reason: '', by: { userId: '' } }],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: coordinator }],
    });
    const menteeMail = await mailTo(stack, 'astrid@example.org', 2);
    expect(subjects(menteeMail)).toEqual([
      'Your mentoring application is received',
      'You are accepted into the mentoring programme',
    ]);
    await expect.poll(async () => (await status(workflowId)).phase).toBe('matching');
    expect(subjects(await mailTo(stack, 'mgr.astrid@example.org', 1))).toEqual([
      expect.stringMatching(/^Please endorse a mentoring application: /),
    ]);
    await expectReplays(stack, workflowId, `receipt-before-stored`);
  });

  it('a declined application tells the mentee the reason and closes', async () => {
    const { workflowId } = await applyAsMentee(stack, {
      email: 'bo@example.org',
      managerEmail: 'mgr.bo@example.org',
    });
    const [invitation] = await mailTo(stack, 'mgr.bo@example.org', 1);
    expect((await answerForm(linkIn(invitation!, 'f'), { endorse: 'no' })).status).toBe(200);
    await expect.poll(async () => (await status(workflowId)).phase).toBe('interview');
    expect((await status(workflowId)).endorsed).toBe(false);

    const handle = stack.client.workflow.getHandle(workflowId);
    await expect(
      handle.executeUpdate(recordInterview, {
        args: [{ outcome: 'declined', reason: '  ', by: coordinator }],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(recordInterview, {
      args: [{ outcome: 'declined', reason: 'No mentor speaks your languages this round.', by: coordinator }],
    });
    expect(await handle.result()).toBe('declined');
    const [, declined] = await mailTo(stack, 'bo@example.org', 2);
    expect(declined!.subject).toBe('About your mentoring application');
    expect(declined!.text).toContain('No mentor speaks your languages this round.');
    const page = await new Browser().get(linkIn((await mailTo(stack, 'bo@example.org', 1))[0]!, 's'));
    expect(page.text).toContain('not accepted this time');
    await expectReplays(stack, workflowId, `declined-at-interview`);
  });

  it('an unanswered step reminds, escalates to the coordinator, and goes on when given more time', async () => {
    const { workflowId } = await applyAsMentee(
      stack,
      { email: 'cy@example.org', managerEmail: 'mgr.cy@example.org' },
      fastProgram,
    );
    // invitation, reminder; then the coordinator is told (after the application notice).
    const beforeEscalation = await mailTo(stack, 'mgr.cy@example.org', 2);
    expect(subjects(beforeEscalation)).toEqual([
      expect.stringMatching(/^Please endorse a mentoring application: /),
      'Reminder: Endorsement of a mentoring application',
    ]);
    await stack.smtp.waitFor((m) =>
      m.some((x) => x.subject?.startsWith('A form step is overdue: ') && x.text?.includes('Fast programme')),
    );
    await expect.poll(async () => (await status(workflowId)).open[0]?.escalated).toBe(true);
    expect((await status(workflowId)).waitingFor).toBe('coordinator');

    const handle = stack.client.workflow.getHandle(workflowId);
    await expect(
      handle.executeUpdate(decideStep, {
        args: [{ stepId: 'endorsement', decision: 'extend', reason: '', by: coordinator }],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(decideStep, {
      args: [
        {
          stepId: 'endorsement',
          decision: 'extend',
          reason: 'Manager back from leave on Monday.',
          by: coordinator,
        },
      ],
    });
    expect((await status(workflowId)).waitingFor).toBe('participant');
    const [, , secondReminder] = await mailTo(stack, 'mgr.cy@example.org', 3);
    expect(secondReminder!.subject).toBe('Reminder: Endorsement of a mentoring application');
    expect((await answerForm(linkIn(secondReminder!, 'f'), { endorse: 'yes' })).status).toBe(200);
    await expect.poll(async () => (await status(workflowId)).phase).toBe('interview');
    await expectReplays(stack, workflowId, `escalation-extended`);
  });

  it('the coordinator can end a relationship whose step is overdue; its link then says so', async () => {
    const { workflowId } = await applyAsMentee(
      stack,
      { email: 'di@example.org', managerEmail: 'mgr.di@example.org' },
      fastProgram,
    );
    const [invitation] = await mailTo(stack, 'mgr.di@example.org', 1);
    await expect
      .poll(async () => (await status(workflowId)).open[0]?.escalated, { timeout: 15_000 })
      .toBe(true);
    const handle = stack.client.workflow.getHandle(workflowId);
    await handle.executeUpdate(decideStep, {
      args: [
        { stepId: 'endorsement', decision: 'end', reason: 'Applicant left the company.', by: coordinator },
      ],
    });
    expect(await handle.result()).toBe('ended-by-coordinator');
    const page = await new Browser().get(linkIn(invitation!, 'f'));
    expect(page.status).toBe(410);
    expect(page.text).toContain('no longer open');
    // The mentee is told why, and the outcome is recorded, as for any other ending.
    const ended = (await mailTo(stack, 'di@example.org', 2)).find(
      (m) => m.subject === 'Your mentoring relationship has ended',
    );
    expect(ended?.text).toContain('Applicant left the company.');
    const [outcome] =
      await stack.sql`select outcome from relationship_outcomes where workflow_id = ${workflowId}`;
    expect(outcome?.outcome).toBe('ended-by-coordinator');
    // Recorded anew under its own name: the old file stands for relationships that ended before the change.
    await expectReplays(stack, workflowId, `ended-through-overdue-step-told`);
  });
});
