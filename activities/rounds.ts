/** The side effects of a programme round: the programme's application pages, and handing pairs to mentors. */
import { Context } from '@temporalio/activity';
import type { Actor, Pair } from '../workflows/messages.js';
import { assignPair } from '../services/pool.js';
import { callingWorkflowId } from './context.js';
import type { ActivityDeps } from './index.js';

/** How long a pair's assignment waits for a mentee not yet in matching, well inside the activity's 30 s. */
const MATCHING_PATIENCE_MS = 15_000;

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
     * Gives a mentor their mentee (services/pool.ts, as the pool's hand pairing does). A mentee accepted at
     * interview reaches matching once the "accepted" email is out, a moment the coordinator can beat by
     * approving at once, so a mentee just before matching is waited for, well inside the activity's 30 s.
     */
    async assignMatch({ by, updateId, ...pair }: AssignMatchInput): Promise<AssignMatchResult> {
      const giveUpAt = Date.now() + MATCHING_PATIENCE_MS;
      const result = await assignPair(Context.current().client, pair, by, updateId, async () => {
        if (Date.now() >= giveUpAt) return false;
        await Context.current().sleep(500);
        return true;
      });
      // A code, not a sentence: the programme page words it in the coordinator's language.
      return result.assigned ? result : { assigned: false, reason: result.refusal };
    },
  };
}
