/**
 * How a relationship ends before its closure, and how a pair ends within it.
 *
 * Early endings: the coordinator ends the relationship (`endRelationship`, or `decideStep` "end" on an
 * overdue form), or, for relationships older than PAIR_ENDINGS or before a pair is made, an
 * organisational change. Either cancels whatever the story awaits; both people are told why, the outcome
 * is recorded, and the mentor's capacity goes back.
 *
 * Pair endings, without fault: either of the pair (`endWithoutFault`), the coordinator (`rematchPair`),
 * the fit check, or an organisational change with a pair under way (same unit, a reporting line). The
 * mentor's capacity goes back, both are told, the coordinator hears why, and the mentee returns to
 * matching for a new pairing.
 */
import { patched, CancellationScope } from '@temporalio/workflow';
import { activities } from '../activities.js';
import type { RelationshipOutcome } from '../messages.js';
import { PAIR_ENDINGS, STEP_ENDINGS_TOLD } from '../patches.js';
import { refuse, Refusal } from '../refusals.js';
import { handBack, type MentorOffers } from './matching.js';
import type { Pairing } from './pairing.js';
import type { RelationshipState } from './state.js';
import { meetingCounts } from './meetings.js';

/** Why a pair ended: one of the pair or the coordinator asked, the fit check said so, or the organisation changed. */
export interface PairEnding {
  why: 'mentee' | 'mentor' | 'coordinator' | 'fit-check' | 'same-unit' | 'reporting-line';
}

type EarlyOutcome = 'ended-by-coordinator' | 'ended-org-change';

export class Endings {
  /** The scope the story runs in: an early ending cancels it, whatever it awaits. */
  readonly scope = new CancellationScope();
  /** Set by an early ending, with the reason both people are told. */
  ending: { outcome: EarlyOutcome; reason: string } | undefined;
  /** The pair under way ends without fault; the mentee goes back to matching. */
  rematch = false;
  /** Why the pair ends, as a code the emails word: who asked, or the organisational change. */
  pairEnding: PairEnding | undefined;

  constructor(
    private readonly r: RelationshipState,
    private readonly offers: MentorOffers,
  ) {}

  /** The relationship ends early: the story is cancelled and `endWith` finishes it. */
  endNow(outcome: EarlyOutcome, reason: string): void {
    this.ending = { outcome, reason };
    this.scope.cancel();
  }

  /** The pair ends without fault: its open forms close, and the story ends the pair at its next step. */
  endPairNow(why: PairEnding): void {
    this.rematch = true;
    this.pairEnding = why;
    this.r.steps.closeAll();
  }

  pairUnderWay(): boolean {
    const { status } = this.r;
    return (
      !this.ending &&
      !!status.mentor &&
      (status.phase === 'kickoff' || status.phase === 'meetings') &&
      !this.rematch
    );
  }

  /**
   * Set once the closure has every evaluation it waits for: from then on the relationship is completing,
   * and an ending would record a second outcome beside "completed" and mail both a second farewell.
   */
  completing = false;

  /** Validators of every ending and of a pause: the relationship is still open, and a coordinator asks. */
  checkOpen(by: { userId?: string } | undefined): void {
    if (this.r.status.phase === 'closed' || this.ending || this.completing)
      refuse(Refusal.relationshipClosed, 'the relationship is already closed');
    if (!by?.userId) refuse(Refusal.noActor, 'an ending must say who made it');
  }

  /** Validators of a pair ending: a pair is under way. */
  checkPairToEnd(): void {
    if (!this.pairUnderWay()) refuse(Refusal.noPairToEnd, 'there is no pair to end');
  }

  /**
   * Only the mentee, or the mentor of the pair under way, may end it: a link held by a previous mentor
   * names the same workflow and role. A refusal is no command, so no patch is needed.
   */
  checkAsker({ role, participantId: asker }: { role: 'mentee' | 'mentor'; participantId: string }): void {
    const inPair = role === 'mentor' ? this.r.status.mentor?.mentorParticipantId : this.r.participantId;
    if (!asker || (role !== 'mentee' && role !== 'mentor') || asker !== inPair)
      refuse(Refusal.notInThePair, `the ${String(role)} asking is not in the pair under way`);
  }

  /** The relationship closes with `outcome`: the mentor's capacity goes back, and that of any mentor assigned but not yet taken. */
  async close(outcome: RelationshipOutcome): Promise<RelationshipOutcome> {
    const { status } = this.r;
    status.outcome = outcome;
    for (const mentor of [status.mentor, ...this.offers.withdraw()])
      if (mentor) await handBack(this.r, mentor);
    this.r.enter('closed', 'nobody');
    return outcome;
  }

  /** An early ending: both are told why, the outcome is recorded, the mentor's capacity freed. */
  async endWith(outcome: EarlyOutcome, reason: string): Promise<RelationshipOutcome> {
    const { status, steps, wf, programId, mentee } = this.r;
    steps.closeAll();
    const people = status.mentor ? [mentee, { participantId: status.mentor.mentorParticipantId }] : [mentee];
    await Promise.all(
      people.map((to, i) =>
        activities.sendEmail({
          key: `${wf}/ended/${i === 0 ? 'mentee' : 'mentor'}`,
          template: outcome === 'ended-org-change' ? 'relationship-ended-org-change' : 'relationship-ended',
          to,
          programId,
          data: { reason },
        }),
      ),
    );
    await activities.recordOutcome({ programId, outcome, ...meetingCounts(status.meetings) });
    return this.close(outcome);
  }

  /** The coordinator ended it through an overdue step; relationships older than the notice only close. */
  endedThroughStep(): Promise<RelationshipOutcome> {
    return patched(STEP_ENDINGS_TOLD)
      ? this.endWith('ended-by-coordinator', this.r.steps.ended?.reason ?? '')
      : this.close('ended-by-coordinator');
  }

  /**
   * The pair ends without fault: the mentor's capacity frees up, both are told, and the mentee waits in
   * the pool again; the coordinator is told who ended it, or that an organisational change did.
   */
  async endPair(pairing: Pairing): Promise<void> {
    const { status, steps, wf, programId, participantId } = this.r;
    steps.closeAll();
    // The same signal as a handed-back offer: a mentor whose workflow is gone (erased, say) must not
    // take the mentee's relationship down with it.
    await handBack(this.r, status.mentor!);
    status.mentor = undefined;
    status.meetings = undefined;
    const why = this.pairEnding?.why ?? 'fit-check';
    this.pairEnding = undefined;
    const orgChange = why === 'same-unit' || why === 'reporting-line';
    await pairing.toBoth('rematch', orgChange ? 'relationship-ended-org-change' : 'pair-ended-no-fault', {
      data: orgChange ? { reason: why } : { why },
    });
    if (orgChange || patched(PAIR_ENDINGS))
      await this.r.tellCoordinator(`${pairing.p}/pair-ended/coordinator`, 'coordinator-pair-ended', {
        data: { why },
        counterpart: participantId,
        adminPaths: {
          programUrl: `admin/programs/${programId}`,
          relationshipUrl: `admin/programs/${programId}/relationships/${wf}`,
        },
      });
  }
}
