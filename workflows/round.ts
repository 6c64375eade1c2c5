/**
 * A programme round: mentee applications open, close at the deadline or when the places are taken, the
 * coordinator is asked for matching, approves the proposed pairs, and then each mentor's workflow is
 * given its mentee, which tells the relationship and both people. A round bounds the intake of mentees
 * only: mentors offer themselves whenever the programme takes mentors. The proposal is computed by the
 * matching activity over the programme's whole pool, or made by hand; either way the coordinator approves it.
 */
import {
  allHandlersFinished,
  condition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, matching } from './activities.js';
import {
  admitApplicant,
  computeProposal,
  decideMatches,
  proposeMatches,
  roundStatus,
  type Actor,
  type Pair,
  type RoundPhase,
  type RoundStatus,
} from './messages.js';
import { enterPhase } from './phase.js';
import { ProgramId } from './search-attributes.js';
import { publishStatus } from './published-status.js';
import { refuse, Refusal } from './refusals.js';
import { isWorkflowOf } from './ids.js';

export interface RoundInput {
  programId: string;
  /** 1 for the programme's first round; with the programme it makes the workflow id. */
  round: number;
  /** When applications close (ISO 8601). */
  deadline: string;
  /** How many mentees the round takes. */
  places: number;
  openedBy: Actor;
}

export interface RoundOutcome {
  admitted: number;
  assigned: number;
  refused: number;
}

