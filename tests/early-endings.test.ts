/**
 * Early endings and changes: the coordinator ends a relationship with a reason, an organisational
 * change ends the pair at once (the mentee returns to the pool), and a pause moves the rest of the schedule.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  endRelationship,
  mentorStatus,
  organisationChanged,
  pauseRelationship,
  relationshipStatus,
  resumeRelationship,
} from '../workflows/messages.js';
import {
  answerLatest,
  COORDINATOR as by,
  expectReplays,
  linkIn,
  mailTo,
  waitForMail,
  useSettings,
  signedPair,
  subjectIs,
  csvRowOf,
} from './helpers/flows.js';
import { Browser } from './helpers/http.js';
import { backends, COORDINATOR_EMAIL, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('early endings and pauses (database: %s)', (backend) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(backend);
    await useSettings(stack, {
      duration: 'PT30S',
      meetingCadence: 'PT2S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT10M',
      managerEndorsement: false,
    });
  });
  afterAll(async () => stack?.close());

  async function meetingPair(mentee: string, mentor: string) {
    const { mentor: mentorHandle, relationship } = await signedPair(
      stack,
      mentee,
      mentor,
      `Mentor ${mentor}`,
    );
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('meetings');
    return { relationship, mentor: mentorHandle };
  }

  it('the coordinator ends a relationship during its meetings; both are told the reason', async () => {
    const { relationship, mentor } = await meetingPair('siv@example.org', 'tor@example.org');
    await waitForMail(stack, 'siv@example.org', 'Mentoring meeting 1 of 15');
    await expect(
      relationship.executeUpdate(endRelationship, { args: [{ reason: ' ', by }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'The mentee moved abroad.', by }] });
    expect(await relationship.result()).toBe('ended-by-coordinator');
    await expect(
      relationship.executeUpdate(endRelationship, { args: [{ reason: 'Again.', by }] }),
    ).rejects.toThrow();
    for (const address of ['siv@example.org', 'tor@example.org']) {
      await waitForMail(stack, address, 'Your mentoring relationship has ended');
      const ended = (await mailTo(stack, address, 1)).find((m) =>
        subjectIs(m.subject, 'Your mentoring relationship has ended'),
      );
      expect(ended!.text).toContain('The mentee moved abroad.');
    }
    expect((await relationship.query(relationshipStatus)).open).toEqual([]);
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    const [row] =
      await stack.sql`select outcome from relationship_outcomes where workflow_id = ${relationship.workflowId}`;
    expect(row?.outcome).toBe('ended-by-coordinator');
    await expectReplays(stack, relationship.workflowId, 'ended-by-coordinator-in-meetings');
  });

  it('an organisational change that puts the pair in one unit ends the pair at once; the mentee returns to the pool', async () => {
    const { relationship, mentor } = await meetingPair('ulf@example.org', 'vera@example.org');
    await relationship.executeUpdate(organisationChanged, { args: [{ change: 'same-unit', by }] });
    for (const address of ['ulf@example.org', 'vera@example.org'])
      await waitForMail(stack, address, 'Your mentoring pair has ended');
    const mail = (await mailTo(stack, 'ulf@example.org', 1)).find((m) =>
      subjectIs(m.subject, 'Your mentoring pair has ended'),
    );
    expect(mail!.text).toContain('now work in the same unit');
    expect(mail!.text).not.toContain('same-unit');
    await waitForMail(
      stack,
      COORDINATOR_EMAIL,
      'A mentoring pair has ended: Mentee ulf@example.org waits for a new mentor',
    );
    // The mentor's place is free and the mentee waits in the pool; nothing is left open for either.
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    const status = await relationship.query(relationshipStatus);
    expect(status).toMatchObject({ open: [], waitingFor: 'coordinator' });
    expect(status.mentor).toBeUndefined();
    // With no pair under way, there is nothing an organisational change could end.
    await expect(
      relationship.executeUpdate(organisationChanged, { args: [{ change: 'reporting-line', by }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    expect(await relationship.result()).toBe('ended-by-coordinator');
    await expectReplays(stack, relationship.workflowId, 'org-change-returns-to-pool');
  });

  it('a pause holds the meeting schedule, and resuming moves it on; both are told each time', async () => {
    const { relationship } = await meetingPair('wim@example.org', 'xena@example.org');
    // Kickoff is confirmed to both at once, with the first meeting and its calendar entry.
    for (const address of ['wim@example.org', 'xena@example.org'])
      await waitForMail(stack, address, 'Your mentoring pair is under way');
    const kickoff = (await mailTo(stack, 'xena@example.org', 1)).find((m) =>
      m.subject?.startsWith('Your mentoring pair is under way'),
    )!;
    expect(kickoff.subject).toContain('(Mentee wim@example.org)');
    expect(kickoff.text).toContain('15 meetings are planned');
    expect(kickoff.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    await waitForMail(stack, 'wim@example.org', 'Mentoring meeting 1 of 15');
    await relationship.executeUpdate(pauseRelationship, { args: [{ reason: 'Parental leave.', by }] });
    for (const address of ['wim@example.org', 'xena@example.org'])
      await waitForMail(stack, address, 'Your mentoring relationship is paused');
    expect(
      (await mailTo(stack, 'xena@example.org', 1)).find((m) =>
        m.subject?.startsWith('Your mentoring relationship is paused'),
      )?.text,
    ).toContain('Parental leave.');
    await expect(
      relationship.executeUpdate(pauseRelationship, { args: [{ reason: 'Again.', by }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    const atPause = await relationship.query(relationshipStatus);
    expect(atPause.paused?.reason).toBe('Parental leave.');
    const meetingMails = async () =>
      (await mailTo(stack, 'wim@example.org', 1)).filter((m) => m.subject?.startsWith('Mentoring meeting'))
        .length;
    // A reminder already on its way when the pause began may still land: the Query names the last
    // meeting reminded (set as its emails are asked for), so count once that one's email is in.
    const reminded = atPause.meetings!.number;
    await waitForMail(stack, 'wim@example.org', `Mentoring meeting ${reminded} of 15`);
    const before = await meetingMails();
    expect(before).toBe(reminded);
    // Nothing marks a reminder that did not happen, so this waits on the clock: past the time the next
    // reminder would have been due unpaused (the next meeting is `nextAt`, the one after 2 s later, each
    // reminded 1 s ahead), with 2 s more for a late timer. A slow machine can only make a broken pause
    // look right here, never a working one look wrong.
    const nextReminderDue = Date.parse(atPause.meetings!.nextAt!) + 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, nextReminderDue + 2000 - Date.now())));
    // A Query is answered after any timer that has fired, so it shows a reminder had the schedule moved.
    const during = await relationship.query(relationshipStatus);
    expect(during.meetings!.number).toBe(reminded);
    expect(during.paused?.reason).toBe('Parental leave.');
    expect(await meetingMails()).toBe(before);
    await relationship.executeUpdate(resumeRelationship, { args: [{ by }] });
    await expect(relationship.executeUpdate(resumeRelationship, { args: [{ by }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    // Both hear that it goes on, with the next meeting's new date in their calendar.
    for (const address of ['wim@example.org', 'xena@example.org'])
      await waitForMail(stack, address, 'Your mentoring relationship goes on');
    const resumed = (await mailTo(stack, 'wim@example.org', 1)).find((m) =>
      m.subject?.startsWith('Your mentoring relationship goes on'),
    )!;
    expect(resumed.text).toContain('Your next meeting is now on');
    expect(resumed.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    await waitForMail(stack, 'wim@example.org', `Mentoring meeting ${before + 1} of 15`);
    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    await relationship.result();
    // paused-and-resumed.json is the same path before the pair was told (kept: such workflows still run).
    await expectReplays(stack, relationship.workflowId, 'paused-and-resumed-pair-told');
  });

  it('meetings logged as missed remind both, then tell the coordinator', async () => {
    const { relationship } = await meetingPair('yrsa@example.org', 'zeno@example.org');
    for (const n of [1, 2]) {
      await waitForMail(stack, 'yrsa@example.org', `Log of meeting ${n}`);
      await answerLatest(stack, 'yrsa@example.org', `Log of meeting ${n}`, { held: 'no' }, 1);
    }
    for (const address of ['yrsa@example.org', 'zeno@example.org']) {
      await waitForMail(stack, address, 'Your mentoring meetings have not taken place');
    }
    await waitForMail(stack, 'yrsa@example.org', 'Log of meeting 3');
    await answerLatest(stack, 'yrsa@example.org', 'Log of meeting 3', { held: 'no' }, 1);
    await stack.smtp.waitFor((all) =>
      all.some((m) => m.subject?.startsWith('A mentoring pair keeps missing its meetings: ')),
    );
    const reminders = (await mailTo(stack, 'yrsa@example.org', 1)).filter(
      (m) => m.subject === 'Your mentoring meetings have not taken place',
    );
    expect(reminders).toHaveLength(1);
    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    await relationship.result();
    // The programme's CSV counts the three logs that said the meeting did not take place.
    const coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'missed@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    const column = await csvRowOf(coordinator, stack, relationship.workflowId);
    expect(column('meetings_missed')).toBe('3');
    await expectReplays(stack, relationship.workflowId, 'missed-meetings-escalated');
  });

  it('either of the pair can end it without fault from the status page; the mentee returns to matching', async () => {
    const { relationship, mentor } = await meetingPair('anna@example.org', 'bert@example.org');
    const [matched] = (await mailTo(stack, 'bert@example.org', 3)).filter(
      (m) => m.subject === 'You have a mentee',
    );
    const statusUrl = linkIn(matched!, 's');
    const browser = new Browser();
    const page = await browser.get(statusUrl);
    expect(page.doc.querySelector('h1')?.textContent).toBe('Your mentee relationship');
    const action = page.doc.querySelector('form[method=post]')!.getAttribute('action')!;
    expect((await browser.post(new URL(action, statusUrl).href, {})).status).toBe(400);
    const ended = await browser.post(new URL(action, statusUrl).href, { confirm: 'yes' });
    expect(ended.status).toBe(200);
    expect(ended.text).toContain('Your pair has ended');
    for (const address of ['anna@example.org', 'bert@example.org'])
      await waitForMail(stack, address, 'Your mentoring pair ends');
    await expect.poll(async () => (await relationship.query(relationshipStatus)).phase).toBe('matching');
    await expect.poll(async () => (await mentor.query(mentorStatus)).relationships).toEqual([]);
    // The mentor is no longer the relationship's mentor: the link says the pair has ended.
    expect((await browser.post(new URL(action, statusUrl).href, { confirm: 'yes' })).status).toBe(410);
    await relationship.executeUpdate(endRelationship, { args: [{ reason: 'End of test.', by }] });
    await relationship.result();
    await expectReplays(stack, relationship.workflowId, 'ended-without-fault-by-mentor');
  });
});
