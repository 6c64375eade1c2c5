/**
 * One learning-network cohort, where member organisations learn together rather than people in pairs:
 * organisations enrol their project groups and the coordinator approves them; then a series of
 * gatherings (seven over two years by default), each announced with a calendar invitation to every
 * member of the project groups and reminded a week before; after each, the coordinator records who
 * came, those who came evaluate it, and until the next the project leaders do their homework and log
 * their guidance session. The cohort closes with a final evaluation from each
 * organisation and a report for the coordinator. Organisations may join late and withdraw; the
 * coordinator may move a gathering, and every timer waiting for it moves with it.
 *
 * Each gathering is a run of its own: after it, the cohort hands over to a new run (continue-as-new),
 * carrying its state and the forms still open, so two years never make one long history.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SendEmailInput } from '../activities/email.js';
import { activities } from './activities.js';
import {
  cohortStatus,
  decideEnrolment,
  enrolOrganisation,
  moveGathering,
  recordAttendance,
  withdrawOrganisation,
  type CohortOrganisation,
  type CohortSettings,
  type CohortStatus,
  type Gathering,
  type COHORT_FORMS,
} from './cohort-messages.js';
import { durationMs } from './durations.js';
import { FormSteps, registerFormStepHandlers, type CarriedSteps, type StepOutcome } from './form-steps.js';
import type { Actor } from './messages.js';
import { CLOSES_AFTER_REMINDERS } from './patches.js';
import { enterPhase } from './phase.js';
import type { FormRef } from './program-settings.js';
import { ProgramId } from './search-attributes.js';
import { publishStatus } from './published-status.js';
import { refuse, Refusal } from './refusals.js';
import { FollowUps, quietToHandOver, until } from './waiting.js';

export interface CohortInput {
  programId: string;
  /** 1 for the programme's first cohort; with the programme it makes the workflow id. */
  number: number;
  gatherings: Pick<Gathering, 'date' | 'place' | 'theme'>[];
  settings: CohortSettings;
  /** The form versions pinned when the cohort started. */
  forms: Record<keyof typeof COHORT_FORMS, FormRef>;
  openedBy: Actor;
  carried?: CarriedCohort;
}

/** What the cohort does with an answer that arrives beside the schedule. */
type FollowUp =
  | { kind: 'evaluation'; gathering: number }
  | { kind: 'homework'; after: number; organisationId: string }
  | { kind: 'guidance'; after: number; organisationId: string }
  | { kind: 'final'; organisationId: string };

interface CarriedCohort {
  status: Omit<CohortStatus, 'open'>;
  steps: CarriedSteps<FollowUp>;
  /** The gathering the new run starts with (its invitations not sent yet). */
  next: number;
}

/** Enrolments one cohort takes at most, approved or not. */
const MAX_ORGANISATIONS = 100;

export interface CohortOutcome {
  organisations: number;
  gatherings: number;
}

