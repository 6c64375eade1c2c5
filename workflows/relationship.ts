/**
 * One mentoring relationship, seen from the mentee. The mentee applies; the daily manager endorses the
 * application; the coordinator interviews the mentee and accepts or declines. An accepted mentee waits in
 * matching until the coordinator pairs them with a mentor. The pair signs a mutual, binding agreement at
 * kickoff, then meets on the programme's cadence for its duration, logging each meeting, with a fit check
 * after the first and feedback at the mid-point. A formal closure (a final evaluation from both, then a
 * summary to both) completes it.
 *
 * A pair can end without fault (either of them, the coordinator, the fit check, or an organisational
 * change that puts them in one unit or a reporting line): the mentee returns to matching for a new
 * pairing. The coordinator can end the whole relationship at any point, and pause and resume it.
 *
 * The parts live beside this file, in workflows/relationship/: the application and interview, matching,
 * the pairing, the meetings, pauses, endings, and what one run carries to the next (continue-as-new).
 */
import {
  CancellationScope,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { activities } from './activities.js';
import {
  endRelationship,
  endWithoutFault,
  mentorAssigned,
  organisationChanged,
  pauseRelationship,
  recordInterview,
  rematchPair,
  relationshipStatus,
  resumeRelationship,
  submitApplication,
  moveMeeting,
  cancelMeeting,
  confirmMeeting,
  type Answers,
  type MeetingChange,
  type RelationshipOutcome,
} from './messages.js';
import { registerFormStepHandlers } from './form-steps.js';
import {
  HAND_OVER,
  LOG_AFTER_MEETING,
  MISSED_UNLOGGED,
  OFFERS_WAIT,
  PAIR_ENDINGS,
  PAIR_TOLD,
} from './patches.js';
import { publishStatus } from './published-status.js';
import { refuse, Refusal } from './refusals.js';
import { applicationToInterview } from './relationship/application.js';
import { handOver, historyLong, type RelationshipInput } from './relationship/carried.js';
import { Endings } from './relationship/endings.js';
import { MentorOffers } from './relationship/matching.js';
import { agreedPlan, type MeetingPlan } from './relationship/meeting-plan.js';
import { MeetingSchedule, meetingCounts } from './relationship/meetings.js';
import { Pairing } from './relationship/pairing.js';
import { Pause } from './relationship/pause.js';
import { RelationshipState } from './relationship/state.js';
import { ProgramId } from './search-attributes.js';
import { FollowUps, quietToHandOver } from './waiting.js';

export type { CarriedRelationship, RelationshipInput } from './relationship/carried.js';

export async function relationshipWorkflow(input: RelationshipInput): Promise<RelationshipOutcome> {
  // Decided first, in every run, as it always was: does an assigned mentor wait for matching?
  const offersWait = patched(OFFERS_WAIT);
  const r = new RelationshipState(input);
  const { status, steps, intake, carried } = r;
  const offers = new MentorOffers(r, offersWait);
  const endings = new Endings(r, offers);
  const pause = new Pause(r, carried?.pause);
  /** Meeting logs, fit checks and mid-point feedback being worked out; a hand-over waits for them. */
  const followUps = new FollowUps();
  const view = () => r.view();
  /** The meetings of the pairing under way, once they have begun. */
  let meetingsUnderWay: MeetingSchedule | undefined;
  /** Whether either of the pair may change meeting `meeting` (and move it to `start`). */
  const checkMeetingChange = ({ meeting, start, ...asker }: MeetingChange & { start?: string }) => {
    if (!meetingsUnderWay || status.phase !== 'meetings' || !endings.pairUnderWay())
      refuse(Refusal.meetingNotAhead, 'no meetings are under way');
    endings.checkAsker(asker);
    meetingsUnderWay.checkChange(meeting, start);
  };

  // Every Update, Signal and Query the relationship answers. A message that arrived before this run
  // (the application that started it, an answer moved here while the last run handed over) is handled
  // the moment its handler is registered, so the order below is part of the history: keep it.
  //
  // Form steps: a participant answers through an emailed link; the coordinator decides on an overdue
  // form (more time, go on without it, or end the relationship) or sends its link again.
  registerFormStepHandlers(steps); // submitStep, decideStep, resendLink
  // The application (the update-with-start that created this workflow), and the interview's outcome.
  setHandler(submitApplication, (application) => intake.apply(application), {
    validator: (application) => intake.checkApplication(application),
  });
  setHandler(recordInterview, (record) => intake.recordInterview(record), {
    validator: (record) => intake.checkInterview(record),
  });
  // Where it stands, for the CLI; pages read the same view from the memo.
  setHandler(relationshipStatus, view);
  publishStatus(view);
  // A mentor assigned through the mentor's workflow: it waits until matching takes it.
  setHandler(mentorAssigned, (assigned) => offers.receive(assigned));
  offers.returnSurplus();
  // The coordinator ends the relationship, with a reason both are told.
  setHandler(endRelationship, ({ reason }) => endings.endNow('ended-by-coordinator', reason), {
    validator: ({ reason, by }) => {
      endings.checkOpen(by);
      if (!reason.trim()) refuse(Refusal.reasonNeeded, 'ending a relationship needs a reason');
    },
  });
  // Either of the pair ends it without fault, at any time after the match, from their status page.
  setHandler(endWithoutFault, ({ role }) => endings.endPairNow({ why: role }), {
    validator: (request) => {
      endings.checkPairToEnd();
      endings.checkAsker(request);
    },
  });
  // The coordinator does the same, saying why; the reason stays in history for the audit.
  setHandler(rematchPair, () => endings.endPairNow({ why: 'coordinator' }), {
    validator: ({ reason, by }) => {
      endings.checkPairToEnd();
      if (!by?.userId) refuse(Refusal.noActor, 'a rematch must say who asked for it');
      if (!reason.trim()) refuse(Refusal.reasonNeeded, 'a rematch needs a reason');
    },
  });
  // Same unit or a reporting line: the rule concerns the pair, so with a pair under way only the pair
  // ends and the mentee returns to the pool (relationships older than that change end as a whole).
  setHandler(
    organisationChanged,
    ({ change }) => {
      if (endings.pairUnderWay() && patched(PAIR_ENDINGS)) endings.endPairNow({ why: change });
      else endings.endNow('ended-org-change', change);
    },
    {
      validator: ({ change, by }) => {
        endings.checkOpen(by);
        if (change !== 'same-unit' && change !== 'reporting-line')
          refuse(Refusal.unknownChange, `unknown change ${String(change)}`);
        // The rule is about a mentor and a mentee: before a pair is made there is nothing it ends.
        endings.checkPairToEnd();
      },
    },
  );
  // Leave, say: the rest of the meeting schedule moves by the time paused.
  setHandler(pauseRelationship, (request) => pause.pause(request), {
    validator: (request) => {
      endings.checkOpen(request.by);
      pause.checkPause(request);
    },
  });
  setHandler(resumeRelationship, () => pause.resume(), {
    validator: ({ by }) => {
      endings.checkOpen(by);
      pause.checkResume();
    },
  });
  // Either of the pair moves the next meeting, or cancels it, through the link in its invitation.
  setHandler(moveMeeting, (change) => meetingsUnderWay!.move(change.meeting, change.start, change.role), {
    validator: checkMeetingChange,
  });
  setHandler(cancelMeeting, (change) => meetingsUnderWay!.cancel(change.meeting, change.role), {
    validator: checkMeetingChange,
  });
  // Either says they will be there, through the same link: the other sees it on the meeting's page.
  setHandler(confirmMeeting, (change) => meetingsUnderWay!.confirm(change.role), {
    validator: checkMeetingChange,
  });

  try {
    return await endings.scope.run(story);
  } catch (err) {
    // An early ending cancelled the story: it finishes here, and cannot be cancelled itself.
    if (!endings.ending || !isCancellation(err)) throw err;
    const { outcome, reason } = endings.ending;
    return CancellationScope.nonCancellable(() => endings.endWith(outcome, reason));
  }

  async function story(): Promise<RelationshipOutcome> {
    upsertSearchAttributes([{ key: ProgramId, value: r.programId }]);
    if (carried) r.enter(status.phase, status.waitingFor);
    else {
      const declined = await applicationToInterview(r, endings);
      if (declined) return declined;
    }

    // Matching, kickoff and meetings. A no-fault ending (the fit check, or either of the pair at any
    // time) returns the mentee to matching for a new pairing.
    for (let number = carried?.pairing ?? 1; ; number++) {
      const resumed = number === carried?.pairing ? carried : undefined;
      if (!resumed) {
        // Matching: the mentee waits in the pool until the coordinator assigns a mentor.
        status.matchingSince = new Date().toISOString();
        r.enter('matching', 'coordinator');
        await offers.assigned();
        offers.take();
      }
      const pairing = new Pairing(r, number);
      /** The meeting plan the agreement sets (how often, from when, how long, where). */
      let plan: MeetingPlan | undefined;

      if (!resumed) {
        endings.rematch = false;
        await pairing.tellMatched();

        // Kickoff: a mutual, binding agreement that both sign. The one who signs second confirms or
        // changes the meeting plan the first proposed: the signatures are kept in the order they came.
        r.enter('kickoff', 'participant');
        const signed: Answers[] = [];
        const signatures = await Promise.all(
          pairing
            .askBoth('agreement', r.forms.agreement, 'agreement-request', 'Your mentoring agreement')
            .map((asked) =>
              asked.then((o) => {
                if (o.kind === 'answered') signed.push(o.answers);
                return o;
              }),
            ),
        );
        if (signatures.some((o) => o.kind === 'ended')) return endings.endedThroughStep();
        if (endings.rematch) {
          await endings.endPair(pairing);
          continue;
        }
        r.enter('meetings', 'nobody');
        // An agreement before version 2 says nothing of the plan: the programme's, as it always was.
        plan = agreedPlan(signed, r.settings);
      }

      // Meetings on the programme's cadence, each announced with a calendar entry and logged after.
      const schedule = new MeetingSchedule(
        r,
        pairing,
        pause,
        endings,
        followUps,
        resumed,
        plan,
        patched(MISSED_UNLOGGED),
      );
      meetingsUnderWay = schedule;
      if (!resumed && schedule.planned > 0 && patched(PAIR_TOLD)) await schedule.tellKickoff();
      schedule.carryOn(resumed);
      for (let n = schedule.first; n <= schedule.planned; n++) {
        schedule.comingUp(n);
        // The mid-point is a boundary of its own; otherwise the run hands over when its history grows long.
        const long = historyLong();
        if (
          n > schedule.first &&
          (n === schedule.midpoint + 1 || long) &&
          !schedule.interrupted() &&
          patched(HAND_OVER)
        ) {
          // Once quiet, and no mentor offer waits to be given back.
          const quiet = quietToHandOver(steps, followUps, () => offers.waiting.length === 0);
          await handOver(r, pause, quiet, { pairing: number, schedule: schedule.carry(n) }, () =>
            schedule.interrupted(),
          );
          break; // interrupted while settling: the rematch or the ending follows below
        }
        // The pair may move the meeting meanwhile (its time is read again), or cancel it: no reminder and
        // no log then, and the mid-point feedback, if it falls there, is asked at once.
        await schedule.untilMeeting(n, (when) => schedule.reminderTime(when));
        if (schedule.interrupted()) break;
        if (!schedule.cancelled.has(n)) {
          await schedule.remind(n);
          await schedule.untilMeeting(n, (when) => when);
          if (schedule.interrupted()) break;
          // The log and the fit check ask about a meeting that has taken place: once it has ended.
          if (patched(LOG_AFTER_MEETING)) {
            await schedule.untilMeeting(n, (when) => schedule.endOf(when));
            if (schedule.interrupted()) break;
          }
        }
        if (!schedule.cancelled.has(n)) {
          // A meeting before this one still without a log counts as missed now.
          schedule.lapseLogs(n - 1);
          schedule.askLog(n);
          // After the first meeting that took place, both say how the pair works.
          if (schedule.firstHeld(n)) schedule.askFitCheck();
        }
        if (n === schedule.midpoint) await schedule.askMidpoint();
      }
      if (steps.ended) return endings.endedThroughStep();
      if (endings.rematch) {
        await endings.endPair(pairing);
        continue;
      }

      // Formal closure: a final evaluation from both, then a closing summary to both.
      r.enter('closure', 'participant');
      const evaluations = await Promise.all(
        pairing.askBoth('final-evaluation', r.forms.finalEvaluation, 'form-invitation', 'Final evaluation'),
      );
      if (evaluations.some((o) => o.kind === 'ended')) return endings.endedThroughStep();
      endings.completing = true;
      steps.closeAll();
      // The last meetings' logs had until the final evaluations: those still missing count as missed.
      schedule.lapseLogs(schedule.planned, false);
      const { meetings } = schedule;
      await activities.recordOutcome({
        programId: r.programId,
        outcome: 'completed',
        ...meetingCounts(meetings),
      });
      // The summary says truthfully whose evaluation the programme group has (a code; the template words it).
      const [menteeGave, mentorGave] = evaluations.map((o) => o.kind === 'answered');
      await pairing.toBoth('closure/summary', 'closing-summary', {
        data: {
          meetingsPlanned: meetings.planned,
          meetingsHeld: meetings.held,
          evaluations: menteeGave ? (mentorGave ? 'both' : 'mentee') : mentorGave ? 'mentor' : 'none',
        },
      });
      return endings.close('completed');
    }
  }
}
