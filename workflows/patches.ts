/**
 * The patch ledger: every `patched()` id the workflows use, in one place. A patch lets a changed workflow
 * replay the histories of runs that started before the change: `patched(id)` is false while replaying a
 * history recorded without the change, and true for everything new (also past the end of an old run's
 * history, which is why an old run takes the new path from its next decision on).
 *
 * The ids are written into histories: never change one's string, and never reuse one.
 *
 * For each: why it came, what it guards, when it can go, and the recorded histories (tests/histories/,
 * replayed by tests/replay.test.ts) that prove the old path still replays, and the new one.
 *
 * Retiring a patch takes two releases:
 * 1. `deprecatePatch(id)` in place of `patched(id)`, keeping only the new path, once no run that took the
 *    old path can be replayed any more: none started before the patch's release is still open, and the
 *    closed ones are past the namespace's retention (a Query on a closed run replays it). Ask the
 *    server, not the calendar: a relationship can wait in matching or for a coordinator without bound.
 *      temporal workflow count --query "WorkflowType='<type>' AND ExecutionStatus='Running' AND StartTime < '<release>'"
 *    must say 0, then wait out the retention. The histories of the old path then leave tests/histories/.
 * 2. The `deprecatePatch` call itself, once no run started before step 1's release is open (+ retention).
 *
 * "Since" names the commit that brought the patch; its release is the deploy that followed.
 */

/**
 * Why: two years of meetings made one long history; a relationship now hands over to a new run
 * (continue-as-new) at the mid-point of its meetings, and at any meeting once its history grows long.
 * Guards: the hand-over at a meeting boundary (workflows/relationship.ts, the meetings loop).
 * Deprecate: after no relationship run started before the release is open, + retention. Runs started
 * since hand over at the mid-point, so their runs last about half a programme (settings allow P5Y).
 * Since: 4bb7481 (2026-11-25).
 * Old path: two-years-compressed.json, full-lifecycle.json, missed-meetings-escalated.json.
 * New path: two-years-in-two-runs.run-1.json (hands over), two-years-in-two-runs.run-2.json (carried on).
 */
export const HAND_OVER = 'continue-as-new-at-boundaries';

/**
 * Why: when the coordinator ended a relationship through an overdue step, nobody was told and no
 * outcome was recorded; now both people are told and the outcome counts in the statistics.
 * Guards: `endedThroughStep` (workflows/relationship/endings.ts): the emails and `recordOutcome`.
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: f55b378 (2026-11-25).
 * Old path: ended-by-coordinator-when-overdue.json.
 * New path: ended-through-overdue-step-told.json.
 */
export const STEP_ENDINGS_TOLD = 'step-endings-told';

/**
 * Why: declined applications were missing from the outcomes (statistics, and the retention clock that
 * starts at an outcome).
 * Guards: `recordOutcome` after the declined-application email (workflows/relationship/application.ts).
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: 4587499 (2026-11-26).
 * Old path: declined-at-interview.json.
 * New path: declined-outcome-recorded.json.
 */
export const DECLINED_RECORDED = 'declined-outcome-recorded';

/**
 * Why: the `mentorAssigned` handler judged an assigned mentor by the phase, and the phase depended on
 * whether the activity result before it came in the same workflow task: a Query answered while a worker
 * caught up could apply that result first, and the replay then took the other path (a nondeterminism
 * error, found by the worker-kill drill). Now the handler only records the offer; matching takes it.
 * Guards: the `mentorAssigned` Signal and the wait for a mentor (workflows/relationship/matching.ts).
 * Decided once, first thing in every run.
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: d1a7361 (2026-11-26).
 * Old path: endorsed-and-accepted.json, full-lifecycle.json, no-fault-rematch.json,
 * relationship-decided-and-rematched.json (and every relationship history without its marker).
 * New path: mentor-assigned-in-one-task.json, status-published.json, org-change-returns-to-pool.json.
 */
export const OFFERS_WAIT = 'mentor-offers-wait-for-matching';

/**
 * Why: an organisational change (same unit, a reporting line) concerns the pair, not the mentee: it now
 * ends the pair and the mentee returns to the pool for another mentor. The coordinator is also told of
 * every pair that ends, and why.
 * Guards: the `organisationChanged` Update with a pair under way (workflows/relationship.ts), and the
 * coordinator's email in `endPair` (workflows/relationship/endings.ts).
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: e69d175 (2026-12-03).
 * Old path: ended-by-organisational-change.json, no-fault-rematch.json,
 * ended-without-fault-by-mentor.json, relationship-decided-and-rematched.json.
 * New path: org-change-returns-to-pool.json, no-fault-rematch-coordinator-told.json.
 */
export const PAIR_ENDINGS = 'pair-endings-return-to-pool';

/**
 * Why: the pair was not told what happened to it as it happened. Now at kickoff both get the first
 * meeting with its calendar entry, and both hear of a pause and of a resume (with the next meeting's date).
 * Guards: the kickoff email (workflows/relationship.ts) and the pause and resume emails
 * (workflows/relationship/pause.ts).
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: a9f3a13 (2026-12-06).
 * Old path: paused-and-resumed.json, full-lifecycle.json.
 * New path: paused-and-resumed-pair-told.json.
 */
export const PAIR_TOLD = 'pair-told-kickoff-and-pauses';

