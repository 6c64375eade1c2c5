/** The retention sweep's side effect: erase everyone whose programme keeps their data no longer. */
import { Context } from '@temporalio/activity';
import { eraseExpiredCohorts, eraseParticipant, expiredParticipants } from '../services/erasure.js';
import type { ActivityDeps } from './index.js';

export function createRetentionActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    async sweepRetention(): Promise<{ erased: number; failed: number }> {
      const { client, log } = Context.current();
      let erased = 0;
      let failed = 0;
      for (const participantId of await expiredParticipants(sql)) {
        Context.current().heartbeat(participantId);
        // One person who cannot be erased now (a mentor still mentoring, say) does not hold up the rest;
        // they are found again by the next sweep.
        try {
          const result = await eraseParticipant(sql, client, { participantId, rule: 'retention' });
          if (!result.alreadyErased) erased++;
        } catch (err) {
          failed++;
          log.warn('retention: erasure failed', { participantId, error: (err as Error).message });
        }
      }
      // Closed learning-network cohorts whose time is up: their members, all at once.
      erased += await eraseExpiredCohorts(sql);
      return { erased, failed };
    },
  };
}
