/**
 * The meetings of one pairing: on the programme's cadence from kickoff to the end of its duration, each
 * announced with a calendar entry and reminded, then logged by the mentee. After the first meeting both
 * say how the pair works (the fit check), at the mid-point both give feedback and the coordinator hears
 * of it. Missed meetings climb the same ladder as unanswered forms: first both are reminded, then the
 * coordinator is told. Logs, the fit check and the mid-point run beside the schedule, so a late answer
 * never delays a meeting; a pause moves every meeting still to come.
 */
import type { SendEmailInput } from '../../activities/email.js';
import { addDuration, durationMs } from '../durations.js';
import type { StepOutcome, StepSpec } from '../form-steps.js';
import { until, type FollowUps } from '../waiting.js';
import { refuse, Refusal } from '../refusals.js';
import type { CarriedRelationship } from './carried.js';
import { MEETING_MINUTES, programmePlan, type MeetingPlan } from './meeting-plan.js';
import type { Endings } from './endings.js';
import { Pairing } from './pairing.js';
import type { Pause } from './pause.js';
import type { RelationshipState } from './state.js';

/** The rhythms a pair can agree, which the kickoff names in words. */
const RHYTHMS = ['P1W', 'P2W', 'P1M'];

/** The meeting counts an outcome records: planned and held, and what the pair moved and cancelled, if any. */
export function meetingCounts(meetings: CarriedRelationship['status']['meetings']) {
  return {
    meetingsPlanned: meetings?.planned ?? 0,
    meetingsHeld: meetings?.held ?? 0,
    ...(meetings?.moved ? { meetingsMoved: meetings.moved } : {}),
    ...(meetings?.cancelled ? { meetingsCancelled: meetings.cancelled } : {}),
    ...(meetings?.missed !== undefined ? { meetingsMissed: meetings.missed } : {}),
  };
}

/** What the workflow does with an answer that comes in beside the meeting schedule. */
export type FollowUp =
  { kind: 'meeting-log'; meeting: number } | { kind: 'fit-check' } | { kind: 'midpoint' };

/**
 * A meeting's calendar entry, one event from kickoff to reminder to any move (its id is the meeting's
 * first planned time, `scheduled`): `planned` is its time now, before pauses (a move changes it), and
 * the entry shows it moved on by every pause so far, as long and where the pair's plan says.
 */
export function meetingEntry(
  r: RelationshipState,
  pause: Pause,
  scheduled: number,
  sequence = 0,
  planned = scheduled,
  cancelled = false,
  plan: Pick<MeetingPlan, 'minutes' | 'place'> = { minutes: 60 },
): NonNullable<SendEmailInput['meeting']> {
  return {
    start: new Date(planned + pause.ms).toISOString(),
    minutes: plan.minutes,
    ...(plan.place ? { location: plan.place } : {}),
    title: 'Mentoring meeting',
    uid: `${r.wf}/meeting-at-${scheduled}`,
    ...(sequence ? { sequence } : {}),
    ...(cancelled ? { cancelled } : {}),
  };
}

export class MeetingSchedule {
  readonly kickoff: Date;
  /** How often the pair meets, from when, how long and where: their agreement's, else the programme's. */
  readonly plan: MeetingPlan;
  /** The end of the relationship's duration: no meeting moves past it. */
  readonly end: Date;
  /** Every meeting's planned time, before pauses; meeting n is `dates[n - 1]`. */
  readonly dates: Date[] = [];
  /** What the status shows: which meeting is next or under way, of how many, and how many were held. */
  readonly meetings: NonNullable<CarriedRelationship['status']['meetings']>;
  readonly midpoint: number;
  /** The meeting this run starts with: the first, or where the last run handed over. */
  readonly first: number;
  /** What each meeting's log said: held, not held, or nothing yet. */
  readonly held: (boolean | null)[];
  /** Each meeting's first planned time: its calendar entry's id, whatever moves it later. */
  readonly firstPlanned: number[];
  /** Meetings the pair moved (their time now is in `dates`), and how often each moved. */
  readonly moved: Record<number, { at: number; times: number }>;
  /** Meetings the pair cancelled. */
  readonly cancelled: Set<number>;
  /** Meetings whose log had not come when the next meeting ended (or the closing came): missed, unless a late log says held. */
  readonly unlogged: Set<number>;
  /** Counts every move and cancellation: a wait for a meeting looks at its time again when it changes. */
  #changes = 0;

