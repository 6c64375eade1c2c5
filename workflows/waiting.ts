/**
 * How a programme that lasts months waits, the same for a relationship and a cohort: for a point of its
 * schedule that can move (a pause, a moved gathering), for answers whose consequences are worked out
 * beside the schedule, and for a quiet moment to hand over to a new run.
 *
 * Each helper keeps the awaits of the code it replaced, one for one: an extra async step would reorder
 * commands against recorded histories, which replay rejects.
 */
import { allHandlersFinished, condition, isCancellation } from '@temporalio/workflow';
import type { FormSteps } from './form-steps.js';

const never = () => false;
const unchanged = () => undefined;

/** A point of the schedule, which may move while it is awaited. */
export interface MovingPoint {
  /** When (ms since the epoch, workflow time); read again whenever it may have moved. */
  at: () => number;
  /** While true the clock stands still (the relationship is paused); the wait goes on once it is false. */
  held?: () => boolean;
  /** Changes whenever `at` moves other than by a hold (a gathering was moved). */
  moves?: () => unknown;
  /** Ends the wait at once (the pair ended, the coordinator ended the relationship). */
  cutShort?: () => boolean;
}

/** Waits until the point is reached, or the wait is cut short. */
export async function until({
  at,
  held = never,
  moves = unchanged,
  cutShort = never,
}: MovingPoint): Promise<void> {
  for (;;) {
    if (held()) await condition(() => !held() || cutShort());
    const ms = at() - Date.now();
    if (cutShort() || ms <= 0) return;
    const seen = moves();
    if (!(await condition(() => cutShort() || held() || moves() !== seen, ms))) return;
  }
}

/**
 * Answers that arrive beside the schedule (meeting logs, evaluations, homework): each is followed up when
 * it comes, so a late answer never delays what the schedule does next, and a hand-over waits until no
 * follow-up is half-done.
 */
export class FollowUps {
  #working = 0;

  /** Follows `outcome` up when it settles; an ending that cancels it is no error. */
  beside<T>(outcome: Promise<T>, followUp: (settled: T) => void | Promise<void>): void {
    outcome
      .then(async (settled) => {
        this.#working++;
        try {
          // Awaited only when it is async: a follow-up that is not must finish in the same step.
          const done = followUp(settled);
          if (done) await done;
        } finally {
          this.#working--;
        }
      })
      .catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      });
  }

  /** No follow-up is being worked out. */
  get idle(): boolean {
    return this.#working === 0;
  }
}

/**
 * When a run can hand over to the next (continue-as-new): no handler running, no form step between two
 * states, no answer being followed up, and whatever else the workflow must see settled.
 */
export function quietToHandOver(
  steps: Pick<FormSteps, 'atRest'>,
  followUps: FollowUps,
  alsoSettled: () => boolean = () => true,
): () => boolean {
  return () => allHandlersFinished() && steps.atRest() && followUps.idle && alsoSettled();
}
