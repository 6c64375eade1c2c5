/**
 * The workflow code of the new worker version the cluster drill rolls out: today's workflows, but the
 * relationship with a change behind `patched()`: it starts a timer of its own as it begins (a new
 * command). Relationships already running replay without it; runs that start on the new version take
 * it. The timer is not awaited: the relationship registers its handlers in its first activation as
 * before, or the application that starts it (update-with-start) would find no handler and be refused.
 */
import { patched, sleep } from '@temporalio/workflow';
import * as today from '../../workflows/index.js';

export * from '../../workflows/index.js';

/** The patch id the new version records in the runs it starts. */
export const ROLLOUT_PATCH = 'drill-rollout-timer';

export async function relationshipWorkflow(
  ...args: Parameters<typeof today.relationshipWorkflow>
): ReturnType<typeof today.relationshipWorkflow> {
  if (patched(ROLLOUT_PATCH)) void sleep('1 second');
  return today.relationshipWorkflow(...args);
}
