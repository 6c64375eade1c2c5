/** The workflows' handle on activities, with the retry policy every side effect shares. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

// A mail server or database outage delays a step; it must never lose it, so retries do not give up.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

export const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

/** Matching a large pool is seconds of CPU work, more than an email or a database write. */
export const matching = proxyActivities<Pick<Activities, 'proposeMatching'>>({
  startToCloseTimeout: '5 minutes',
  retry,
});
