/** The side effects of a programme round: the programme's application pages, and handing pairs to mentors. */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  assignMentee,
  relationshipStatus,
  type Actor,
  type Pair,
  type RelationshipPhase,
} from '../workflows/messages.js';
import { callingWorkflowId } from './context.js';
import type { ActivityDeps } from './index.js';
import { statusOf } from '../lib/workflow-status.js';

/** How long a pair's assignment waits for a mentee not yet in matching, well inside the activity's 30 s. */
const MATCHING_PATIENCE_MS = 15_000;
const BEFORE_MATCHING = new Set<RelationshipPhase>(['application', 'endorsement', 'interview']);

export interface OpenRoundInput {
  programId: string;
  round: number;
  deadline: string;
  places: number;
}

export interface AssignMatchInput extends Pair {
  by: Actor;
  /** Derived from the round and the proposal, so a retried activity assigns once. */
  updateId: string;
}

export type AssignMatchResult = { assigned: true } | { assigned: false; reason: string };

export function createRoundActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    /** Records the round and opens the programme's application pages under it. */
    async openRound({ programId, round, deadline, places }: OpenRoundInput): Promise<void> {
      const workflowId = callingWorkflowId();
      await sql.begin(async (tx) => {
        await tx`
          insert into program_rounds (workflow_id, program_id, number, deadline, places)
          values (${workflowId}, ${programId}, ${round}, ${deadline}, ${places})
          on conflict (workflow_id) do nothing`;
        await tx`update programs set applications_open = true, current_round = ${workflowId} where id = ${programId}`;
      });
    },

    /** Closes the application pages, unless a later round has opened them since. */
    async closeApplications({ programId }: { programId: string }): Promise<void> {
      const workflowId = callingWorkflowId();
      await sql.begin(async (tx) => {
        await tx`update program_rounds set closed_at = coalesce(closed_at, now()) where workflow_id = ${workflowId}`;
        await tx`update programs set applications_open = false where id = ${programId} and current_round = ${workflowId}`;
      });
    },

    /**
     * Gives a mentor their mentee through the mentor's own workflow, whose validator knows the capacity.
     * A mentee who is not waiting for a match (not yet interviewed, say) is not assigned.
     */
    async assignMatch({
      relationshipId,
      mentorWorkflowId,
      by,
      updateId,
    }: AssignMatchInput): Promise<AssignMatchResult> {
      const { client } = Context.current();
      try {
        const handle = client.workflow.getHandle(relationshipId);
        let mentee = await statusOf(handle, relationshipStatus);
        // A mentee accepted at interview reaches matching once the "accepted" email is out, a moment
        // the coordinator can beat by approving at once; the published status shows it a task later.
        const giveUpAt = Date.now() + MATCHING_PATIENCE_MS;
        while (BEFORE_MATCHING.has(mentee.phase) && Date.now() < giveUpAt) {
          await Context.current().sleep(500);
          mentee = await statusOf(handle, relationshipStatus);
        }
        // A retry after the assignment went through finds the pair already made.
        if (mentee.mentor?.mentorWorkflowId === mentorWorkflowId) return { assigned: true };
        if (mentee.phase !== 'matching' || mentee.mentor)
          return { assigned: false, reason: `the mentee is not waiting for a match (phase ${mentee.phase})` };
        await client.workflow
          .getHandle(mentorWorkflowId)
          .executeUpdate(assignMentee, { updateId, args: [{ relationshipId, by }] });
        return { assigned: true };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError)
          return { assigned: false, reason: err.cause?.message ?? err.message };
        if (err instanceof WorkflowNotFoundError)
          return { assigned: false, reason: 'the workflow is not running' };
        throw err;
      }
    },
  };
}