export async function programRoundWorkflow(input: RoundInput): Promise<RoundOutcome> {
  const { programId, round, deadline, places } = input;
  const wf = workflowInfo().workflowId;
  const status: RoundStatus = {
    programId,
    round,
    phase: 'open',
    waitingFor: 'participant',
    deadline,
    places,
    mentees: [],
    mentors: [],
    assigned: [],
    refused: [],
  };
  const enter = (phase: RoundPhase, waitingFor: RoundStatus['waitingFor']) =>
    enterPhase(status, phase, waitingFor);
  const tellCoordinator = (key: string, template: string, data: Record<string, string | number>) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: { coordinatorOf: programId },
      programId,
      data,
      adminPaths: { programUrl: `admin/programs/${programId}` },
    });
  const needsActor = (by: Actor | undefined) => {
    if (!by?.userId) refuse(Refusal.noActor, 'a coordinator decision must say who made it');
  };

  /** Counts every proposal, rejected ones too, so an approval always names the one the coordinator saw. */
  let proposals = 0;
  let approved: RoundStatus['proposal'];

  const matchingNow = () => status.phase === 'matching' || status.phase === 'approval';
  /**
   * Pairs name this programme's mentees and mentors; `once`: each mentee at most once. Any mentee of the
   * programme may be in them, since matching runs over the whole pool (earlier rounds, rolling intake,
   * rematches); whether the mentee still waits is checked when the pair is made.
   */
  const checkPairs = (pairs: Pair[], once: boolean) => {
    const seen = new Set<string>();
    for (const { relationshipId, mentorWorkflowId } of pairs) {
      if (!isWorkflowOf('relationship', programId, relationshipId))
        refuse(Refusal.notInProgramme, `${relationshipId} is not a mentee of programme ${programId}`);
      if (once && seen.has(relationshipId))
        refuse(Refusal.pairedTwice, `${relationshipId} is in the proposal twice`);
      if (!isWorkflowOf('mentor', programId, mentorWorkflowId))
        refuse(Refusal.notInProgramme, `${mentorWorkflowId} is not a mentor of programme ${programId}`);
      seen.add(relationshipId);
    }
  };
  const propose = (pairs: Pair[], by: Actor, at: string, runId?: string) => {
    status.proposal = { pairs, by, at, version: ++proposals, ...(runId ? { runId } : {}) };
    enter('approval', 'coordinator');
  };
  /** Counts requests for a computed proposal: only the latest one's result is shown. */
  let matchingRequests = 0;

  const view = () => status;

  // Every Update and Query the round answers, registered before its first command.
  //
  // Where the round stands, for the CLI; pages read the same view from the memo.
  setHandler(roundStatus, view);
  publishStatus(view);
  // An applicant asks for a place. It is decided here, in one place, so the last place cannot go to two
  // people at once.
  setHandler(
    admitApplicant,
    ({ workflowId, role }) => {
      const admitted = role === 'mentee' ? status.mentees : status.mentors;
      if (!admitted.includes(workflowId)) admitted.push(workflowId);
    },
    {
      validator: ({ workflowId, role }) => {
        if (!isWorkflowOf(role === 'mentee' ? 'relationship' : 'mentor', programId, workflowId))
          refuse(Refusal.notInProgramme, `not a ${role} of programme ${programId}`);
        const admitted = role === 'mentee' ? status.mentees : status.mentors;
        if (admitted.includes(workflowId)) return; // the same applicant again keeps the place
        if (status.phase !== 'open') refuse(Refusal.roundClosed, 'the round is closed');
        if (role === 'mentee' && status.mentees.length >= places)
          refuse(Refusal.roundFull, "the round's places are taken");
      },
    },
  );
  // The coordinator proposes pairs by hand, for the round's mentees or any of the programme's pool.
  setHandler(proposeMatches, ({ pairs, by }) => propose(pairs, by, new Date().toISOString()), {
    validator: ({ pairs, by }) => {
      needsActor(by);
      if (!matchingNow()) refuse(Refusal.roundNotMatching, 'this round is not matching now');
      if (pairs.length === 0) refuse(Refusal.proposalEmpty, 'a proposal needs at least one pair');
      checkPairs(pairs, true);
    },
  });
  // The matching activity computes a proposal over the whole pool; with no pair found, the run alone is
  // kept, and the programme page explains who could not be matched and why.
  setHandler(
    computeProposal,
    async ({ settings, locked, forbidden, by }) => {
      const request = ++matchingRequests;
      const run = await matching.proposeMatching({
        programId,
        mentees: status.mentees,
        settings,
        locked,
        forbidden,
        by,
      });
      // Two requests close together may finish in either order; the one asked for last is the one shown.
      if (request !== matchingRequests) return;
      status.matchingRun = run;
      if (run.pairs.length > 0 && matchingNow()) propose(run.pairs, by, run.at, run.runId);
    },
    {
      validator: ({ locked, forbidden, by }) => {
        needsActor(by);
        if (!matchingNow()) refuse(Refusal.roundNotMatching, 'this round is not matching now');
        checkPairs(locked, true);
        checkPairs(forbidden, false);
      },
    },
  );
  // The coordinator approves the proposal seen (each pair is then assigned), or rejects it for another.
  setHandler(
    decideMatches,
    ({ decision, by }) => {
      if (decision === 'approve') {
        // Frozen at once: no later proposal or rejection can change what was approved.
        approved = status.proposal;
        status.approvedBy = by;
        enter('notifying', 'nobody');
      } else {
        status.proposal = undefined;
        enter('matching', 'coordinator');
      }
    },
    {
      validator: ({ decision, reason, by, version }) => {
        needsActor(by);
        if (status.phase !== 'approval' || !status.proposal)
          refuse(Refusal.noProposal, 'no proposal waits for approval');
        // The coordinator decides on the proposal they saw, not on one that replaced it meanwhile.
        if (version !== status.proposal.version)
          refuse(Refusal.proposalChanged, 'the proposal has changed; review it again');
        if (decision === 'reject' && !reason.trim())
          refuse(Refusal.reasonNeeded, 'rejecting a proposal needs a reason');
      },
    },
  );

  // Applications open until the deadline or until every place is taken.
  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  enter('open', 'participant');
  await activities.openRound({ programId, round, deadline, places });
  const untilDeadline = new Date(deadline).getTime() - Date.now();
  const full = () => status.mentees.length >= places;
  if (!full() && untilDeadline > 0) await condition(full, untilDeadline);
  status.closedBecause = full() ? 'full' : 'deadline';

  // Closed: the validator turns late applicants away from here on, before the programme page says so.
  enter('matching', 'coordinator');
  await activities.closeApplications({ programId });
  await tellCoordinator('closed', 'coordinator-round-closed', {
    mentees: status.mentees.length,
    mentors: status.mentors.length,
    // A code, not a sentence: the email says it in the coordinator's language.
    closedBecause: status.closedBecause ?? 'deadline',
  });

  // The coordinator proposes pairs and approves them; a rejected proposal is replaced by another.
  await condition(() => approved !== undefined);
  const { pairs, version } = approved!;
  for (const pair of pairs) {
    const result = await activities.assignMatch({
      ...pair,
      by: status.approvedBy!,
      updateId: `${wf}/proposal-${version}/${pair.relationshipId}`,
    });
    if (result.assigned) status.assigned.push(pair);
    else status.refused.push({ pair, reason: result.reason });
  }
  await tellCoordinator('matched', 'coordinator-round-matched', {
    assigned: status.assigned.length,
    refused: status.refused.length,
  });
  enter('done', 'nobody');
  await condition(allHandlersFinished);
  return {
    admitted: status.mentees.length,
    assigned: status.assigned.length,
    refused: status.refused.length,
  };
}