/**
 * Why: the public form let anyone make the programme email any address in the company's name (the
 * manager's); the applicant now confirms their own address, through a link, before the manager is asked.
 * Guards: the address-confirmation step before the endorsement (workflows/relationship/application.ts).
 * Deprecate: after no relationship run started before the release is still before its endorsement
 * (in practice: none started before the release is open), + retention.
 * Since: 1b47d6a (2026-12-07).
 * Old path: endorsed-and-accepted.json.
 * New path: address-confirmed-before-manager.json.
 */
export const ADDRESS_FIRST = 'address-confirmed-before-manager';

/**
 * Why: pages read a workflow's status through a Query, which needs a worker and, answered while a worker
 * catches up, can make a replay take another path (workflows/published-status.ts). The status is now
 * published in the memo as it changes.
 * Guards: `upsertMemo` in `publishStatus` (workflows/published-status.ts), for the relationship, mentor,
 * round and cohort workflows; until then readers fall back to the Query.
 * Deprecate: after no run of those four types started before the release is open, + retention. Mentor
 * runs stay in the pool until the server suggests a new run: check them with the count query.
 * Since: 3bd8779 (2026-11-26).
 * Old path: full-lifecycle.json (relationship), mentor-pool.json, programme-round.json,
 * programme-round-matched.json, learning-network-cohort.run-1.json … run-7.json.
 * New path: status-published.json (relationship), learning-network-cohort-closes-after-reminders.run-1.json
 * … run-7.json (cohort). No recorded mentor or round history has the memo yet.
 */
export const STATUS_PUBLISHED = 'status-published-in-memo';

/**
 * Why: the closing of a cohort waited on a missing form: an unanswered final evaluation waited for the
 * coordinator, and any open form for a grace time. Now the final evaluations are reminded like every
 * other form and then count as missing, and the report waits for no form past its reminders.
 * Guards: the closing of the cohort's last run (workflows/cohort.ts).
 * Deprecate: after no cohort run started before the release is open (only a cohort's last run, after
 * its last gathering, reaches the closing), + retention.
 * Since: cad2f08 (2026-12-03).
 * Old path: learning-network-cohort.run-7.json.
 * New path: learning-network-cohort-closes-after-reminders.run-7.json.
 */
export const CLOSES_AFTER_REMINDERS = 'cohort-closes-after-reminders';

/**
 * Why: the meeting log (and the fit check after the first meeting) was asked as the meeting began; it is
 * now asked once the meeting has ended: its length as agreed (an hour unless the pair says otherwise),
 * or half the time to the next meeting if that is shorter.
 * Guards: the wait for a meeting's end before its log (workflows/relationship.ts, the meetings loop).
 * Checked at each meeting, so a relationship running at the release takes the new path from its next
 * meeting on.
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: a559710 (2026-12-07).
 * Old path: full-lifecycle.json, two-years-compressed.json, missed-meetings-escalated.json,
 * meeting-moved-and-cancelled.json.
 * New path: agreed-tuesdays-across-summer-time.json.
 *
 * Not a patch: the meeting plan of the agreement (frequency, first meeting, length, place). Only the
 * agreement's version 2 asks for it, and a relationship pins its form versions when the mentee applies,
 * so one that applied before the release signs version 1 and keeps the programme's schedule: the same
 * commands as before (workflows/relationship/meeting-plan.ts). Its history is the new path above.
 */
export const LOG_AFTER_MEETING = 'meeting-log-after-the-meeting';

/**
 * Why: a meeting counted as missed only when its log said so; one that nobody logged counted as nothing,
 * so a pair that stopped meeting and stopped answering never climbed the missed-meetings ladder. Now a
 * meeting whose log has not come when the next meeting has ended (or when the relationship closes)
 * counts as missed, climbs the ladder, and is counted (`meetings.missed`, the outcome's
 * `meetingsMissed`); a late log that says held takes it back.
 * Guards: the reminder or coordinator email a lapsed log can send (workflows/relationship/meetings.ts,
 * `lapseLogs`). Decided once per pairing's schedule (or run), when it is made.
 * Deprecate: after no relationship run started before the release is open, + retention.
 * Since: 58cc30e (2026-12-07).
 * Old path: missed-meetings-escalated.json, two-years-compressed.json, full-lifecycle.json.
 * New path: agreed-tuesdays-across-summer-time.json (re-recorded with this patch before its release).
 */
export const MISSED_UNLOGGED = 'unlogged-meetings-missed';

/**
 * Why: a person waited for three trips through the worker before their answer's receipt (the Update's
 * workflow task, the activity storing the answers, the task that took its result). The receipt (the
 * application's reference, the time) is now made by the Update handler from workflow state, so the
 * Update completes in its first workflow task; the answers are stored by the same activity, scheduled in
 * that task, and the workflow goes on only once they are stored. Nothing accepted can be lost: the
 * activity's command and the Update's completion are written to history together.
 * Guards: `Intake.apply` (workflows/intake.ts) and `FormSteps.answer` (workflows/form-steps.ts), so the
 * relationship, mentor and cohort workflows. Decided in each Update handler.
 * Deprecate: after no relationship, mentor or cohort run started before the release is open, + retention.
 * Since: 53a053d (2026-12-07).
 * Old path: every history recorded before it (endorsed-and-accepted.json, full-lifecycle.json, …).
 * New path: receipt-before-stored.json (an application and a manager's endorsement; the mentor and cohort
 * workflows run the same two methods, covered by the workflow tests).
 */
export const RECEIPT_FIRST = 'receipt-before-answers-stored';