  constructor(
    private readonly r: RelationshipState,
    private readonly pairing: Pairing,
    private readonly pause: Pause,
    private readonly endings: Endings,
    private readonly followUps: FollowUps,
    resumed: CarriedRelationship | undefined,
    agreed?: MeetingPlan,
    /** Whether a meeting without a log counts as missed (patches.ts, MISSED_UNLOGGED). */
    private readonly countsMissed = false,
  ) {
    const { settings, status } = r;
    this.kickoff = resumed ? new Date(resumed.schedule.kickoff) : new Date();
    this.plan = resumed?.schedule.plan ?? agreed ?? programmePlan(settings);
    // Counted on the programme's clock, so meetings keep their local hour across summer time; a
    // relationship that applied before programmes had a zone has none here, and counts in UTC as it did.
    const zone = settings.timeZone;
    const end = addDuration(this.kickoff, settings.duration, 1, zone);
    this.end = end;
    this.dates.push(...meetingDates(this.kickoff, end, this.plan, zone));
    this.firstPlanned = this.dates.map((d) => d.getTime());
    this.moved = { ...resumed?.schedule.moved };
    for (const [n, { at }] of Object.entries(this.moved)) this.dates[Number(n) - 1] = new Date(at);
    this.cancelled = new Set(resumed?.schedule.cancelled);
    this.unlogged = new Set(resumed?.schedule.unlogged);
    this.meetings = (resumed && status.meetings) || { number: 0, planned: this.dates.length, held: 0 };
    status.meetings = this.meetings;
    this.midpoint = Math.ceil(this.dates.length / 2);
    this.held = resumed?.schedule.held ?? [];
    this.first = resumed?.schedule.next ?? 1;
    if (countsMissed) this.#countMissed();
    // A resume moves the next meeting's calendar entry: the same event, whatever the pair did to it.
    pause.nextMeeting = (sequence) =>
      this.meetings.next === undefined ? undefined : this.entry(this.meetings.next, sequence);
  }

  /** The meetings the schedule runs through (a cancelled one among them is skipped). */
  get planned(): number {
    return this.dates.length;
  }

  /** Meeting n's calendar entry as it stands: its time now, a higher sequence for every change. */
  entry(n: number, extra = 0): NonNullable<SendEmailInput['meeting']> {
    const changes = (this.moved[n]?.times ?? 0) + (this.cancelled.has(n) ? 1 : 0);
    const sequence = Math.round(this.pause.ms / 1000) + changes + extra;
    return meetingEntry(
      this.r,
      this.pause,
      this.firstPlanned[n - 1]!,
      sequence,
      this.dates[n - 1]!.getTime(),
      this.cancelled.has(n),
      this.plan,
    );
  }

  /** The pair is ending (a rematch) or the coordinator ended the relationship through a step. */
  interrupted(): boolean {
    return this.endings.rematch || this.r.steps.ended !== undefined;
  }

  /** Waits for a point of the schedule, which moves on by every pause; a rematch or an ending cuts it short. */
  until(at: Date): Promise<void> {
    return until({
      at: () => at.getTime() + this.pause.ms,
      held: () => this.pause.paused,
      cutShort: () => this.interrupted(),
    });
  }

  /**
   * Waits for `when` of meeting n (its reminder, its start), which the pair may move meanwhile; a
   * cancellation of the meeting cuts the wait short, as a rematch or an ending does.
   */
  untilMeeting(n: number, when: (at: Date) => Date): Promise<void> {
    return until({
      at: () => when(this.dates[n - 1]!).getTime() + this.pause.ms,
      held: () => this.pause.paused,
      moves: () => this.#changes,
      cutShort: () => this.interrupted() || this.cancelled.has(n),
    });
  }

