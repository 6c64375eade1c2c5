/** The workflows' handle on activities, with the retry policy every side effect shares. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

// A mail server or database outage delays a step; it must never lose it, so retries do not give up.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

export const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

/** Matching a large pool is seconds of CPU work, more than an email or a database write. */
export const matching = proxyActivities<Pick<Activities, 'proposeMatching'>>({
  startToCloseTimeout: '5 minutes',
  retry,
});

/**
 * Storing a form's answers: one short database write, run by the worker inside the workflow task that
 * took the answer (a local activity), so it costs no activity task and no second workflow task. The task
 * completes once they are stored, with its result recorded in history; a worker lost before then has the
 * task run again, answer and all.
 */
export const storing = proxyLocalActivities<Pick<Activities, 'recordApplication' | 'recordStepAnswers'>>({
  startToCloseTimeout: '10 seconds',
  retry,
});
