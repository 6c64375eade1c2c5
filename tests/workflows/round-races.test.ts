/**
 * A programme round's proposals when they race, activities stubbed: a proposal made while another waits
 * for approval replaces it (an approval of the one replaced is refused), two approvals of one proposal
 * assign its pairs once, two computed proposals asked for close together show the one asked for last,
 * and a computation that lands after the approval changes nothing approved.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  admitApplicant,
  computeProposal,
  decideMatches,
  proposeMatches,
  roundStatus,
  type MatchingRunSummary,
  type Pair,
} from '../../workflows/messages.js';
import type { Activities } from '../../activities/index.js';
import { Refusal } from '../../workflows/refusals.js';
import type { programRoundWorkflow } from '../../workflows/round.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import { newProgramme } from './support/participants.js';
import type { Call } from './support/stubs.js';

const DAY = 86_400_000;

describe.skipIf(!testServer)('programme round workflow: racing proposals', () => {
  const t = useWorkflowTestEnv();

  const mentee = (programId: string) => `relationship-${programId}-${randomUUID()}`;
  const mentor = (programId: string) => `mentor-${programId}-${randomUUID()}`;

  /** A round of two places, both taken: applications closed, waiting for the coordinator's proposal. */
  async function matchingRound() {
    const programId = newProgramme();
    const deadline = new Date((await t.now()) + 30 * DAY).toISOString();
    const handle = await t.client.workflow.start<typeof programRoundWorkflow>('programRoundWorkflow', {
      workflowId: `round-${programId}-1`,
      taskQueue: t.taskQueue,
      args: [{ programId, round: 1, deadline, places: 2, openedBy: by }],
    });
    t.started.push(handle);
    const mentees = [mentee(programId), mentee(programId)];
    for (const workflowId of mentees)
      await handle.executeUpdate(admitApplicant, { args: [{ workflowId, role: 'mentee' }] });
    const status = () => handle.query(roundStatus);
    await expect.poll(async () => (await status()).phase).toBe('matching');
    const wf = handle.workflowId;
    const propose = (pairs: Pair[]) => handle.executeUpdate(proposeMatches, { args: [{ pairs, by }] });
    const decide = (decision: 'approve' | 'reject', version: number, reason = '') =>
      handle.executeUpdate(decideMatches, { args: [{ decision, reason, by, version }] });
    const compute = () =>
      handle.executeUpdate(computeProposal, { args: [{ settings: {}, locked: [], forbidden: [], by }] });
    const assigned = () =>
      t.stubs
        .of(wf)
        .filter((c): c is Call<'assignMatch'> => c.name === 'assignMatch')
        .map((c) => c.input);
    return { programId, handle, wf, mentees, status, propose, decide, compute, assigned };
  }

  /** What the matching activity answers, for a run of the given pairs. */
  const run = (runId: string, pairs: Pair[], who = by): MatchingRunSummary => ({
    runId,
    pairs,
    matched: pairs.length,
    unmatched: 2 - pairs.length,
    totalScore: pairs.length,
    by: who,
    at: new Date().toISOString(),
  });

  it('replaces a waiting proposal by a newer one, and refuses decisions on the one replaced', async () => {
    const round = await matchingRound();
    const [a, b] = round.mentees as [string, string];
    const first: Pair[] = [{ relationshipId: a, mentorWorkflowId: mentor(round.programId) }];
    const second: Pair[] = [
      { relationshipId: a, mentorWorkflowId: mentor(round.programId) },
      { relationshipId: b, mentorWorkflowId: mentor(round.programId) },
    ];
    await round.propose(first);
    expect(await round.status()).toMatchObject({ phase: 'approval', proposal: { version: 1, pairs: first } });
    // A second proposal while the first waits is taken, and replaces it.
    await round.propose(second);
    expect(await round.status()).toMatchObject({
      phase: 'approval',
      waitingFor: 'coordinator',
      proposal: { version: 2, pairs: second },
    });
    await expectRefusal(round.decide('approve', 1), Refusal.proposalChanged);
    await expectRefusal(round.decide('reject', 1, 'Not these'), Refusal.proposalChanged);
    await round.decide('approve', 2);
    expect(await round.handle.result()).toEqual({ admitted: 2, assigned: 2, refused: 0 });
    expect(round.assigned()).toEqual(
      second.map((pair) => ({
        ...pair,
        by,
        updateId: `${round.wf}/proposal-2/${pair.relationshipId}`,
      })),
    );
    expect((await round.status()).assigned).toEqual(second);
  });

  it('takes two proposals sent at once one after the other: only the later can be approved', async () => {
    const round = await matchingRound();
    const [a] = round.mentees as [string];
    const proposals: Pair[][] = [
      [{ relationshipId: a, mentorWorkflowId: mentor(round.programId) }],
      [{ relationshipId: a, mentorWorkflowId: mentor(round.programId) }],
    ];
    await Promise.all(proposals.map((pairs) => round.propose(pairs)));
    const s = await round.status();
    expect(s.phase).toBe('approval');
    expect(s.proposal?.version).toBe(2);
    expect(proposals).toContainEqual(s.proposal?.pairs);
    await expectRefusal(round.decide('approve', 1), Refusal.proposalChanged);
    await round.decide('approve', 2);
    expect(await round.handle.result()).toEqual({ admitted: 2, assigned: 1, refused: 0 });
    expect(round.assigned().map(({ mentorWorkflowId }) => mentorWorkflowId)).toEqual([
      s.proposal!.pairs[0]!.mentorWorkflowId,
    ]);
  });

  it('assigns the pairs once when two approvals race: the second finds no proposal waiting', async () => {
    const round = await matchingRound();
    const pairs: Pair[] = round.mentees.map((relationshipId) => ({
      relationshipId,
      mentorWorkflowId: mentor(round.programId),
    }));
    await round.propose(pairs);
    const decisions = await Promise.allSettled([round.decide('approve', 1), round.decide('approve', 1)]);
    expect(decisions.map((d) => d.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = decisions.find((d) => d.status === 'rejected')!;
    await expectRefusal(Promise.reject(refused.reason), Refusal.noProposal);
    expect(await round.handle.result()).toEqual({ admitted: 2, assigned: 2, refused: 0 });
    expect(round.assigned().map((p) => p.relationshipId)).toEqual(round.mentees);
    expect(t.stubs.emails(round.wf).filter((e) => e.template === 'coordinator-round-matched')).toHaveLength(
      1,
    );
  });

  it('shows the computed proposal asked for last, when an earlier computation lands after it', async () => {
    const round = await matchingRound();
    const [a, b] = round.mentees as [string, string];
    const early = [{ relationshipId: a, mentorWorkflowId: mentor(round.programId) }];
    const late = [{ relationshipId: b, mentorWorkflowId: mentor(round.programId) }];
    // The first computation is slow: it finishes only after the second.
    const slow = t.stubs.gate();
    let calls = 0;
    t.stubs.override({
      proposeMatching: (async (input) => {
        if (++calls === 1) {
          await slow.opened;
          return run('run-early', early, input.by);
        }
        return run('run-late', late, input.by);
      }) satisfies Activities['proposeMatching'],
    });
    const first = round.compute();
    await expect.poll(() => t.stubs.of(round.wf).filter((c) => c.name === 'proposeMatching').length).toBe(1);
    await round.compute();
    expect(await round.status()).toMatchObject({
      phase: 'approval',
      proposal: { version: 1, runId: 'run-late', pairs: late },
      matchingRun: { runId: 'run-late' },
    });
    slow.open();
    await first;
    // The early result came last, and is dropped: neither the proposal nor the run shown change.
    expect(await round.status()).toMatchObject({
      phase: 'approval',
      proposal: { version: 1, runId: 'run-late', pairs: late },
      matchingRun: { runId: 'run-late' },
    });
    await round.decide('approve', 1);
    expect(await round.handle.result()).toEqual({ admitted: 2, assigned: 1, refused: 0 });
    expect(round.assigned().map((p) => p.relationshipId)).toEqual([b]);
  });

  it('changes nothing approved when a computation lands after the approval', async () => {
    const round = await matchingRound();
    const [a, b] = round.mentees as [string, string];
    const byHand: Pair[] = [{ relationshipId: a, mentorWorkflowId: mentor(round.programId) }];
    const computed: Pair[] = [{ relationshipId: b, mentorWorkflowId: mentor(round.programId) }];
    const slow = t.stubs.gate();
    t.stubs.override({
      proposeMatching: (async (input) => {
        await slow.opened;
        return run('run-after', computed, input.by);
      }) satisfies Activities['proposeMatching'],
    });
    const computing = round.compute();
    await expect.poll(() => t.stubs.of(round.wf).some((c) => c.name === 'proposeMatching')).toBe(true);
    // Meanwhile a proposal by hand, approved at once.
    await round.propose(byHand);
    await round.decide('approve', 1);
    await expect.poll(async () => (await round.status()).phase).toBe('done');
    expect(round.assigned().map((p) => p.relationshipId)).toEqual([a]);
    // The round waits for the computation before it completes.
    expect((await round.handle.describe()).status.name).toBe('RUNNING');
    slow.open();
    await computing;
    expect(await round.handle.result()).toEqual({ admitted: 2, assigned: 1, refused: 0 });
    const s = await round.status();
    expect(s).toMatchObject({ phase: 'done', proposal: { version: 1, pairs: byHand }, assigned: byHand });
    expect(s.matchingRun).toMatchObject({ runId: 'run-after' });
    expect(round.assigned()).toHaveLength(1);
  });
});