export async function cohortWorkflow(input: CohortInput): Promise<CohortOutcome> {
  const { programId, number, settings, forms, carried } = input;
  const wf = workflowInfo().workflowId;
  const status: CohortStatus = carried
    ? { ...carried.status, open: [] }
    : {
        programId,
        number,
        phase: 'enrolment',
        waitingFor: 'participant',
        gatherings: input.gatherings.map((g, i) => ({ ...g, number: i + 1 })),
        current: 0,
        attendanceDue: false,
        organisations: [],
        homework: [],
        guidance: [],
        open: [],
      };
  // Declared before any handler: an Update buffered while the last run handed over is handled at registration.
  /** Moves of gatherings so far: every wait for a date starts over when one moves. */
  let moves = 0;
  /** Invitations have gone out up to this gathering. */
  let invited = carried ? carried.next - 1 : 0;
  /** Answers beside the schedule still being worked out; a hand-over waits for them. */
  const followUps = new FollowUps();
  /** Set while the report is made: every change is refused from then on. */
  let reporting = false;
  const last = status.gatherings.length;
  const gathering = (n: number) => status.gatherings[n - 1]!;
  const organisation = (id: string) => status.organisations.find((o) => o.id === id);
  const approved = () => status.organisations.filter((o) => o.state === 'approved');

  /** Who the cohort waits for, worked out from everything open: the coordinator's part first. */
  function refreshWaiting() {
    const coordinator =
      status.attendanceDue ||
      status.organisations.some((o) => o.state === 'pending') ||
      steps.list().some((s) => s.escalated);
    const who = coordinator ? 'coordinator' : steps.list().length > 0 ? 'participant' : 'nobody';
    if (who !== status.waitingFor) enterPhase(status, status.phase, who);
  }
  const enter = (phase: CohortStatus['phase']) => enterPhase(status, phase, status.waitingFor);
  const steps = new FormSteps<FollowUp>(programId, settings, refreshWaiting, carried?.steps, false);

  const email = (key: string, extra: Omit<SendEmailInput, 'key' | 'programId'>) =>
    activities.sendEmail({ key: `${wf}/${key}`, programId, ...extra });
  const tellCoordinator = (key: string, template: string, data: Record<string, string | number> = {}) =>
    email(key, {
      template,
      to: { coordinatorOf: programId },
      data: { cohortNumber: number, ...data },
      adminPaths: { cohortUrl: `admin/programs/${programId}/cohorts/${number}` },
    });
  const tellLeader = (
    org: CohortOrganisation,
    key: string,
    template: string,
    data: Record<string, string> = {},
  ) =>
    email(`${org.id}/${key}`, {
      template,
      to: { memberId: org.leaderId },
      data: { cohortNumber: number, ...data },
    });
  /** The gathering's calendar entry: one per member, updated in place when the gathering moves. */
  const calendar = (g: Gathering, memberId: string): SendEmailInput['meeting'] => ({
    start: g.date,
    minutes: 360,
    title: `Gathering ${g.number}: ${g.theme}`,
    titleKey: 'email.gatheringTitle',
    titleValues: { number: g.number, theme: g.theme },
    location: g.place,
    uid: `${wf}/gathering-${g.number}/${memberId}`,
    sequence: g.moved ? moves : 0,
  });
  const toMembers = (
    orgs: CohortOrganisation[],
    key: string,
    template: string,
    g: Gathering,
    withCalendar: boolean,
  ) =>
    Promise.all(
      orgs.flatMap((org) =>
        org.memberIds.map((memberId) =>
          email(`gathering-${g.number}/${key}/${memberId}`, {
            template,
            to: { memberId },
            data: {
              gatheringNumber: g.number,
              gatheringTheme: g.theme,
              gatheringPlace: g.place,
              gatheringAt: g.date,
            },
            ...(withCalendar ? { meeting: calendar(g, memberId) } : {}),
          }),
        ),
      ),
    );

  const at = (n: number) => new Date(gathering(n).date).getTime();
  /** Waits until `time()`, which a moved gathering changes while waiting. */
  const untilMoved = (time: () => number) => until({ at: time, moves: () => moves });
  const begun = (n: number) => n < status.current || (n === status.current && Date.now() >= at(n));
  /** The first gathering an organisation approved now takes part in. */
  const nextToJoin = () => {
    for (let n = Math.max(status.current, 1); n <= last; n++) if (!begun(n)) return n;
    return undefined;
  };
  const needsActor = (by: Actor | undefined) => {
    if (reporting) refuse(Refusal.cohortReporting, 'the cohort is closing its report');
    if (!by?.userId) refuse(Refusal.noActor, 'a coordinator decision must say who made it');
  };
  const needsReason = (reason: string, what: string) => {
    if (!reason.trim()) refuse(Refusal.reasonNeeded, `${what} needs a reason`);
  };

  function beside(outcome: Promise<StepOutcome>, what: FollowUp) {
    followUps.beside(outcome, (o) => followUp(what, o));
  }
  function followUp(what: FollowUp, o: StepOutcome) {
    refreshWaiting();
    if (o.kind !== 'answered') return;
    if (what.kind === 'homework') {
      const homework = status.homework.find(
        (h) => h.after === what.after && h.organisationId === what.organisationId,
      );
      if (!homework) return;
      homework.deliveredAt = new Date().toISOString();
      homework.late = Date.now() > new Date(homework.dueAt).getTime();
    } else if (what.kind === 'guidance') {
      status.guidance.push({
        after: what.after,
        organisationId: what.organisationId,
        held: o.answers.held === 'yes',
      });
    }
    refreshWaiting();
  }
  /** Homework after gathering `after` is due a while before the next one, wherever that has moved. */
  const homeworkDue = (after: number) =>
    new Date(at(after + 1) - durationMs(settings.homeworkDueBefore, new Date(at(after + 1)))).toISOString();

  const view = () => ({ ...status, open: steps.list() });

  // Every Update and Query the cohort answers. An Update that arrived while the last run handed over is
  // handled the moment its handler is registered, so the order below is part of the history: keep it.
  //
  // Form steps: a member answers through an emailed link; the coordinator decides on an overdue form
  // (more time, or go on without it: one form cannot end a cohort) or sends its link again.
  registerFormStepHandlers(steps); // submitStep, decideStep, resendLink
  // Where the cohort stands, for the CLI; pages read the same view from the memo.
  setHandler(cohortStatus, view);
  publishStatus(view);

  // An organisation enrols through the public form, while a gathering is still ahead to join.
  setHandler(
    enrolOrganisation,
    async (submission) => {
      const stored = await activities.recordEnrolment({ ...submission, cohortWorkflowId: wf, programId });
      if (!organisation(stored.organisationId)) {
        status.organisations.push({
          id: stored.organisationId,
          state: 'pending',
          leaderId: stored.leaderId,
          memberIds: stored.memberIds,
          enrolledAt: new Date().toISOString(),
        });
        refreshWaiting();
        const org = organisation(stored.organisationId)!;
        await Promise.all([
          tellLeader(org, 'enrolment/received', 'cohort-enrolment-received'),
          tellCoordinator(`${org.id}/enrolment/coordinator`, 'coordinator-new-enrolment'),
        ]);
      }
      return { organisationId: stored.organisationId };
    },
    {
      validator: (_submission) => {
        if (status.phase === 'closing' || status.phase === 'closed' || nextToJoin() === undefined)
          refuse(Refusal.enrolmentClosed, 'enrolment in this cohort is closed');
        // A bound on what a public form can add to one cohort's history.
        if (status.organisations.length >= MAX_ORGANISATIONS)
          refuse(Refusal.enrolmentClosed, 'the cohort takes no more organisations');
      },
    },
  );

  // The coordinator approves an enrolment (the organisation joins at the next gathering) or declines it.
  setHandler(
    decideEnrolment,
    async ({ organisationId, decision, reason }) => {
      const org = organisation(organisationId)!;
      if (decision === 'decline') {
        org.state = 'declined';
        org.reason = reason;
        refreshWaiting();
        await tellLeader(org, 'enrolment/decided', 'cohort-enrolment-declined', { reason });
        return;
      }
      org.state = 'approved';
      org.joinedAt = nextToJoin();
      refreshWaiting();
      await tellLeader(org, 'enrolment/decided', 'cohort-enrolment-approved');
      // Joining after the next gathering's invitations went out: this organisation's come now.
      const upcoming =
        org.joinedAt !== undefined && org.joinedAt <= invited ? gathering(org.joinedAt) : undefined;
      if (upcoming) await toMembers([org], 'invitation', 'gathering-invitation', upcoming, true);
    },
    {
      validator: ({ organisationId, decision, reason, by }) => {
        needsActor(by);
        if (organisation(organisationId)?.state !== 'pending')
          refuse(Refusal.noSuchEnrolment, 'no such enrolment is waiting');
        if (decision === 'decline') needsReason(reason, 'declining');
        if (decision === 'approve' && nextToJoin() === undefined)
          refuse(Refusal.enrolmentClosed, 'no gathering is left to join');
      },
    },
  );

  // An organisation leaves the cohort; its open forms close.
  setHandler(
    withdrawOrganisation,
    async ({ organisationId, reason }) => {
      const org = organisation(organisationId)!;
      org.state = 'withdrawn';
      org.reason = reason;
      org.leftAfter = begun(status.current) ? status.current : status.current - 1;
      steps.closeWhere((spec) => org.memberIds.some((m) => 'memberId' in spec.to && spec.to.memberId === m));
      refreshWaiting();
      await tellLeader(org, 'withdrawn', 'cohort-withdrawn', { reason });
    },
    {
      validator: ({ organisationId, reason, by }) => {
        needsActor(by);
        const state = organisation(organisationId)?.state;
        if (state !== 'approved' && state !== 'pending')
          refuse(Refusal.notInCohort, 'the organisation is not in the cohort');
        if (status.phase === 'closed') refuse(Refusal.cohortClosed, 'the cohort has closed');
        needsReason(reason, 'a withdrawal');
      },
    },
  );

  // The coordinator moves a gathering that has not begun; every wait for it moves with it.
  setHandler(
    moveGathering,
    async ({ number: n, date, place, reason, by }) => {
      const g = gathering(n);
      g.moved = { from: g.moved?.from ?? g.date, by, reason };
      g.date = new Date(date).toISOString();
      g.place = place.trim() || g.place;
      moves++;
      for (const h of status.homework)
        if (h.after === n - 1 && !h.deliveredAt) h.dueAt = homeworkDue(h.after);
      // Those already invited get the calendar entry updated; the rest are invited in due course.
      if (n <= invited) await toMembers(approved(), `moved-${moves}`, 'gathering-moved', g, true);
    },
    {
      validator: ({ number: n, date, reason, by }) => {
        needsActor(by);
        if (!Number.isInteger(n) || n < 1 || n > last)
          refuse(Refusal.noSuchGathering, `there is no gathering ${n}`);
        if (begun(n)) refuse(Refusal.gatheringBegun, `gathering ${n} has already begun`);
        const time = new Date(date).getTime();
        if (Number.isNaN(time) || time <= Date.now())
          refuse(Refusal.dateInPast, 'the new date must be in the future');
        if (n > 1 && time <= at(n - 1))
          refuse(Refusal.gatheringOrder, `gathering ${n} must come after gathering ${n - 1}`);
        if (n < last && time >= at(n + 1))
          refuse(Refusal.gatheringOrder, `gathering ${n} must come before gathering ${n + 1}`);
        needsReason(reason, 'moving a gathering');
      },
    },
  );

  // After a gathering, the coordinator records who came; those who came are asked to evaluate it.
  setHandler(
    recordAttendance,
    ({ number: n, present, by }) => {
      gathering(n).attendance = { present: [...new Set(present)], by, at: new Date().toISOString() };
      status.attendanceDue = false;
      refreshWaiting();
    },
    {
      validator: ({ number: n, present, by }) => {
        needsActor(by);
        if (n !== status.current || !status.attendanceDue)
          refuse(Refusal.attendanceNotDue, `gathering ${n} is not waiting for its attendance`);
        const members = new Set(approved().flatMap((o) => o.memberIds));
        const stranger = present.find((m: string) => !members.has(m));
        if (stranger)
          refuse(Refusal.notAMember, `${stranger} is not a member of an organisation in the cohort`);
      },
    },
  );

  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  if (carried) {
    enter(status.phase);
    for (const step of carried.steps.open) beside(steps.resume(step), step.spec.followUp!);
  } else {
    enter('enrolment');
    await tellCoordinator('opened', 'coordinator-cohort-opened', { gatherings: last });
  }

  for (let n = carried?.next ?? 1; n <= last; n++) {
    status.current = n;
    invited = n;
    await toMembers(approved(), 'invitation', 'gathering-invitation', gathering(n), true);
    await untilMoved(() => at(n) - durationMs(settings.reminderBefore, new Date(at(n))));
    await toMembers(approved(), 'reminder', 'gathering-reminder', gathering(n), false);
    await untilMoved(() => at(n));

    // The gathering: the coordinator records who came.
    if (n === 1) enter('gatherings');
    status.attendanceDue = true;
    refreshWaiting();
    await tellCoordinator(`gathering-${n}/attendance`, 'coordinator-attendance-due', { gatheringNumber: n });
    await condition(() => !status.attendanceDue);
    const g = gathering(n);

    // Those who came evaluate it; each organisation's project leader gets homework and a guidance log.
    const ask = (id: string, memberId: string, form: FormRef, title: string, followUp: FollowUp) =>
      beside(
        steps.run({
          id,
          role: 'member',
          to: { memberId },
          form,
          invitation: 'form-invitation',
          title,
          escalate: false,
          followUp,
        }),
        followUp,
      );
    for (const memberId of g.attendance!.present)
      ask(
        `gathering-${n}/evaluation/${memberId}`,
        memberId,
        forms.evaluation,
        `Evaluation of gathering ${n}`,
        {
          kind: 'evaluation',
          gathering: n,
        },
      );
    if (n < last) {
      for (const org of approved()) {
        status.homework.push({ after: n, organisationId: org.id, dueAt: homeworkDue(n) });
        const about = { after: n, organisationId: org.id };
        ask(
          `gathering-${n}/homework/${org.id}`,
          org.leaderId,
          forms.homework,
          `Homework before gathering ${n + 1}`,
          {
            kind: 'homework',
            ...about,
          },
        );
        ask(
          `gathering-${n}/guidance/${org.id}`,
          org.leaderId,
          forms.guidance,
          `Guidance session before gathering ${n + 1}`,
          { kind: 'guidance', ...about },
        );
      }
      // A new run for the next gathering, once nothing is half-done.
      await condition(quietToHandOver(steps, followUps));
      const { open: _open, ...rest } = status;
      return continueAsNew<typeof cohortWorkflow>({
        ...input,
        carried: { status: rest, steps: steps.carry(), next: n + 1 },
      });
    }
  }

  // Closing: a final evaluation from each organisation still in the cohort, then the report.
  enter('closing');
  const askFinal = (org: CohortOrganisation, escalate: boolean) =>
    steps.run({
      id: `final/${org.id}`,
      role: 'member',
      to: { memberId: org.leaderId },
      form: forms.finalEvaluation,
      invitation: 'form-invitation',
      title: 'Final evaluation of the learning network',
      escalate,
    });
  if (patched(CLOSES_AFTER_REMINDERS)) {
    for (const org of approved()) beside(askFinal(org, false), { kind: 'final', organisationId: org.id });
    // The report waits for the answers still to come, each form no longer than its own reminders.
    await condition(() => steps.allLapsed());
  } else {
    await Promise.all(approved().map((org) => askFinal(org, true)));
    // The last gathering's evaluations (and late homework) get the time a form has before it is overdue.
    const grace = durationMs(settings.formReminderAfter, new Date()) * (settings.formReminders + 1);
    await condition(() => steps.list().length === 0, grace);
  }
  // From here the cohort takes no more changes: what the report says is final.
  reporting = true;
  steps.closeAll();
  await condition(() => allHandlersFinished() && followUps.idle);
  const { open: _open, ...final } = status;
  await activities.recordCohortReport({ cohortWorkflowId: wf, programId, status: final });
  await tellCoordinator('report', 'cohort-report');
  enterPhase(status, 'closed', 'nobody');
  await condition(allHandlersFinished);
  return { organisations: approved().length, gatherings: last };
}
