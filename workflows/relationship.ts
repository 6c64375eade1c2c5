/**
 * One mentoring relationship, seen from the mentee (DOMAIN.md): application → the manager's
 * endorsement → interview → matching → kickoff → meetings (with the fit check and the mid-point) →
 * formal closure; a no-fault rematch returns to matching, and the coordinator or an organisational
 * change can end it at any point.
 *
 * Two years of meetings would make one long history, so a run hands over to a new one (continue-as-new)
 * at the mid-point of the meetings, and at any meeting once the history grows long or the server
 * suggests it; the next run carries the state and every open form step, and links keep working
 * because they name the workflow, not the run.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SendEmailInput } from '../activities/email.js';
import { activities } from './activities.js';
import { addDuration, durationMs } from './durations.js';
import { FormSteps, type CarriedSteps, type StepOutcome, type StepSpec } from './form-steps.js';
import { Intake } from './intake.js';
import {
  endRelationship,
  endWithoutFault,
  mentorAssigned,
  organisationChanged,
  pauseRelationship,
  rematchPair,
  relationshipEnded,
  resumeRelationship,
  relationshipStatus,
  type MentorAssigned,
  type RelationshipOutcome,
  type RelationshipPhase,
  type RelationshipStatus,
} from './messages.js';
import { FORM_IDS, type PinnedForms, type ProgramSettings } from './program-settings.js';
import { Phase, ProgramId, WaitingFor } from './search-attributes.js';
import { publishStatus } from './published-status.js';
import { refuse, Refusal } from './refusals.js';

export interface RelationshipInput {
  programId: string;
  /** Random id of the mentee; never a name or an address. */
  participantId: string;
  /** The programme's settings when the mentee applied; changes later do not reach running relationships. */
  settings: ProgramSettings;
  /** Set when an earlier run handed over: where the relationship stands. */
  carried?: CarriedRelationship;
}

/** Why a pair ended: one of the pair or the coordinator asked, the fit check said so, or the organisation changed. */
interface PairEnding {
  why: 'mentee' | 'mentor' | 'coordinator' | 'fit-check' | 'same-unit' | 'reporting-line';
}

/** What the workflow does with an answer that comes in beside the meeting schedule. */
type FollowUp = { kind: 'meeting-log'; meeting: number } | { kind: 'fit-check' } | { kind: 'midpoint' };

/** Everything one run hands to the next; plain data, as it travels through the history. */
export interface CarriedRelationship {
  status: Omit<RelationshipStatus, 'open'>;
  /** The pairing whose meetings are under way. */
  pairing: number;
  /** The schedule's start, the next meeting, and what the logs so far said (held or not). */
  schedule: { kickoff: string; next: number; held: (boolean | null)[] };
  pause: { since?: number; ms: number };
  steps: CarriedSteps<FollowUp>;
}

/**
 * The change that brought handing over to a new run. A relationship started before it replays its history
 * without one, and hands over from its next meeting boundary on, since `patched()` is true past history.
 */
const HAND_OVER = 'continue-as-new-at-boundaries';
/** The change that told both people (and recorded the outcome) when the coordinator ends through a step. */
const STEP_ENDINGS_TOLD = 'step-endings-told';
/** The change that recorded declined applications among the outcomes (statistics, and retention's clock). */
const DECLINED_RECORDED = 'declined-outcome-recorded';
/**
 * The change that made an assigned mentor wait for matching instead of being judged by the signal handler.
 * The handler decided by the phase, and the phase depends on whether the activity result before it came
 * in the same workflow task: a query answered while a worker was catching up could apply that result
 * first, and the replay then took the other path (a nondeterminism error, found by the worker-kill drill).
 */
const OFFERS_WAIT = 'mentor-offers-wait-for-matching';
/**
 * The change that made an organisational change end the pair rather than the relationship: the mentee
 * returns to the pool for a new mentor. It also tells the coordinator of every pair that ends, and why.
 */
const PAIR_ENDINGS = 'pair-endings-return-to-pool';
/**
 * The change that tells the pair what happens to it as it happens: at kickoff the first meeting with its
 * calendar entry, and a pause and a resume (with the next meeting's new date) to both.
 */
