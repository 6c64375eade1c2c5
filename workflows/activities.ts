/** The workflows' handle on activities, with the retry policy every side effect shares. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A mail server or database outage delays a step; it must never lose it, so retries do not give up.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
