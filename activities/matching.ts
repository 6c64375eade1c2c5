/**
 * Matching as an activity (it is CPU work): reads the programme's whole pool from the workflows and the database,
 * computes the proposal, and stores pool and proposal together. The round's history keeps only the run's
 * id, the pairs by workflow id and the figures. A pool or proposal too large for the app is refused with
 * the figures (domain/matching/app-limits.ts), never retried, since it would not be smaller the next time.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { poolTooLargeForApp, proposalTooLargeToStore } from '../domain/matching/app-limits.js';
import { Pool } from '../domain/matching/pool.js';
import { matchingPool } from '../services/programme-pool.js';
import { propose } from '../domain/matching/propose.js';
import type { Actor, MatchingSettings, MatchingRunSummary, Pair } from '../workflows/messages.js';
import { callingWorkflowId } from './context.js';
import type { ActivityDeps } from './index.js';

export interface ProposeMatchingInput {
  programId: string;
  /**
   * The round's own mentees. Matching reads the programme's whole pool (earlier rounds, rolling intake
   * and rematched mentees wait in it too); kept so that a round started before still sends it.
   */
  mentees: string[];
  settings: MatchingSettings;
  locked: Pair[];
  forbidden: Pair[];
  by: Actor;
}

export function createMatchingActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    async proposeMatching(input: ProposeMatchingInput): Promise<MatchingRunSummary> {
      const info = Context.current().info;
      const key = `${info.workflowExecution?.runId ?? callingWorkflowId()}/${info.activityId}`;
      let [run] = await sql<{ id: string; proposal: ReturnType<typeof propose>; created_at: Date }[]>`
        select id, proposal, created_at from matching_runs where idempotency_key = ${key}`;
      if (!run) {
        const pool = await matchingPool(Context.current().client, sql, input);
        // A pool the rules cannot read (settings out of range, say) will not read better on a retry.
        const parsed = Pool.safeParse(pool);
        if (!parsed.success)
          throw ApplicationFailure.nonRetryable(
            `the matching pool is not valid: ${parsed.error.issues
              .slice(0, 5)
              .map((i) => `${z.core.toDotPath(i.path)}: ${i.message}`)
              .join('; ')}`,
            'InvalidPool',
          );
        const tooLarge = poolTooLargeForApp(parsed.data);
        if (tooLarge) throw ApplicationFailure.nonRetryable(tooLarge, 'PoolTooLarge');
        const proposal = propose(parsed.data);
        // Checked before the insert: serialising it there would fail (and be retried) past a string's length.
        const tooLong = proposalTooLargeToStore(proposal);
        if (tooLong) throw ApplicationFailure.nonRetryable(tooLong, 'ProposalTooLarge');
        [run] = await sql<{ id: string; proposal: ReturnType<typeof propose>; created_at: Date }[]>`
          insert into matching_runs (idempotency_key, program_id, round_workflow_id, requested_by, pool, proposal)
          values (${key}, ${input.programId}, ${callingWorkflowId()}, ${input.by.userId},
                  ${sql.json(pool as never)}, ${sql.json(proposal as never)})
          on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
          returning id, proposal, created_at`;
      }
      const { proposal } = run!;
      return {
        runId: run!.id,
        pairs: proposal.pairs.map((p) => ({ relationshipId: p.mentee, mentorWorkflowId: p.mentor })),
        matched: proposal.matched,
        unmatched: proposal.unmatched.length,
        totalScore: proposal.totalScore,
        by: input.by,
        at: run!.created_at.toISOString(),
      };
    },
  };
}
