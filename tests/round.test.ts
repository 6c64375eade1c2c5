/**
 * A programme round through the coordinator's pages and the public forms: applications open, close
 * when the places are taken (or at the deadline), the coordinator proposes pairs by hand, the
 * validators refuse a rejection without a reason and an approval of a superseded proposal, and the
 * approved pairs are told; a pair over the mentor's capacity is refused with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitApplicant, relationshipStatus, roundStatus } from '../workflows/messages.js';
import {
  applyAsMentee,
  expectReplays,
  mailTo,
  pooledMentor,
  useSettings,
  waitForMail,
} from './helpers/flows.js';
import { Browser, hiddenValue, menteeAnswers, type Page } from './helpers/http.js';
import { backends, COORDINATOR_EMAIL, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

describe.each(backends())('a programme round (database: %s)', (backend) => {
  let stack: Stack;
  let coordinator: Browser;
  let programUrl: string;

  beforeAll(async () => {
    stack = await startStack(backend, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    // Applications are closed until a round opens them.
    await stack.sql`update programs set applications_open = false where id = ${stack.programId}`;
    const account = await makeUser(stack, 'coord@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
    coordinator = await signIn(stack.baseUrl, account);
    programUrl = `${stack.baseUrl}/admin/programs/${stack.programId}`;
  });
  afterAll(async () => stack?.close());

  /** Posts a form of the programme page with the page's CSRF token. */
  async function act(path: string, fields: Record<string, string>): Promise<Page> {
    const page = await coordinator.get(programUrl);
    return coordinator.post(`${programUrl}${path}`, { ...fields, _csrf: hiddenValue(page, '_csrf') });
  }
  /** The round the programme's application pages now follow. */
  async function currentRound() {
    const [program] = await stack.sql<{ current_round: string }[]>`
      select current_round from programs where id = ${stack.programId}`;
    return stack.client.workflow.getHandle(program!.current_round);
  }
  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 19);

  it('closes when the places are taken, and tells the pairs the coordinator approved', async () => {
    const bad = await act('/rounds', { deadline: 'next week', places: '0' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the closing date and time.');
    expect(bad.text).toContain('A round takes at least one mentee.');
    expect(bad.html).toContain('value="next week"');

    expect((await act('/rounds', { deadline: inFuture(86_400_000), places: '2' })).status).toBe(303);
    const [program] =
      await stack.sql`select applications_open, current_round from programs where id = ${stack.programId}`;
    expect(program).toEqual({ applications_open: true, current_round: `round-${stack.programId}-1` });
    const round = await currentRound();

    // Capacity 1: the second pair proposed to this mentor will be refused by the mentor's workflow.
    const mentor = await pooledMentor(stack, 'mona@example.org', 'Mona Berg', '1');
    // Kim opens the form while places are left, and sends it after they are gone.
    const browser = new Browser();
    const form = await browser.get(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    const sendKim = () =>
      browser.post(`${stack.baseUrl}/programs/${stack.programId}/apply`, {
        ...menteeAnswers({ email: 'kim@example.org', name: 'Kim Late' }),
        submissionId: hiddenValue(form, 'submissionId'),
      });
    const ida = await applyAsMentee(stack, { email: 'ida@example.org', name: 'Ida Lund' });
    const jon = await applyAsMentee(stack, { email: 'jon@example.org', name: 'Jon Vik' });

    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('matching');
    const late = await sendKim();
    expect(late.status).toBe(403);
    expect(late.text).toContain('does not take applications now');
    // Even where the page still says open (the moment before the round records that it closed), the
    // round itself refuses, and nothing of Kim's visit is kept.
    const [roundRow] = await stack.sql<{ closed_at: Date }[]>`
      select closed_at from program_rounds where workflow_id = ${round.workflowId}`;
    await stack.sql`update program_rounds set closed_at = null where workflow_id = ${round.workflowId}`;
    await stack.sql`update programs set applications_open = true where id = ${stack.programId}`;
    expect((await sendKim()).status).toBe(403);
    expect(await stack.sql`select 1 from participants where email = 'kim@example.org'`).toHaveLength(0);
    await stack.sql`update programs set applications_open = false where id = ${stack.programId}`;
    await stack.sql`update program_rounds set closed_at = ${roundRow!.closed_at} where workflow_id = ${round.workflowId}`;
    // An applicant already admitted keeps the place when asking again.
    await round.executeUpdate(admitApplicant, { args: [{ workflowId: ida.workflowId, role: 'mentee' }] });

    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('matching');
    const status = await round.query(roundStatus);
    expect(status).toMatchObject({ closedBecause: 'full', mentees: [ida.workflowId, jon.workflowId] });
    // A round's places are for mentees: Mona offered herself as a mentor without taking one.
    expect(status.mentors).toEqual([]);
    await waitForMail(stack, COORDINATOR_EMAIL, 'Applications are closed: time to match');
    const [closed] = await stack.sql`select applications_open from programs where id = ${stack.programId}`;
    expect(closed!.applications_open).toBe(false);

    // Interviews are recorded on the programme page, which lists who waits for one.
    for (const { workflowId } of [ida, jon]) {
      await expect
        .poll(async () => (await coordinator.get(programUrl)).html, { timeout: 15_000 })
        .toContain(`name="workflowId" value="${workflowId}"`);
    }
    const unexplained = await act('/interviews', {
      workflowId: jon.workflowId,
      outcome: 'declined',
      reason: '',
    });
    expect(unexplained.status).toBe(400);
    expect(unexplained.text).toContain('Say why the application is declined');
    const elsewhere = await act('/interviews', {
      workflowId: 'relationship-other-x',
      outcome: 'accepted',
      reason: '',
    });
    expect(elsewhere.status).toBe(404);
    for (const { workflowId } of [ida, jon]) {
      expect((await act('/interviews', { workflowId, outcome: 'accepted', reason: '' })).status).toBe(303);
      const handle = stack.client.workflow.getHandle(workflowId);
      await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
    }
    const twice = await act('/interviews', { workflowId: ida.workflowId, outcome: 'accepted', reason: '' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('No interview is waiting for an outcome: it may already be recorded.');

    // The coordinator pairs both mentees with Mona by hand; the page names people, not workflow ids.
    const page = await coordinator.get(programUrl);
    expect(page.text).toContain('Ida Lund');
    expect(page.html).toContain(`<option value="${mentor.workflowId}">Mona Berg</option>`);
    const proposal = {
      [`mentor:${ida.workflowId}`]: mentor.workflowId,
      [`mentor:${jon.workflowId}`]: mentor.workflowId,
    };
    expect((await act('/rounds/proposal', proposal)).status).toBe(303);
    expect((await round.query(roundStatus)).phase).toBe('approval');

    const noReason = await act('/rounds/decision', { decision: 'reject', reason: ' ', version: '1' });
    expect(noReason.status).toBe(409);
    expect(noReason.text).toContain('Give a reason: it is recorded in the history.');
    expect(
      (await act('/rounds/decision', { decision: 'reject', reason: 'Try again', version: '1' })).status,
    ).toBe(303);
    expect((await act('/rounds/proposal', proposal)).status).toBe(303);
    const stale = await act('/rounds/decision', { decision: 'approve', reason: '', version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('The proposal has changed; review it again.');
    expect((await act('/rounds/decision', { decision: 'approve', reason: '', version: '2' })).status).toBe(
      303,
    );

    expect(await round.result()).toEqual({ admitted: 2, assigned: 1, refused: 1 });
    const done = await round.query(roundStatus);
    expect(done.assigned).toEqual([{ relationshipId: ida.workflowId, mentorWorkflowId: mentor.workflowId }]);
    expect(done.refused).toEqual([
      {
        pair: { relationshipId: jon.workflowId, mentorWorkflowId: mentor.workflowId },
        reason: 'mentor-not-free',
      },
    ]);
    expect(done.approvedBy?.userId).toMatch(/^[0-9a-f-]{36}$/);
    await waitForMail(stack, 'ida@example.org', 'You have a mentor');
    await waitForMail(stack, 'mona@example.org', 'You have a mentee');
    await waitForMail(stack, COORDINATOR_EMAIL, 'The approved pairs have been told');
    expect((await mailTo(stack, 'jon@example.org', 2)).map((m) => m.subject)).not.toContain(
      'You have a mentor',
    );
    const after = await coordinator.get(programUrl);
    expect(after.text).toContain('This mentor has no free place.');
    await expectReplays(stack, round.workflowId, backend === 'pglite' ? 'programme-round' : undefined);
  }, 120_000);

  it('closes at its deadline, after which the application form says so', async () => {
    const opened = await act('/rounds', { deadline: inFuture(4_000), places: '5' });
    expect(opened.status, opened.text).toBe(303);
    const round = await currentRound();
    await applyAsMentee(stack, { email: 'lea@example.org', name: 'Lea Dahl' });
    await expect
      .poll(async () => (await round.query(roundStatus)).phase, { timeout: 15_000 })
      .toBe('matching');
    expect(await round.query(roundStatus)).toMatchObject({
      closedBecause: 'deadline',
      mentees: [expect.any(String)],
    });
    const closed = await new Browser().get(`${stack.baseUrl}/programs/${stack.programId}/apply`);
    expect(closed.text).toContain('does not take applications now');
  }, 60_000);
});