  /**
   * The validators of `moveMeeting` and `cancelMeeting`, after the pair's own (under way, the asker in
   * it): only the next meeting, not yet begun, and a move to a time ahead, before the meeting after it
   * and within the relationship.
   */
  checkChange(n: number, start?: string): void {
    const { meetings } = this;
    const at = meetings.next === n && !this.cancelled.has(n) ? this.timeOf(n) : undefined;
    if (at === undefined || at <= Date.now())
      refuse(Refusal.meetingNotAhead, `meeting ${n} is not the next meeting, or has begun`);
    if (start === undefined) return;
    const to = Date.parse(start);
    const after = this.dates[n] ? this.timeOf(n + 1) : this.end.getTime() + this.pause.ms;
    if (!Number.isFinite(to) || to <= Date.now() || to >= after)
      refuse(Refusal.meetingTimeInvalid, `meeting ${n} cannot move to ${start}`);
  }

  /** `moveMeeting`: meeting n is at `start` now; both get its calendar entry again, updated in place. */
  async move(n: number, start: string, by: 'mentee' | 'mentor'): Promise<void> {
    const at = Date.parse(start) - this.pause.ms;
    this.dates[n - 1] = new Date(at);
    const times = (this.moved[n]?.times ?? 0) + 1;
    this.moved[n] = { at, times };
    this.#changes++;
    this.meetings.moved = (this.meetings.moved ?? 0) + 1;
    this.meetings.nextAt = new Date(at + this.pause.ms).toISOString();
    // Said for the old time: each confirms the new one again.
    if (this.meetings.confirmed) delete this.meetings.confirmed;
    await this.pairing.toBoth(
      `meeting-${n}/moved-${times}`,
      'meeting-moved',
      { data: { meetingNumber: n, movedBy: by }, meeting: this.entry(n) },
      Pairing.moveLink(n),
    );
  }

  /** `confirmMeeting`: one of the pair will be at the next meeting (until it moves). */
  confirm(by: 'mentee' | 'mentor'): void {
    const confirmed = this.meetings.confirmed ?? [];
    if (!confirmed.includes(by)) this.meetings.confirmed = [...confirmed, by];
  }

  /** `cancelMeeting`: meeting n does not take place; both get the entry's cancellation. */
  async cancel(n: number, by: 'mentee' | 'mentor'): Promise<void> {
    this.cancelled.add(n);
    this.#changes++;
    this.meetings.cancelled = (this.meetings.cancelled ?? 0) + 1;
    this.meetings.planned--;
    // The next meeting, if there is one, can be moved from this email: the pair picks its date.
    const next = this.dates[n] ? n + 1 : undefined;
    await this.pairing.toBoth(
      `meeting-${n}/cancelled`,
      'meeting-cancelled',
      { data: { meetingNumber: n, cancelledBy: by }, meeting: this.entry(n) },
      next ? Pairing.moveLink(next) : undefined,
    );
  }

  /** Meeting n is the pair's first (every one before it was cancelled, which only the next one can be). */
  firstHeld(n: number): boolean {
    for (let i = 1; i < n; i++) if (!this.cancelled.has(i)) return false;
    return !this.cancelled.has(n);
  }

  /** Meeting n's time now, moved on by the pauses so far (ms). */
  private timeOf(n: number): number {
    return this.dates[n - 1]!.getTime() + this.pause.ms;
  }

  /** Kickoff is confirmed to both with the first meeting's date and its calendar entry at once. */
  tellKickoff() {
    return this.pairing.toBoth(
      'kickoff',
      'pair-kickoff',
      {
        // The rhythm in words, where the languages have them (a week, two, a month).
        data: {
          meetingsPlanned: this.dates.length,
          ...(RHYTHMS.includes(this.plan.cadence) ? { rhythm: this.plan.cadence } : {}),
        },
        meeting: meetingEntry(this.r, this.pause, this.dates[0]!.getTime(), 0, undefined, false, this.plan),
      },
      Pairing.moveLink(1),
    );
  }

