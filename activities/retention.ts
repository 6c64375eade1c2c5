/** The retention sweep's side effect: erase everyone whose programme keeps their data no longer. */
import { Context } from '@temporalio/activity';
import { eraseParticipant, expiredParticipants } from '../lib/erasure.js';
import type { ActivityDeps } from './index.js';

export function createRetentionActivities({ sql }: Pick<ActivityDeps, 'sql'>) {
  return {
    async sweepRetention(): Promise<{ erased: number }> {
      const { client } = Context.current();
      let erased = 0;
      for (const participantId of await expiredParticipants(sql)) {
        Context.current().heartbeat(participantId);
        const result = await eraseParticipant(sql, client, { participantId, rule: 'retention' });
        if (!result.alreadyErased) erased++;
      }
      return { erased };
    },
  };
}
