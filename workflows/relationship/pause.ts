/**
 * Pause and resume (leave, say): while paused the relationship's clock stands still, and the rest of the
 * meeting schedule moves on by the time paused. Both of the pair (the mentee alone before a match) hear
 * of a pause, and of a resume with the next meeting's new date (patches.ts, PAIR_TOLD).
 */
import { patched } from '@temporalio/workflow';
import type { SendEmailInput } from '../../activities/email.js';
import { activities } from '../activities.js';
import { PAIR_TOLD } from '../patches.js';
import { refuse, Refusal } from '../refusals.js';
import type { CarriedRelationship } from './carried.js';
import { meetingEntry } from './meetings.js';
import type { RelationshipState } from './state.js';

export class Pause {
  /** When the pause began (ms, workflow time); undefined while not paused. */
  since: number | undefined;
  /** The time paused so far, which every later meeting moves on by. */
  ms: number;
  /** The next meeting's calendar entry as the meeting schedule has it (set by the schedule, once it runs). */
  nextMeeting: ((extra: number) => SendEmailInput['meeting'] | undefined) | undefined;

  constructor(
    private readonly r: RelationshipState,
    carried: CarriedRelationship['pause'] | undefined,
  ) {
    this.since = carried?.since;
    this.ms = carried?.ms ?? 0;
  }

  get paused(): boolean {
    return this.since !== undefined;
  }

  /** The `pauseRelationship` validator, after the relationship's own (still open, by whom). */
  checkPause({ reason }: { reason: string }): void {
    if (this.since !== undefined) refuse(Refusal.alreadyPaused, 'the relationship is already paused');
    if (!reason.trim()) refuse(Refusal.reasonNeeded, 'a pause needs a reason');
  }

  /** The `pauseRelationship` Update. */
  async pause({ reason }: { reason: string }): Promise<void> {
    this.since = Date.now();
    this.r.status.paused = { since: new Date(this.since).toISOString(), reason };
    if (patched(PAIR_TOLD))
      await this.tellPair(`paused-${this.since}`, 'relationship-paused', { data: { reason } });
  }

  /** The `resumeRelationship` validator, after the relationship's own. */
  checkResume(): void {
    if (this.since === undefined) refuse(Refusal.notPaused, 'the relationship is not paused');
  }

  /** The `resumeRelationship` Update. */
  async resume(): Promise<void> {
    const { status } = this.r;
    const since = this.since!;
    const before = this.ms;
    this.ms += Date.now() - since;
    this.since = undefined;
    status.paused = undefined;
    // The meeting that was next moves on by the pause; the page and the email show its new date, and
    // its calendar entry (the same event as the kickoff's and the reminder's) moves in place.
    const next = status.meetings?.nextAt;
    const scheduled = next === undefined ? undefined : Date.parse(next) - before;
    if (scheduled !== undefined && status.meetings)
      status.meetings.nextAt = new Date(scheduled + this.ms).toISOString();
    if (patched(PAIR_TOLD))
      await this.tellPair(`resumed-${since}`, 'relationship-resumed', {
        ...(scheduled !== undefined && status.phase === 'meetings'
          ? {
              meeting:
                this.nextMeeting?.(0) ?? meetingEntry(this.r, this, scheduled, Math.round(this.ms / 1000)),
            }
          : {}),
      });
  }

  carry(): CarriedRelationship['pause'] {
    return { since: this.since, ms: this.ms };
  }

  /** Both of the pair (the mentee alone before a match) hear of a pause or a resume. */
  private tellPair(key: string, template: string, extra: Partial<SendEmailInput>) {
    const { status, wf, programId, mentee, participantId } = this.r;
    const mentor = status.mentor?.mentorParticipantId;
    return Promise.all(
      [
        { role: 'mentee', to: mentee, other: mentor },
        ...(mentor ? [{ role: 'mentor', to: { participantId: mentor }, other: participantId }] : []),
      ].map(({ role, to, other }) =>
        activities.sendEmail({
          key: `${wf}/${key}/${role}`,
          template,
          to,
          programId,
          // A moved meeting's calendar entry names the pair, as the kickoff's and the reminder's do.
          ...(extra.meeting && other ? { counterpart: other } : {}),
          ...extra,
        }),
      ),
    );
  }
}
