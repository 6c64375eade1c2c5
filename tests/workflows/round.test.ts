/**
 * A programme round, activities stubbed: applications open until the deadline or until the places are
 * taken, the coordinator is told, proposals (by hand or computed) wait for approval, a rejected one
 * makes way for another, and an approved one is assigned pair by pair.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import {
  admitApplicant,
  assignMentee,
  computeProposal,
  decideMatches,
  proposeMatches,
  roundStatus,
  type Pair,
} from '../../workflows/messages.js';
import { Refusal } from '../../workflows/refusals.js';
import type { programRoundWorkflow } from '../../workflows/round.js';
import { by, expectRefusal, useWorkflowTestEnv, testServer } from './support/env.js';
import {
  menteeInMatching,
  mentorInPool,
  mentorStatusOf,
  newProgramme,
  waitForPhase,
} from './support/participants.js';

const DAY = 86_400_000;

describe.skipIf(!testServer)('programme round workflow', () => {
  const t = useWorkflowTestEnv();

  const mentee = (programId: string) => `relationship-${programId}-${randomUUID()}`;
  const mentor = (programId: string) => `mentor-${programId}-${randomUUID()}`;

  async function openRound(places: number, days = 30) {
    const programId = newProgramme();
    const deadline = new Date((await t.now()) + days * DAY).toISOString();
    const handle = await t.client.workflow.start<typeof programRoundWorkflow>('programRoundWorkflow', {
      workflowId: `round-${programId}-1`,
      taskQueue: t.taskQueue,
      args: [{ programId, round: 1, deadline, places, openedBy: by }],
    });
    t.started.push(handle);
    const phase = async () => (await handle.query(roundStatus)).phase;
    const admit = (workflowId: string, role: 'mentee' | 'mentor') =>
      handle.executeUpdate(admitApplicant, { args: [{ workflowId, role }] });
    return { programId, deadline, handle, phase, admit, status: () => handle.query(roundStatus) };
  }

  /** A round whose applications have closed, waiting for the coordinator's proposal. */
  async function matchingRound() {
    const round = await openRound(2);
    const mentees = [mentee(round.programId), mentee(round.programId)];
    for (const id of mentees) await round.admit(id, 'mentee');
    await expect.poll(round.phase).toBe('matching');
    return { ...round, mentees };
  }

  it('closes when its places are taken, tells the coordinator, and turns late applicants away', async () => {
    const round = await openRound(2);
    const { programId, handle } = round;
    await expect.poll(round.phase).toBe('open');
    const a = mentee(programId);
    const m = mentor(programId);
    await round.admit(m, 'mentor');
    await round.admit(a, 'mentee');
    await round.admit(a, 'mentee'); // the same applicant keeps the place, and takes no second
    await expectRefusal(round.admit(m, 'mentee'), Refusal.notInProgramme);
    await expectRefusal(round.admit(mentee('otherprog'), 'mentee'), Refusal.notInProgramme);
    await expectRefusal(
      handle.executeUpdate(proposeMatches, {
        args: [{ pairs: [{ relationshipId: a, mentorWorkflowId: m }], by }],
      }),
      Refusal.roundNotMatching,
    );
    expect((await round.status()).phase).toBe('open');
    const b = mentee(programId);
    await round.admit(b, 'mentee');
    await expect.poll(round.phase).toBe('matching');
    const s = await round.status();
    expect(s).toMatchObject({
      closedBecause: 'full',
      mentees: [a, b],
      mentors: [m],
      waitingFor: 'coordinator',
    });

    const calls = t.stubs.of(handle.workflowId);
    expect(calls.find((c) => c.name === 'openRound')?.input).toEqual({
      programId,
      round: 1,
      deadline: round.deadline,
      places: 2,
    });
    await expect
      .poll(() => t.stubs.emails(handle.workflowId).map((e) => e.template))
      .toContain('coordinator-round-closed');
    expect(calls.find((c) => c.name === 'closeApplications')?.input).toEqual({ programId });
    expect(t.stubs.emails(handle.workflowId)[0]!.data).toEqual({
      mentees: 2,
      mentors: 1,
      closedBecause: 'full',
    });
    await expectRefusal(round.admit(mentee(programId), 'mentee'), Refusal.roundClosed);
    await expectRefusal(round.admit(mentor(programId), 'mentor'), Refusal.roundClosed);
    await round.admit(a, 'mentee'); // already admitted: still fine
  });

  it('closes at its deadline with the places it has', async () => {
    const round = await openRound(5, 10);
    await round.admit(mentee(round.programId), 'mentee');
    await t.sleep(9 * DAY);
    expect(await round.phase()).toBe('open');
    await t.sleep(DAY + 60_000);
    await expect.poll(round.phase).toBe('matching');
    expect(await round.status()).toMatchObject({ closedBecause: 'deadline' });
    await expect
      .poll(() => t.stubs.emails(round.handle.workflowId)[0]?.data)
      .toMatchObject({
        mentees: 1,
        closedBecause: 'deadline',
      });
  });

  it('turns away a mentee over the places while the round is still opening', async () => {
    const opening = t.stubs.gate();
    t.stubs.override({ openRound: () => opening.opened });
    const round = await openRound(1);
    await expect
      .poll(() => t.stubs.of(round.handle.workflowId).some((c) => c.name === 'openRound'))
      .toBe(true);
    await round.admit(mentee(round.programId), 'mentee');
    await expectRefusal(round.admit(mentee(round.programId), 'mentee'), Refusal.roundFull);
    opening.open();
    await expect.poll(round.phase).toBe('matching');
    expect(await round.status()).toMatchObject({ closedBecause: 'full' });
    expect((await round.status()).mentees).toHaveLength(1);
  });

  it('replaces a rejected proposal by a computed one, and assigns the approved pairs', async () => {
    const round = await matchingRound();
    const { programId, handle, mentees } = round;
    const wf = handle.workflowId;
    const [m1, m2] = [mentor(programId), mentor(programId)];
    const hand: Pair[] = [{ relationshipId: mentees[0]!, mentorWorkflowId: m1 }];
    const propose = (pairs: Pair[], who = by) =>
      handle.executeUpdate(proposeMatches, { args: [{ pairs, by: who }] });
    const decide = (decision: 'approve' | 'reject', version: number, reason = '') =>
      handle.executeUpdate(decideMatches, { args: [{ decision, reason, by, version }] });

    await expectRefusal(decide('approve', 1), Refusal.noProposal);
    await expectRefusal(propose([]), Refusal.proposalEmpty);
    await expectRefusal(propose(hand, { userId: '' }), Refusal.noActor);
    await expectRefusal(
      propose([...hand, { relationshipId: mentees[0]!, mentorWorkflowId: m2 }]),
      Refusal.pairedTwice,
    );
    await expectRefusal(
      propose([{ relationshipId: mentees[0]!, mentorWorkflowId: mentor('otherprog') }]),
      Refusal.notInProgramme,
    );
    await propose(hand);
    expect(await round.status()).toMatchObject({
      phase: 'approval',
      proposal: { pairs: hand, version: 1, by },
    });
    await expectRefusal(decide('reject', 1, ' '), Refusal.reasonNeeded);
    await decide('reject', 1, 'Prefer another mentor');
    const rejected = await round.status();
    expect(rejected.phase).toBe('matching');
    expect(rejected.proposal).toBeUndefined();

    // The matching activity proposes two pairs.
    const computed: Pair[] = [
      { relationshipId: mentees[0]!, mentorWorkflowId: m2 },
      { relationshipId: mentees[1]!, mentorWorkflowId: m1 },
    ];
    t.stubs.override({
      proposeMatching: async (input) => ({
        runId: 'run-7',
        pairs: computed,
        matched: 2,
        unmatched: 0,
        totalScore: 1.5,
        by: input.by,
        at: new Date().toISOString(),
      }),
      assignMatch: async (input) =>
        input.mentorWorkflowId === m1 ? { assigned: false, reason: 'mentor-not-free' } : { assigned: true },
    });
    await expectRefusal(
      handle.executeUpdate(computeProposal, {
        args: [{ settings: {}, locked: [{ relationshipId: 'x', mentorWorkflowId: m1 }], forbidden: [], by }],
      }),
      Refusal.notInProgramme,
    );
    await handle.executeUpdate(computeProposal, { args: [{ settings: {}, locked: [], forbidden: [], by }] });
    const proposed = await round.status();
    expect(proposed).toMatchObject({
      phase: 'approval',
      proposal: { pairs: computed, version: 2, runId: 'run-7' },
    });
    expect(proposed.matchingRun).toMatchObject({ runId: 'run-7', matched: 2 });
    expect(t.stubs.of(wf).find((c) => c.name === 'proposeMatching')?.input).toMatchObject({
      programId,
      mentees,
    });

    await expectRefusal(decide('approve', 1), Refusal.proposalChanged);
    await decide('approve', 2);
    expect(await handle.result()).toEqual({ admitted: 2, assigned: 1, refused: 1 });
    const done = await round.status();
    expect(done).toMatchObject({ phase: 'done', approvedBy: by, assigned: [computed[0]] });
    expect(done.refused).toEqual([{ pair: computed[1], reason: 'mentor-not-free' }]);
    expect(
      t.stubs
        .of(wf)
        .filter((c) => c.name === 'assignMatch')
        .map((c) => c.input),
    ).toEqual([
      { ...computed[0], by, updateId: `${wf}/proposal-2/${mentees[0]}` },
      { ...computed[1], by, updateId: `${wf}/proposal-2/${mentees[1]}` },
    ]);
    expect(t.stubs.emails(wf).at(-1)).toMatchObject({
      template: 'coordinator-round-matched',
      data: { assigned: 1, refused: 1 },
    });
  });

  it('keeps a computed run that found no pair, without a proposal', async () => {
    const round = await matchingRound();
    await round.handle.executeUpdate(computeProposal, {
      args: [{ settings: {}, locked: [], forbidden: [], by }],
    });
    const s = await round.status();
    expect(s.phase).toBe('matching');
    expect(s.proposal).toBeUndefined();
    expect(s.matchingRun).toMatchObject({ runId: 'run-1', pairs: [], unmatched: 2 });
  });

  it('gives an approved pair to the mentor, whose workflow tells the relationship', async () => {
    const round = await openRound(1);
    const { programId, handle } = round;
    const waiting = await menteeInMatching(t, programId);
    const free = await mentorInPool(t, programId);
    // As the real activity does: an assignMentee Update to the mentor's workflow, keyed by the updateId.
    t.stubs.override({
      assignMatch: async ({ relationshipId, mentorWorkflowId, by: who, updateId }) => {
        await Context.current()
          .client.workflow.getHandle(mentorWorkflowId)
          .executeUpdate(assignMentee, { args: [{ relationshipId, by: who }], updateId });
        return { assigned: true };
      },
    });
    await round.admit(waiting.handle.workflowId, 'mentee');
    await expect.poll(round.phase).toBe('matching');
    await handle.executeUpdate(proposeMatches, {
      args: [
        {
          pairs: [{ relationshipId: waiting.handle.workflowId, mentorWorkflowId: free.handle.workflowId }],
          by,
        },
      ],
    });
    await handle.executeUpdate(decideMatches, {
      args: [{ decision: 'approve', reason: '', by, version: 1 }],
    });
    expect(await handle.result()).toEqual({ admitted: 1, assigned: 1, refused: 0 });
    await waitForPhase(waiting.handle, 'kickoff');
    expect((await mentorStatusOf(free.handle)).relationships).toEqual([waiting.handle.workflowId]);
  });
});