const PAIR_TOLD = 'pair-told-kickoff-and-pauses';
/**
 * The change that has the applicant confirm their own address, through a link, before the manager is
 * written to: otherwise anyone could make the programme email any address in the company's name.
 */
const ADDRESS_FIRST = 'address-confirmed-before-manager';
/** A run hands over at the next meeting once its history is this long, well before the server's 4 Ki suggestion. */
const HISTORY_BUDGET = 2_000;

/** The built-in form versions, for relationships whose settings pin none (those started before pinning). */
const BUILT_IN_FORMS = Object.fromEntries(
  Object.entries(FORM_IDS).map(([part, id]) => [part, { id, version: 1 }]),
) as Required<PinnedForms>;

export async function relationshipWorkflow(input: RelationshipInput): Promise<RelationshipOutcome> {
  const { programId, participantId, settings, carried } = input;
  /** The versions pinned when the mentee applied: a coordinator's later edit never changes a running relationship. */
  const FORMS = { ...BUILT_IN_FORMS, ...settings.forms };
  const wf = workflowInfo().workflowId;
  const offersWait = patched(OFFERS_WAIT);
  const status: RelationshipStatus = carried
    ? { ...carried.status, open: [] }
    : { programId, phase: 'application', waitingFor: 'participant', open: [] };

  function enter(phase: RelationshipPhase, waitingFor: RelationshipStatus['waitingFor']) {
    status.phase = phase;
    waiting(waitingFor);
  }
  function waiting(waitingFor: RelationshipStatus['waitingFor']) {
    status.waitingFor = waitingFor;
    upsertSearchAttributes([
      { key: Phase, value: status.phase },
      { key: WaitingFor, value: waitingFor },
    ]);
  }
  const steps = new FormSteps<FollowUp>(programId, settings, waiting, carried?.steps);
  const intake = new Intake(programId, participantId, 'mentee', carried?.status.application);
  const mentee = { participantId };
  const tellMentee = (key: string, template: string, withStatusLink = true) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: mentee,
      programId,
      ...(withStatusLink ? { links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } } } : {}),
    });
  const tellCoordinator = (key: string, template: string, extra: Partial<SendEmailInput> = {}) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: { coordinatorOf: programId },
      programId,
      adminPaths: { programUrl: `admin/programs/${programId}` },
      ...extra,
    });
  /** Runs a step beside the schedule; an ending cancels it with the rest, which is no error. */
  function inBackground(work: Promise<unknown>): void {
    work.catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
  }
  async function close(outcome: RelationshipOutcome): Promise<RelationshipOutcome> {
    status.outcome = outcome;
    // The mentor's capacity goes back, and so does that of any mentor assigned but not yet taken.
    for (const mentor of [status.mentor, ...offers.splice(0)]) if (mentor) await handBack(mentor);
    enter('closed', 'nobody');
    return outcome;
  }

  const { forms: _pinnedForms, ...timings } = settings;
  publishStatus(relationshipStatus, () => ({ ...status, settings: timings, open: steps.list() }));
  /** Gives a mentor's capacity back; a mentor whose workflow has closed has none to get back. */
  const handBack = (offer: MentorAssigned) =>
    getExternalWorkflowHandle(offer.mentorWorkflowId)
      .signal(relationshipEnded, { relationshipId: wf })
      .catch(() => undefined);
  // A mentor the coordinator assigned waits here until matching takes it. The handler only records it:
  // what the relationship does with it must not depend on whether the result it was waiting for came
  // in the same workflow task (see OFFERS_WAIT).
  const offers: MentorAssigned[] = [];
  setHandler(mentorAssigned, (assigned) => {
    if (offersWait) offers.push(assigned);
    else if (status.phase === 'matching' && !status.mentor) status.mentor = assigned;
    else void handBack(assigned);
  });
  if (offersWait) {
    // One too many (the relationship already has its mentor): the mentor's capacity goes back at once.
    void (async () => {
      for (;;) {
        await condition(() => offers.length > 0 && status.mentor !== undefined);
        await handBack(offers.shift()!);
      }
    })();
  }
  // Early endings: the coordinator ends the relationship, or an organisational change breaks the rules
  // (same unit, or a reporting line) and it ends at once. Either cancels whatever the lifecycle awaits.
  const lifecycleScope = new CancellationScope();
  let ending: { outcome: 'ended-by-coordinator' | 'ended-org-change'; reason: string } | undefined;
  const endNow = (outcome: NonNullable<typeof ending>['outcome'], reason: string) => {
    ending = { outcome, reason };
    lifecycleScope.cancel();
  };
  const stillOpen = (by: { userId?: string } | undefined) => {
    if (status.phase === 'closed' || ending)
      refuse(Refusal.relationshipClosed, 'the relationship is already closed');
    if (!by?.userId) refuse(Refusal.noActor, 'an ending must say who made it');
  };
  setHandler(endRelationship, ({ reason }) => endNow('ended-by-coordinator', reason), {
    validator: ({ reason, by }) => {
      stillOpen(by);
      if (!reason.trim()) refuse(Refusal.reasonNeeded, 'ending a relationship needs a reason');
    },
  });
  // Either of the pair may end it without fault at any time after the match; the mentee goes back to matching.
  let rematch = false;
  /** Why the pair ends, as a code the emails word: who asked, or the organisational change. */
  let pairEnding: PairEnding | undefined;
  /** Answers beside the schedule whose consequences are still being worked out; a handover waits for them. */
  let followingUp = 0;
  const endPairNow = (why: PairEnding) => {
    rematch = true;
    pairEnding = why;
    steps.closeAll();
  };
  const pairUnderWay = () =>
    !ending && !!status.mentor && (status.phase === 'kickoff' || status.phase === 'meetings') && !rematch;
  const aPairToEnd = (_request?: unknown) => {
    if (!pairUnderWay()) refuse(Refusal.noPairToEnd, 'there is no pair to end');
  };
  setHandler(endWithoutFault, ({ role }) => endPairNow({ why: role }), {
    // Only the mentee, or the mentor of the pair under way, may end it: a link held by a previous
    // mentor names the same workflow and role. A refusal is no command, so no patch is needed.
    validator: ({ role, participantId: asker }) => {
      aPairToEnd();
      const inPair = role === 'mentor' ? status.mentor?.mentorParticipantId : input.participantId;
      if (!asker || (role !== 'mentee' && role !== 'mentor') || asker !== inPair)
        refuse(Refusal.notInThePair, `the ${String(role)} asking is not in the pair under way`);
    },
  });
  // The coordinator may do the same, saying why; the reason stays in history for the audit.
  setHandler(rematchPair, () => endPairNow({ why: 'coordinator' }), {
    validator: ({ reason, by }) => {
      aPairToEnd();
      if (!by?.userId) refuse(Refusal.noActor, 'a rematch must say who asked for it');
      if (!reason.trim()) refuse(Refusal.reasonNeeded, 'a rematch needs a reason');
    },
  });

  // The rule concerns the pair: with a pair under way only the pair ends, and the mentee returns to the
  // pool for a mentor elsewhere (relationships older than that change end as a whole, as they did).
  setHandler(
    organisationChanged,
    ({ change }) => {
      if (pairUnderWay() && patched(PAIR_ENDINGS)) endPairNow({ why: change });
      else endNow('ended-org-change', change);
    },
    {
      validator: ({ change, by }) => {
        stillOpen(by);
        if (change !== 'same-unit' && change !== 'reporting-line')
          refuse(Refusal.unknownChange, `unknown change ${String(change)}`);
        // The rule is about a mentor and a mentee: before a pair is made there is nothing it ends.
        aPairToEnd();
      },
    },
  );

  // Pause and resume (leave, say): the rest of the meeting schedule moves by the time paused.
  let pausedSince: number | undefined = carried?.pause.since;
  let pausedMs = carried?.pause.ms ?? 0;
  /**
   * A meeting's calendar entry, one event from kickoff to reminder to any move (its id is the meeting's
   * first planned time): `scheduled` is that time, the entry shows it moved on by every pause so far.
   */
  const meetingEntry = (scheduled: number, sequence = 0): NonNullable<SendEmailInput['meeting']> => ({
    start: new Date(scheduled + pausedMs).toISOString(),
    minutes: 60,
    title: 'Mentoring meeting',
    uid: `${wf}/meeting-at-${scheduled}`,
    ...(sequence ? { sequence } : {}),
  });
  /** Both of the pair (the mentee alone before a match) hear of a pause or a resume, with its reason or new date. */
  const tellPair = (key: string, template: string, extra: Partial<SendEmailInput>) =>
    Promise.all(
      [
        { role: 'mentee', to: mentee },
        ...(status.mentor
          ? [{ role: 'mentor', to: { participantId: status.mentor.mentorParticipantId } }]
          : []),
      ].map(({ role, to }) =>
        activities.sendEmail({ key: `${wf}/${key}/${role}`, template, to, programId, ...extra }),
      ),
    );
  setHandler(
    pauseRelationship,
    async ({ reason }) => {
      pausedSince = Date.now();
      status.paused = { since: new Date(pausedSince).toISOString(), reason };
      if (patched(PAIR_TOLD))
        await tellPair(`paused-${pausedSince}`, 'relationship-paused', { data: { reason } });
    },
    {
      validator: ({ reason, by }) => {
        stillOpen(by);
        if (pausedSince !== undefined) refuse(Refusal.alreadyPaused, 'the relationship is already paused');
        if (!reason.trim()) refuse(Refusal.reasonNeeded, 'a pause needs a reason');
      },
    },
  );
  setHandler(
    resumeRelationship,
    async () => {
      const since = pausedSince!;
      const before = pausedMs;
      pausedMs += Date.now() - since;
      pausedSince = undefined;
      status.paused = undefined;
      // The meeting that was next moves on by the pause; the page and the email show its new date, and
      // its calendar entry (the same event as the kickoff's and the reminder's) moves in place.
      const next = status.meetings?.nextAt;
      const scheduled = next === undefined ? undefined : Date.parse(next) - before;
      if (scheduled !== undefined && status.meetings)
        status.meetings.nextAt = new Date(scheduled + pausedMs).toISOString();
      if (patched(PAIR_TOLD))
        await tellPair(`resumed-${since}`, 'relationship-resumed', {
          ...(scheduled !== undefined && status.phase === 'meetings'
            ? { meeting: meetingEntry(scheduled, Math.round(pausedMs / 1000)) }
            : {}),
        });
    },
    {
      validator: ({ by }) => {
        stillOpen(by);
        if (pausedSince === undefined) refuse(Refusal.notPaused, 'the relationship is not paused');
      },
    },
  );

  try {
    return await lifecycleScope.run(lifecycle);
  } catch (err) {
    if (!ending || !isCancellation(err)) throw err;
    const { outcome, reason } = ending;
    return CancellationScope.nonCancellable(() => endWith(outcome, reason));
  }

  /** An early ending: both are told why, the outcome is recorded, the mentor's capacity freed. */
  async function endWith(outcome: Exclude<RelationshipOutcome, 'completed' | 'declined'>, reason: string) {
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
    await activities.recordOutcome({
      programId,
      outcome,
      meetingsPlanned: status.meetings?.planned ?? 0,
      meetingsHeld: status.meetings?.held ?? 0,
    });
    return close(outcome);
  }
  /** The coordinator ended it through an overdue step; relationships older than the notice only close. */
  function endedThroughStep(): Promise<RelationshipOutcome> {
    return patched(STEP_ENDINGS_TOLD)
      ? endWith('ended-by-coordinator', steps.ended?.reason ?? '')
      : close('ended-by-coordinator');
  }

  /**
   * Hands the relationship to a new run once nothing is half-done: no handler running, no step between
   * two states, no answer being followed up. Only workflows that started with this code do it.
   */
  async function handOver(
    next: Pick<CarriedRelationship, 'pairing' | 'schedule'>,
    interrupted: () => boolean,
  ): Promise<'interrupted'> {
    await condition(
      () => allHandlersFinished() && steps.atRest() && followingUp === 0 && offers.length === 0,
    );
    // What settled while waiting may have been a rematch or an ending: that run finishes here instead.
    if (interrupted()) return 'interrupted';
    const { open: _open, ...rest } = status;
    return continueAsNew<typeof relationshipWorkflow>({
      programId,
      participantId,
      settings,
      carried: {
        ...next,
        status: rest,
        pause: { since: pausedSince, ms: pausedMs },
        steps: steps.carry(),
      },
    });
  }

  async function lifecycle(): Promise<RelationshipOutcome> {
    upsertSearchAttributes([{ key: ProgramId, value: programId }]);
    if (carried) enter(status.phase, status.waitingFor);
    else {
      const declined = await applicationToInterview();
      if (declined) return declined;
    }

    // Matching, kickoff and meetings. A no-fault ending (the fit check, or either of the pair at any
    // time) returns the mentee to matching for a new pairing.
    for (let pairing = carried?.pairing ?? 1; ; pairing++) {
      const p = `pairing-${pairing}`;
      const resumed = pairing === carried?.pairing ? carried : undefined;
      if (!resumed) {
        status.matchingSince = new Date().toISOString();
        enter('matching', 'coordinator');
        if (offersWait) {
          await condition(() => offers.length > 0);
          status.mentor = offers.shift();
        } else await condition(() => status.mentor !== undefined);
      }
      const mentor = { participantId: status.mentor!.mentorParticipantId };
      const both = [
        { role: 'mentee', to: mentee, other: mentor.participantId },
        { role: 'mentor', to: mentor, other: participantId },
      ] as const;
      const toBoth = (step: string, template: string, extra: Partial<SendEmailInput> = {}) =>
        Promise.all(
          both.map(({ role, to }) =>
            activities.sendEmail({
              key: `${wf}/${p}/${step}/${role}`,
              template: `${template}`,
              to,
              programId,
              ...extra,
            }),
          ),
        );
      const askBoth = (
        step: string,
        form: { id: string; version: number },
        invitation: string,
        title: string,
        followUp?: FollowUp,
      ) =>
        both.map(({ role, to }) =>
          steps.run({ id: `${p}/${step}/${role}`, role, to, form, invitation, title, followUp }),
        );
      /**
       * The pair ends without fault: the mentor's capacity frees up, both are told, and the mentee waits in
       * the pool again; the coordinator is told who ended it, or that an organisational change did.
       */
      const endPair = async () => {
        steps.closeAll();
        await getExternalWorkflowHandle(status.mentor!.mentorWorkflowId).signal(relationshipEnded, {
          relationshipId: wf,
        });
        status.mentor = undefined;
        status.meetings = undefined;
        const why = pairEnding?.why ?? 'fit-check';
        pairEnding = undefined;
        const orgChange = why === 'same-unit' || why === 'reporting-line';
        await toBoth('rematch', orgChange ? 'relationship-ended-org-change' : 'pair-ended-no-fault', {
          data: orgChange ? { reason: why } : { why },
        });
        if (orgChange || patched(PAIR_ENDINGS))
          await tellCoordinator(`${p}/pair-ended/coordinator`, 'coordinator-pair-ended', {
            data: { why },
            counterpart: participantId,
            adminPaths: {
              programUrl: `admin/programs/${programId}`,
              relationshipUrl: `admin/programs/${programId}/relationships/${wf}`,
            },
          });
      };

      if (!resumed) {
        rematch = false;
        await Promise.all(
          both.map(({ role, to, other }) =>
            activities.sendEmail({
              key: `${wf}/${p}/matching/${role}`,
              template: role === 'mentee' ? 'mentee-matched' : 'mentor-matched',
              to,
              counterpart: other,
              programId,
              links: { statusUrl: { p: 'status', step: 'status', role } },
            }),
          ),
        );

        // Kickoff: a mutual, binding agreement that both sign.
        enter('kickoff', 'participant');
        const signatures = await Promise.all(
          askBoth('agreement', FORMS.agreement, 'agreement-request', 'Your mentoring agreement'),
        );
        if (signatures.some((o) => o.kind === 'ended')) return endedThroughStep();
        if (rematch) {
          await endPair();
          continue;
        }
        enter('meetings', 'nobody');
      }

      // Meetings on the programme's cadence, each announced with a calendar invitation and logged after.
      const kickoff = resumed ? new Date(resumed.schedule.kickoff) : new Date();
      const end = addDuration(kickoff, settings.duration);
      const dates: Date[] = [];
      for (let i = 1; addDuration(kickoff, settings.meetingCadence, i) <= end; i++)
        dates.push(addDuration(kickoff, settings.meetingCadence, i));
      const meetings = (resumed && status.meetings) || {
        number: 0,
        planned: dates.length,
        held: 0,
      };
      status.meetings = meetings;
      const interrupted = () => rematch || steps.ended !== undefined;
      /** Waits for a point of the schedule, which moves on by every pause; a rematch or an ending cuts it short. */
      const until = async (at: Date) => {
        for (;;) {
          if (pausedSince !== undefined) await condition(() => pausedSince === undefined || interrupted());
          const ms = at.getTime() + pausedMs - Date.now();
          if (interrupted() || ms <= 0) return;
          if (!(await condition(() => interrupted() || pausedSince !== undefined, ms))) return;
        }
      };
      const midpoint = Math.ceil(dates.length / 2);
      // Kickoff is confirmed to both with the first meeting's date and its calendar entry at once.
      if (!resumed && dates.length > 0 && patched(PAIR_TOLD))
        await toBoth('kickoff', 'pair-kickoff', {
          data: { meetingsPlanned: dates.length },
          meeting: meetingEntry(dates[0]!.getTime()),
        });

      // Missed meetings climb the same ladder as unanswered forms: first both are reminded, then the coordinator.
      const held: (boolean | null)[] = resumed?.schedule.held ?? [];
      const missedMeetings = async (n: number, missed: boolean) => {
        held[n] = !missed;
        let streak = 0;
        for (let i = n; i >= 1 && held[i] === false; i--) streak++;
        const limit = settings.missedMeetingsBeforeReminder;
        if (streak === limit) {
          await toBoth(`meeting-${n}/missed`, 'meetings-missed', { data: { missed: streak } });
        } else if (streak === limit + 1) {
          await tellCoordinator(`${p}/meeting-${n}/missed/coordinator`, 'coordinator-meetings-missed');
        }
      };
      /** What an answer beside the schedule changes: logs count meetings held, a fit check may ask for a rematch. */
      const followUp = async (what: FollowUp | undefined, o: StepOutcome) => {
        if (o.kind !== 'answered') return;
        if (what?.kind === 'meeting-log') {
          if (o.answers.held === 'yes') meetings.held++;
          return missedMeetings(what.meeting, o.answers.held !== 'yes');
        }
        if (what?.kind === 'fit-check' && o.answers.choice === 'rematch') rematch = true;
      };
      /** Logs, the fit check and the mid-point run beside the schedule: a late answer never delays a meeting. */
      const beside = (outcome: Promise<StepOutcome>, what: FollowUp | undefined) =>
        inBackground(
          outcome.then(async (o) => {
            followingUp++;
            try {
              await followUp(what, o);
            } finally {
              followingUp--;
            }
          }),
        );
      for (const step of resumed?.steps.open ?? []) beside(steps.resume(step), step.spec.followUp);

      const first = resumed?.schedule.next ?? 1;
      for (let n = first; n <= dates.length; n++) {
        const at = dates[n - 1]!;
        meetings.nextAt = new Date(at.getTime() + pausedMs).toISOString();
        // The mid-point is a boundary of its own; otherwise the run hands over when its history grows long.
        const long = workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_BUDGET;
        if (n > first && (n === midpoint + 1 || long) && !interrupted() && patched(HAND_OVER)) {
          await handOver(
            { pairing, schedule: { kickoff: kickoff.toISOString(), next: n, held } },
            interrupted,
          );
          break; // interrupted while settling: the rematch or the ending follows below
        }
        await until(new Date(at.getTime() - durationMs(settings.meetingReminderBefore, at)));
        if (interrupted()) break;
        meetings.number = n;
        await toBoth(`meeting-${n}/reminder`, 'meeting-reminder', {
          data: { meetingNumber: n, meetingsPlanned: dates.length },
          meeting: meetingEntry(at.getTime()),
        });
        await until(at);
        if (interrupted()) break;
        const log: StepSpec<FollowUp> = {
          id: `${p}/meeting-${n}/log`,
          role: 'mentee',
          to: mentee,
          form: FORMS.meetingLog,
          invitation: 'form-invitation',
          title: `Log of meeting ${n}`,
          followUp: { kind: 'meeting-log', meeting: n },
        };
        beside(steps.run(log), log.followUp);
        if (n === 1) {
          const fit: FollowUp = { kind: 'fit-check' };
          const checks = askBoth(
            'fit-check',
            FORMS.fitCheck,
            'form-invitation',
            'How is your mentoring pair working?',
            fit,
          );
          for (const check of checks) beside(check, fit);
        }
        if (n === midpoint) {
          const feedback: FollowUp = { kind: 'midpoint' };
          for (const ask of askBoth(
            'midpoint',
            FORMS.midpoint,
            'form-invitation',
            'Mid-point feedback',
            feedback,
          ))
            beside(ask, feedback);
          await tellCoordinator(`${p}/midpoint/coordinator`, 'coordinator-midpoint');
        }
      }
      if (steps.ended) return endedThroughStep();
      if (rematch) {
        await endPair();
        continue;
      }

      // Formal closure: a final evaluation from both, then a closing summary to both.
      enter('closure', 'participant');
      const evaluations = await Promise.all(
        askBoth('final-evaluation', FORMS.finalEvaluation, 'form-invitation', 'Final evaluation'),
      );
      if (evaluations.some((o) => o.kind === 'ended')) return endedThroughStep();
      steps.closeAll();
      await activities.recordOutcome({
        programId,
        outcome: 'completed',
        meetingsPlanned: meetings.planned,
        meetingsHeld: meetings.held,
      });
      // The summary says truthfully whose evaluation the programme group has (a code; the template words it).
      const [menteeGave, mentorGave] = evaluations.map((o) => o.kind === 'answered');
      await toBoth('closure/summary', 'closing-summary', {
        data: {
          meetingsPlanned: meetings.planned,
          meetingsHeld: meetings.held,
          evaluations: menteeGave ? (mentorGave ? 'both' : 'mentee') : mentorGave ? 'mentor' : 'none',
        },
      });
      return close('completed');
    }
  }

  /** Application, the manager's endorsement and the interview; returns the outcome when the mentee is declined. */
  async function applicationToInterview(): Promise<RelationshipOutcome | undefined> {
    enter('application', 'participant');
    status.application = await intake.received();
    await Promise.all([
      tellMentee('application/confirmation', 'application-received'),
      tellCoordinator('application/coordinator-notice', 'coordinator-new-application'),
    ]);

    // The daily manager's endorsement, once the applicant has confirmed the address was theirs
    if (settings.managerEndorsement) {
      if (settings.confirmAddress !== false && patched(ADDRESS_FIRST)) {
        const confirmed = await steps.run({
          id: 'address-confirmation',
          role: 'mentee',
          to: mentee,
          form: FORMS.addressConfirmation,
          invitation: 'address-confirmation',
          title: 'Confirm your application',
        });
        if (confirmed.kind === 'ended') return endedThroughStep();
      }
      enter('endorsement', 'participant');
      const endorsement = await steps.run({
        id: 'endorsement',
        role: 'manager',
        to: { managerOf: participantId },
        form: FORMS.managerEndorsement,
        invitation: 'endorsement-request',
        title: 'Endorsement of a mentoring application',
      });
      if (endorsement.kind === 'ended') return endedThroughStep();
      // A manager who does not endorse does not end the application: the coordinator weighs it at the interview.
      status.endorsed = endorsement.kind === 'answered' ? endorsement.answers.endorse === 'yes' : undefined;
    }

    // Interview with the coordinator
    enter('interview', 'coordinator');
    const interviewed = intake.interview(); // open from the moment the phase says so
    await tellCoordinator('interview/due', 'coordinator-interview-due');
    const interview = await interviewed;
    if (interview.outcome === 'declined') {
      await activities.sendEmail({
        key: `${wf}/interview/declined`,
        template: 'application-declined',
        to: mentee,
        programId,
        data: { reason: interview.reason },
      });
      if (patched(DECLINED_RECORDED))
        await activities.recordOutcome({
          programId,
          outcome: 'declined',
          meetingsPlanned: 0,
          meetingsHeld: 0,
        });
      return close('declined');
    }
    await tellMentee('interview/accepted', 'interview-accepted');
    return undefined;
  }
}