  /** Answers a previous run asked for and did not have yet are followed up here. */
  carryOn(resumed: CarriedRelationship | undefined): void {
    for (const step of resumed?.steps.open ?? []) this.beside(this.r.steps.resume(step), step.spec.followUp);
  }

  /** Meeting n is next: its date (before pauses), shown moved on by the pauses so far. */
  comingUp(n: number): Date {
    const at = this.dates[n - 1]!;
    this.meetings.nextAt = new Date(at.getTime() + this.pause.ms).toISOString();
    this.meetings.next = n;
    if (this.meetings.confirmed) delete this.meetings.confirmed;
    return at;
  }

  /** Where the schedule stands for the next run, which starts with meeting `next`. */
  carry(next: number): CarriedRelationship['schedule'] {
    return {
      kickoff: this.kickoff.toISOString(),
      next,
      // Only an agreed plan travels: without one, every run works the programme's out as the first did.
      ...(this.plan.first !== undefined ||
      this.plan.place ||
      this.plan.minutes !== MEETING_MINUTES ||
      this.plan.cadence !== this.r.settings.meetingCadence
        ? { plan: this.plan }
        : {}),
      held: this.held,
      ...(Object.keys(this.moved).length ? { moved: this.moved } : {}),
      ...(this.cancelled.size ? { cancelled: [...this.cancelled] } : {}),
      ...(this.unlogged.size ? { unlogged: [...this.unlogged] } : {}),
    };
  }

  /**
   * When the meeting at `at` has ended: its agreed length on, or half the time to the next meeting if
   * that is shorter (a programme that meets every few seconds, say in a demonstration).
   */
  endOf(at: Date): Date {
    const length = Math.min(this.plan.minutes * 60_000, durationMs(this.plan.cadence, at) / 2);
    return new Date(at.getTime() + length);
  }

  /** When both are reminded of the meeting at `at`. */
  reminderTime(at: Date): Date {
    return new Date(at.getTime() - durationMs(this.r.settings.meetingReminderBefore, at));
  }

  /** Meeting n is under way: both are reminded of it, with its calendar entry. */
  remind(n: number) {
    this.meetings.number = n;
    return this.pairing.toBoth(
      `meeting-${n}/reminder`,
      'meeting-reminder',
      { data: { meetingNumber: n, meetingsPlanned: this.meetings.planned }, meeting: this.entry(n) },
      Pairing.moveLink(n),
    );
  }

  /**
   * Meetings up to `n` that took place (not cancelled) and have no log yet count as missed: called as
   * the next meeting's log is asked, and at the closing. A missed meeting climbs the ladder as a log
   * that says "not held" does; a late log that says held takes it back.
   */
  lapseLogs(n: number, climb = true): void {
    if (!this.countsMissed) return;
    const lapsed: number[] = [];
    for (let i = 1; i <= n; i++)
      // (No log yet: nothing, or null where a carried array had a hole.)
      if (!this.cancelled.has(i) && this.held[i] == null && !this.unlogged.has(i)) lapsed.push(i);
    if (!lapsed.length) return;
    for (const i of lapsed) this.unlogged.add(i);
    this.#countMissed();
    const last = lapsed.at(-1)!;
    if (climb) this.followUps.beside(Promise.resolve(), () => this.climb(last));
  }

