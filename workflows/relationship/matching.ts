/**
 * Matching, from the relationship's side: the coordinator assigns a mentor through the mentor's
 * workflow, which signals the relationship (`mentorAssigned`). An offer only waits here until matching
 * takes it: what the relationship does with it must not depend on whether the result it was waiting for
 * came in the same workflow task (patches.ts, OFFERS_WAIT). A mentor it cannot take gets the capacity back.
 */
import { condition, getExternalWorkflowHandle } from '@temporalio/workflow';
import { relationshipEnded, type MentorAssigned } from '../messages.js';
import type { RelationshipState } from './state.js';

/** Gives a mentor's capacity back; a mentor whose workflow has closed has none to get back. */
export function handBack(r: RelationshipState, offer: Pick<MentorAssigned, 'mentorWorkflowId'>) {
  return getExternalWorkflowHandle(offer.mentorWorkflowId)
    .signal(relationshipEnded, { relationshipId: r.wf })
    .catch(() => undefined);
}

export class MentorOffers {
  /** Mentors assigned and not yet taken, oldest first. */
  readonly waiting: MentorAssigned[] = [];

  constructor(
    private readonly r: RelationshipState,
    /** Offers wait for matching (every run since OFFERS_WAIT); before, the Signal's handler decided. */
    readonly wait: boolean,
  ) {}

  /** The `mentorAssigned` Signal. */
  receive(assigned: MentorAssigned): void {
    const { status } = this.r;
    if (this.wait) this.waiting.push(assigned);
    else if (status.phase === 'matching' && !status.mentor) status.mentor = assigned;
    else void handBack(this.r, assigned);
  }

  /** One too many (the relationship already has its mentor): the mentor's capacity goes back at once. */
  returnSurplus(): void {
    if (!this.wait) return;
    void (async () => {
      for (;;) {
        await condition(() => this.waiting.length > 0 && this.r.status.mentor !== undefined);
        await handBack(this.r, this.waiting.shift()!);
      }
    })();
  }

  /** Settles once a mentor is assigned; `take()` then makes the first offer the pair's mentor. */
  assigned(): Promise<void> {
    return this.wait
      ? condition(() => this.waiting.length > 0)
      : condition(() => this.r.status.mentor !== undefined);
  }

  take(): void {
    if (this.wait) this.r.status.mentor = this.waiting.shift();
  }

  /** The offers not taken, removed: the relationship is closing and gives their capacity back. */
  withdraw(): MentorAssigned[] {
    return this.waiting.splice(0);
  }
}
