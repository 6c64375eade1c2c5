/**
 * One pairing of the mentee with a mentor, from matching to its end: the two of them, written to and
 * asked together. A no-fault ending returns the mentee to matching, and the next pairing has a new number.
 */
import type { SendEmailInput } from '../../activities/email.js';
import { activities } from '../activities.js';
import type { FormRef } from '../program-settings.js';
import type { FollowUp } from './meetings.js';
import type { RelationshipState } from './state.js';

export class Pairing {
  /** Keys the pairing's emails and form steps: `pairing-<n>`. */
  readonly p: string;
  readonly both: readonly {
    role: 'mentee' | 'mentor';
    to: { participantId: string };
    other: string;
  }[];

  constructor(
    private readonly r: RelationshipState,
    readonly number: number,
  ) {
    this.p = `pairing-${number}`;
    const mentor = { participantId: r.status.mentor!.mentorParticipantId };
    this.both = [
      { role: 'mentee', to: r.mentee, other: mentor.participantId },
      { role: 'mentor', to: mentor, other: r.participantId },
    ] as const;
  }

  /**
   * The same email to both, each keyed by role. An email with a meeting names the other of the pair, so
   * its calendar entry can say whose meeting it is (the names are looked up by the email activity).
   */
  toBoth(
    step: string,
    template: string,
    extra: Partial<SendEmailInput> = {},
    /** What differs between the two emails (a link bound to its reader's role). */
    each?: (role: 'mentee' | 'mentor') => Partial<SendEmailInput>,
  ) {
    return Promise.all(
      this.both.map(({ role, to, other }) =>
        activities.sendEmail({
          key: `${this.r.wf}/${this.p}/${step}/${role}`,
          template: `${template}`,
          to,
          programId: this.r.programId,
          ...(extra.meeting ? { counterpart: other } : {}),
          ...extra,
          ...each?.(role),
        }),
      ),
    );
  }

  /** Each one's link to move or cancel meeting n (a meeting link, bound to its reader). */
  static moveLink(n: number) {
    return (role: 'mentee' | 'mentor'): Partial<SendEmailInput> => ({
      links: { moveUrl: { p: 'meeting', step: `meeting-${n}`, role } },
    });
  }

  /** The same form to both: one step each, the mentee's first. */
  askBoth(step: string, form: FormRef, invitation: string, title: string, followUp?: FollowUp) {
    return this.both.map(({ role, to }) =>
      this.r.steps.run({ id: `${this.p}/${step}/${role}`, role, to, form, invitation, title, followUp }),
    );
  }

  /** Each hears who the other is, with a link to their status page. */
  tellMatched() {
    return Promise.all(
      this.both.map(({ role, to, other }) =>
        activities.sendEmail({
          key: `${this.r.wf}/${this.p}/matching/${role}`,
          template: role === 'mentee' ? 'mentee-matched' : 'mentor-matched',
          to,
          counterpart: other,
          programId: this.r.programId,
          links: { statusUrl: { p: 'status', step: 'status', role } },
        }),
      ),
    );
  }
}