  /** Whether meeting i counts as missed: its log said not held, or none came in time and none since. */
  #isMissed(i: number): boolean {
    return this.held[i] === false || (this.unlogged.has(i) && this.held[i] !== true);
  }

  #countMissed(): void {
    let missed = 0;
    for (let i = 1; i <= this.dates.length; i++) if (this.#isMissed(i)) missed++;
    this.meetings.missed = missed;
  }

  /**
   * After the meeting it is logged, held or not: by the mentee, the mentor or both, as the programme
   * says (the mentee's log keeps the step id it always had; with both, the mentor's has its own).
   */
  askLog(n: number): void {
    const by = this.r.settings.meetingLogBy ?? 'mentee';
    for (const { role, to } of this.pairing.both) {
      if (by !== 'both' && by !== role) continue;
      const log: StepSpec<FollowUp> = {
        id: `${this.pairing.p}/meeting-${n}/log${by === 'both' && role === 'mentor' ? '/mentor' : ''}`,
        role,
        to,
        form: this.r.forms.meetingLog,
        invitation: 'form-invitation',
        title: `Log of meeting ${n}`,
        followUp: { kind: 'meeting-log', meeting: n },
      };
      this.beside(this.r.steps.run(log), log.followUp);
    }
  }

  /** After the first meeting both say how the pair works; either may ask for a rematch. */
  askFitCheck(): void {
    const fit: FollowUp = { kind: 'fit-check' };
    const checks = this.pairing.askBoth(
      'fit-check',
      this.r.forms.fitCheck,
      'form-invitation',
      'How is your mentoring pair working?',
      fit,
    );
    for (const check of checks) this.beside(check, fit);
  }

  /** At the mid-point both give feedback, and the coordinator is told. */
  askMidpoint() {
    const feedback: FollowUp = { kind: 'midpoint' };
    for (const ask of this.pairing.askBoth(
      'midpoint',
      this.r.forms.midpoint,
      'form-invitation',
      'Mid-point feedback',
      feedback,
    ))
      this.beside(ask, feedback);
    return this.r.tellCoordinator(`${this.pairing.p}/midpoint/coordinator`, 'coordinator-midpoint');
  }

  private beside(outcome: Promise<StepOutcome>, what: FollowUp | undefined): void {
    this.followUps.beside(outcome, (o) => this.followUp(what, o));
  }

  /** What an answer beside the schedule changes: logs count meetings held, a fit check may ask for a rematch. */
  private async followUp(what: FollowUp | undefined, o: StepOutcome): Promise<void> {
    if (o.kind !== 'answered') return;
    if (what?.kind === 'meeting-log') {
      // With two logs, the meeting was held when either says so.
      const n = what.meeting;
      const saysHeld = o.answers.held === 'yes';
      if (saysHeld && this.held[n] !== true) this.meetings.held++;
      if (saysHeld || this.held[n] == null) this.held[n] = saysHeld;
      if (this.countsMissed) this.#countMissed();
      return this.climb(what.meeting);
    }
    if (what?.kind === 'fit-check' && o.answers.choice === 'rematch') this.endings.rematch = true;
  }

  /** Missed meetings in a row: at the programme's limit both are reminded to meet, one more and the coordinator hears. */
  private async climb(n: number): Promise<void> {
    let streak = 0;
    for (let i = n; i >= 1 && this.#isMissed(i); i--) streak++;
    const limit = this.r.settings.missedMeetingsBeforeReminder;
    if (streak === limit) {
      await this.pairing.toBoth(`meeting-${n}/missed`, 'meetings-missed', { data: { missed: streak } });
    } else if (streak === limit + 1) {
      await this.r.tellCoordinator(
        `${this.pairing.p}/meeting-${n}/missed/coordinator`,
        'coordinator-meetings-missed',
      );
    }
  }
}

/**
 * Every meeting's start from kickoff to the end: from the agreed first meeting on the agreed rhythm,
 * counted on the programme's clock (a first meeting that passed before both had signed moves on by the
 * rhythm; one past the end is not followed); without one, one interval after kickoff and on.
 */
export function meetingDates(kickoff: Date, end: Date, plan: MeetingPlan, zone?: string): Date[] {
  const { cadence } = plan;
  const agreed = plan.first !== undefined && plan.first <= end.getTime() ? new Date(plan.first) : undefined;
  const from = agreed ?? kickoff;
  let i = agreed ? 0 : 1;
  if (agreed && agreed < kickoff) {
    // Close to the kickoff in one step, then on by the rhythm (a date typed years back ends quickly).
    const step = durationMs(cadence, agreed);
    i = Math.max(0, Math.floor((kickoff.getTime() - agreed.getTime()) / step) - 2);
    while (addDuration(from, cadence, i, zone) <= kickoff) i++;
  }
  const dates: Date[] = [];
  for (; addDuration(from, cadence, i, zone) <= end; i++) dates.push(addDuration(from, cadence, i, zone));
  return dates;
}
