/**
 * Matching a round through the coordinator's programme page: the matching activity proposes pairs over
 * the whole pool, the page shows each pair's score broken down and why a mentee has no mentor, the
 * coordinator forbids and locks pairs and reruns, bad settings come back with the reason, every run is
 * stored so it can be recomputed exactly, and the approved pairs go to the mentors' workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propose, type Proposal } from '../domain/matching/propose.js';
import type { PoolInput } from '../domain/matching/pool.js';
import { recordInterview, relationshipStatus, roundStatus } from '../workflows/messages.js';
import { applyAsMentee, COORDINATOR, expectReplays, pooledMentor, useSettings } from './helpers/flows.js';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

const SETTINGS = {
  objective: 'best-total',
  differentUnit: 'on',
  noReportingLine: 'on',
  commonLanguage: 'on',
  notAcquainted: 'on',
  levelsAbove: 'on',
  levelsMin: '1',
  levelsMax: '2',
  learning: '3',
  interests: '1',
  nominated: '2',
  levelDistance: '1',
  preferredLevelDistance: '1',
};

describe.each(backends())('matching a round (database: %s)', (backend) => {
  let stack: Stack;
  let coordinator: Browser;
  let programUrl: string;
  let userId: string;

  beforeAll(async () => {
    stack = await startStack(backend, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    await useSettings(stack, { managerEndorsement: false, formReminderAfter: 'PT10M' });
    await stack.sql`update programs set applications_open = false where id = ${stack.programId}`;
    const account = await makeUser(stack, 'match@example.org', [
      { role: 'coordinator', programId: stack.programId },
    ]);
    coordinator = await signIn(stack.baseUrl, account);
    const [user] = await stack.sql<{ id: string }[]>`select id from users where email = ${account.email}`;
    userId = user!.id;
    programUrl = `${stack.baseUrl}/admin/programs/${stack.programId}`;
  });
  afterAll(async () => stack?.close());

  async function act(path: string, fields: Record<string, string | string[]>): Promise<Page> {
    const page = await coordinator.get(programUrl);
    return coordinator.post(`${programUrl}${path}`, { ...fields, _csrf: hiddenValue(page, '_csrf') });
  }
  async function lastRun() {
    const [run] = await stack.sql<{ pool: PoolInput; proposal: Proposal; requested_by: string }[]>`
      select pool, proposal, requested_by from matching_runs order by created_at desc limit 1`;
    return run!;
  }
  const pairsOf = (proposal: Proposal, name: Record<string, string>) =>
    proposal.pairs.map((p) => `${name[p.mentee]}–${name[p.mentor]}`).sort();

  it('proposes over the whole pool, explains who is left out, and takes locks and exclusions', async () => {
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 19);
    expect((await act('/rounds', { deadline: inAWeek, places: '3' })).status).toBe(303);
    const mona = await pooledMentor(stack, 'mona@example.org', 'Mona Berg', '1');
    const per = await pooledMentor(stack, 'per@example.org', 'Per Dahl', '1');
    await stack.sql`update applications set answers = answers || ${stack.sql.json({ department: 'IT', level: '3', offers: 'feedback, meetings and budgets' })} where workflow_id = ${mona.workflowId}`;
    await stack.sql`update applications set answers = answers || ${stack.sql.json({ department: 'Finance', level: '3', offers: 'meetings' })} where workflow_id = ${per.workflowId}`;
    const ida = await applyAsMentee(stack, {
      email: 'ida@example.org',
      name: 'Ida Lund',
      department: 'Finance',
      level: '2',
      languages: ['en'],
      goals: 'feedback, meetings, budgets',
    });
    const eva = await applyAsMentee(stack, {
      email: 'eva@example.org',
      name: 'Eva Holm',
      department: 'IT',
      level: '1',
      languages: ['en'],
      goals: 'meetings',
    });
    const jon = await applyAsMentee(stack, {
      email: 'jon@example.org',
      name: 'Jon Vik',
      department: 'Sales',
      level: '2',
      languages: ['da'],
    });
    // A question the coordinator added to the application in the form editor: mentors Eva would like.
    await stack.sql`update applications set answers = answers || ${stack.sql.json({ nominatedMentors: 'Per Dahl' })} where workflow_id = ${eva.workflowId}`;
    const name = {
      [mona.workflowId]: 'Mona',
      [per.workflowId]: 'Per',
      [ida.workflowId]: 'Ida',
      [eva.workflowId]: 'Eva',
      [jon.workflowId]: 'Jon',
    };
    for (const { workflowId } of [ida, eva, jon]) {
      const handle = stack.client.workflow.getHandle(workflowId);
      await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
      await handle.executeUpdate(recordInterview, {
        args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
      });
      await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
    }
    const round = stack.client.workflow.getHandle(`round-${stack.programId}-1`);
    await expect.poll(async () => (await round.query(roundStatus)).phase).toBe('matching');

    // Settings that contradict themselves come back with the reason and what was typed.
    const bad = await act('/rounds/matching', { ...SETTINGS, levelsMin: '3', levelsMax: '1' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The most levels above cannot be fewer than the least.');
    expect(bad.doc.querySelector('#m-levelsMin')?.getAttribute('value')).toBe('3');

    // Ida (Finance) gets Mona (IT); Eva (IT) gets Per (Finance); no mentor speaks Danish with Jon.
    expect((await act('/rounds/matching', SETTINGS)).status).toBe(303);
    let run = await lastRun();
    expect(pairsOf(run.proposal, name)).toEqual(['Eva–Per', 'Ida–Mona']);
    expect(run.proposal.unmatched).toEqual([
      expect.objectContaining({
        mentee: jon.workflowId,
        reason: 'no-mentor-fits',
        excludedBy: { commonLanguage: [mona.workflowId, per.workflowId].sort() },
      }),
    ]);
    // Stored whole: the proposal can be recomputed exactly from the stored pool.
    expect(propose(run.pool)).toEqual(run.proposal);
    expect(run.requested_by).toBe(userId);
    const status = await round.query(roundStatus);
    expect(status.phase).toBe('approval');
    expect(status.proposal).toMatchObject({ version: 1, by: { userId: userId } });
    expect(status.proposal!.runId).toBe(status.matchingRun!.runId);
    // The round's history keeps ids and figures only, never what people wrote.
    expect(JSON.stringify(await round.fetchHistory())).not.toContain('Ida Lund');

    let page = await coordinator.get(programUrl);
    expect(page.text).toContain('Last run: 2 matched, 1 without a mentor');
    // Eva wants meetings (and, in her reasons, to grow into leading a team); Per offers meetings and leading.
    expect(page.text).toContain('What the mentee wants to learn, the mentor offers: 3 × 0.5 = 1.5');
    expect(page.text).toContain('The mentee asked for this mentor: 2 × 1 = 2');
    expect(page.text).toMatch(/Jon Vik: no mentor fits\.\s*A common language: Mona Berg, Per Dahl/);

    // Forbidding Ida with Mona leaves Ida out (Per is in her unit), and the page says why.
    expect(
      (await act('/rounds/matching', { ...SETTINGS, forbid: `${ida.workflowId} ${mona.workflowId}` })).status,
    ).toBe(303);
    run = await lastRun();
    expect(pairsOf(run.proposal, name)).toEqual(['Eva–Per']);
    page = await coordinator.get(programUrl);
    expect(page.text).toMatch(
      /Ida Lund: no mentor fits\.\s*Forbidden by the coordinator: Mona Berg\s*Mentor in a different unit: Per Dahl/,
    );
    expect(page.text).toContain('Forbidden so far: Ida Lund – Mona Berg');
    expect((await round.query(roundStatus)).proposal!.version).toBe(2);

    // Locking Ida with Per keeps that pair whatever the rules say; Per, who fits Eva, then has no place left.
    expect(
      (await act('/rounds/matching', { ...SETTINGS, lock: `${ida.workflowId} ${per.workflowId}` })).status,
    ).toBe(303);
    run = await lastRun();
    expect(pairsOf(run.proposal, name)).toEqual(['Ida–Per']);
    expect(run.proposal.pairs[0]).toMatchObject({ locked: true, broken: ['differentUnit'] });
    expect(run.proposal.unmatched.find((u) => u.mentee === eva.workflowId)?.reason).toBe('mentors-full');

    // Back to the first settings, and the coordinator approves what they saw.
    expect((await act('/rounds/matching', SETTINGS)).status).toBe(303);
    const { proposal } = await round.query(roundStatus);
    expect(proposal!.version).toBe(4);
    expect(
      (await act('/rounds/decision', { decision: 'approve', reason: '', version: String(proposal!.version) }))
        .status,
    ).toBe(303);
    await expect.poll(async () => (await round.query(roundStatus)).phase, { timeout: 20_000 }).toBe('done');
    expect(
      (await round.query(roundStatus)).assigned
        .map((p) => `${name[p.relationshipId]}–${name[p.mentorWorkflowId]}`)
        .sort(),
    ).toEqual(['Eva–Per', 'Ida–Mona']);
    await expectReplays(
      stack,
      round.workflowId,
      backend === 'pglite' ? 'programme-round-matched' : undefined,
    );
  });
});
