/**
 * The one form step every part of a programme uses: email a signed link, wait for the answer, remind,
 * and when reminders run out ask the coordinator, who extends, skips or ends. Answers arrive as the
 * `submitStep` Update, whose validator turns away a step that is not open or already answered before
 * anything is written to history. The workflow that uses the steps registers their three Updates
 * (`submitStep`, `decideStep`, `resendLink`) in its handler block, with `registerFormStepHandlers`.
 */
import { condition, currentUpdateInfo, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Recipient } from '../activities/email.js';
import { activities } from './activities.js';
import { durationMs } from './durations.js';
import {
  decideStep,
  resendLink,
  submitStep,
  type Actor,
  type Answers,
  type OpenStep,
  type ParticipantRole,
  type StepDecision,
  type StepReceipt,
  type StepSubmission,
} from './messages.js';
import type { ProgramSettings } from './program-settings.js';
import { RECEIPT_FIRST } from './patches.js';
import { refuse, Refusal } from './refusals.js';

export interface StepSpec<F = unknown> {
  /** Unique within the workflow, across all its runs: it keys the Update, the emails and the stored answers. */
  id: string;
  role: ParticipantRole;
  to: Recipient;
  form: { id: string; version: number };
  /** Email template of the first invitation; reminders use the shared `form-reminder`. */
  invitation: string;
  /** Shown in reminders and the coordinator's notice: which form this is. */
  title: string;
  /** What the workflow does with the answer; carried with the step when the workflow continues as new. */
  followUp?: F;
  /** False for forms the programme goes on without (a gathering's evaluation): reminders, but no coordinator. */
  escalate?: boolean;
}

export type StepOutcome =
  | { kind: 'answered'; answers: Answers }
  | { kind: 'skipped'; decision: StepDecision }
  | { kind: 'ended'; decision: StepDecision }
  /** The relationship moved on (a rematch, the closure) while the step was still open. */
  | { kind: 'closed' };

/** Where an unanswered step stands: everything a new run needs to carry on with it. */
export interface StepProgress {
  round: number;
  remindersThisRound: number;
  /** When the next reminder, or the escalation, is due (ms since the epoch, workflow time). */
  nextAt: number;
}

/** An open step handed from one run of a workflow to the next. */
export interface CarriedStep<F = unknown> {
  spec: StepSpec<F>;
  open: OpenStep;
  progress: StepProgress;
}

/** The form steps' state a workflow carries when it continues as new. */
export interface CarriedSteps<F = unknown> {
  open: CarriedStep<F>[];
  answered: string[];
}

interface RunningStep<F> extends OpenStep, StepProgress {
  spec: StepSpec<F>;
  taken: boolean;
  extended: boolean;
  /** An email of the step is on its way: the step is between two states and cannot be carried yet. */
  sending: boolean;
  /** Reminded enough, and not for the coordinator to decide: the form counts as missing while it stays open. */
  lapsed: boolean;
  /** The answer taken, on its way to the database: the step settles with it once it is stored. */
  storing?: { answers: Answers; stored: Promise<unknown> };
  outcome?: StepOutcome;
}

export class FormSteps<F = unknown> {
  readonly #open = new Map<string, RunningStep<F>>();
  readonly #answered: Set<string>;
  /** Set when the coordinator ends the relationship through any step: every open step ends with it. */
  #ended: StepDecision | undefined;

  constructor(
    private readonly programId: string,
    private readonly settings: Pick<ProgramSettings, 'formReminderAfter' | 'formReminders'>,
    /** Told who the workflow waits for whenever that changes inside a step. */
    private readonly waitingFor: (who: 'participant' | 'coordinator') => void,
    carried?: CarriedSteps<F>,
    /** False where the coordinator cannot end the whole workflow through one step (a cohort). */
    private readonly allowEnd = true,
  ) {
    this.#answered = new Set(carried?.answered);
    // Carried steps are open before the workflow registers its handlers: an answer the server moved to
    // this run while the last one handed over is validated, at registration, against them.
    for (const step of carried?.open ?? []) this.#open.set(step.spec.id, restore(step));
  }

  /**
   * The `submitStep` validator: turns away an answer to a step that is not open (never was, or closed a
   * moment ago), already answered, or asked with another form version, before anything enters history.
   */
  checkAnswer(submission: StepSubmission): void {
    if (this.#answered.has(submission.stepId))
      refuse(Refusal.stepAlreadyAnswered, 'this step has already been answered');
    const step = this.#open.get(submission.stepId);
    if (!step || step.role !== submission.role) refuse(Refusal.stepNotOpen, 'this step is not open');
    // Closed a moment ago (the pair ended, the relationship moved on) and not yet gone: no longer
    // open, which is what the person should read, not "we already have your answer".
    if (step.outcome?.kind === 'closed') refuse(Refusal.stepNotOpen, 'this step is not open');
    if (step.taken || step.outcome)
      refuse(Refusal.stepAlreadyAnswered, 'this step has already been answered');
    if (submission.formId !== step.formId || submission.formVersion !== step.formVersion) {
      refuse(Refusal.stepFormChanged, `step ${step.stepId} takes form ${step.formId} v${step.formVersion}`);
    }
  }

  /**
   * The `submitStep` Update: the receipt is its result, made from workflow state so the person has it
   * after one workflow task; the answer is stored by an activity scheduled in the same task, and the step
   * settles with it once it is stored.
   */
  async answer(submission: StepSubmission): Promise<StepReceipt> {
    const step = this.#open.get(submission.stepId)!;
    step.taken = true;
    if (patched(RECEIPT_FIRST)) {
      const submittedAt = new Date().toISOString();
      const stored = activities.recordStepAnswers({ ...submission, submittedAt });
      step.storing = { answers: submission.answers, stored };
      return { stepId: submission.stepId, submittedAt };
    }
    const receipt = await activities.recordStepAnswers(submission);
    step.outcome = { kind: 'answered', answers: submission.answers };
    return receipt;
  }

  /** The `decideStep` validator: only an escalated or waiting step, with a reason and the coordinator's id. */
  checkDecision(decision: StepDecision): void {
    const step = this.#open.get(decision.stepId);
    if (!step || step.taken || step.outcome) refuse(Refusal.stepNotOpen, 'this step is not open');
    if (decision.decision === 'end' && !this.allowEnd)
      refuse(Refusal.stepCannotEnd, 'this step cannot end the programme');
    if (!decision.reason.trim()) refuse(Refusal.reasonNeeded, 'a decision needs a reason');
    if (!decision.by?.userId) refuse(Refusal.noActor, 'a decision must say who made it');
  }

  /** The `decideStep` Update: more time, go on without the answer, or end the workflow through it. */
  decide(decision: StepDecision): void {
    const step = this.#open.get(decision.stepId)!;
    if (decision.decision === 'extend') step.extended = true;
    else if (decision.decision === 'end') this.#ended = decision;
    else step.outcome = { kind: 'skipped', decision };
  }

  /** The `resendLink` validator: a step still waiting for its answer, and who sends it again. */
  checkResend({ stepId, by }: { stepId: string; by: Actor }): void {
    const step = this.#open.get(stepId);
    if (!step || step.taken || step.outcome) refuse(Refusal.stepNotOpen, 'this step is not open');
    if (!by?.userId) refuse(Refusal.noActor, 'a resent link must say who sent it');
  }

  /** The `resendLink` Update: the same step's link, emailed again. */
  async resend({ stepId }: { stepId: string }): Promise<void> {
    const step = this.#open.get(stepId)!;
    // Keyed by the Update's id: each request sends one email, also when the request is retried.
    await this.#invite(step, `resend-${currentUpdateInfo()!.id}`);
  }

  /** Emails a step's link to its recipient: the invitation, a reminder, or a copy the coordinator asked for. */
  #invite(step: RunningStep<F>, suffix: string, template = step.spec.invitation) {
    return activities.sendEmail({
      key: `${workflowInfo().workflowId}/${step.spec.id}/${suffix}`,
      template,
      to: step.spec.to,
      programId: this.programId,
      data: { formTitle: step.spec.title },
      form: step.spec.form,
      links: { formUrl: { p: 'form', step: step.spec.id, role: step.spec.role } },
    });
  }

  /** The coordinator's decision that ended the relationship, if one did. */
  get ended(): StepDecision | undefined {
    return this.#ended;
  }

  /** Closes every open step without an answer: the part of the relationship they belonged to is over. */
  closeAll(): void {
    this.closeWhere(() => true);
  }

  /** Closes the open steps whose spec matches (those of an organisation that withdrew, say). */
  closeWhere(matches: (spec: StepSpec<F>) => boolean): void {
    for (const step of this.#open.values())
      if (!step.outcome && !step.taken && matches(step.spec)) step.outcome = { kind: 'closed' };
  }

  /** The steps waiting for an answer, for the status query. */
  list(): OpenStep[] {
    // A step already settled (answered, skipped, closed) is on its way out: it no longer waits for anyone.
    // One whose answer is being stored is listed as answered until it settles.
    return [...this.#open.values()].filter((s) => !s.outcome).map((s) => this.#view(s));
  }

  /** True when no step is between two states, so that all of them can be carried to a new run. */
  atRest(): boolean {
    return [...this.#open.values()].every((s) => !s.sending && !s.taken && !s.outcome && !s.extended);
  }

  /**
   * True when no open step can still be expected: each is settled, or its reminders ran out without an
   * answer. What waits for the forms of a step that goes on without them (a cohort's report) waits for this.
   */
  allLapsed(): boolean {
    return [...this.#open.values()].every((s) => s.outcome !== undefined || (s.lapsed && !s.taken));
  }

  /** The open steps and the answered ones, for the next run; call when `atRest()`. */
  carry(): CarriedSteps<F> {
    return {
      open: [...this.#open.values()].map((s) => ({
        spec: s.spec,
        open: this.#view(s),
        progress: { round: s.round, remindersThisRound: s.remindersThisRound, nextAt: s.nextAt },
      })),
      answered: [...this.#answered],
    };
  }

  /** Opens a step: its invitation goes out, then it waits, reminds and escalates until it is settled. */
  run(spec: StepSpec<F>): Promise<StepOutcome> {
    return this.#run({
      spec,
      stepId: spec.id,
      role: spec.role,
      formId: spec.form.id,
      formVersion: spec.form.version,
      openedAt: new Date().toISOString(),
      remindersSent: 0,
      escalated: false,
      round: 0,
      remindersThisRound: 0,
      nextAt: 0,
      taken: false,
      extended: false,
      sending: false,
      lapsed: false,
    });
  }

  /** Carries on with a step a previous run opened, where it stood: no second invitation. */
  resume(carried: CarriedStep<F>): Promise<StepOutcome> {
    return this.#run(this.#open.get(carried.spec.id) ?? restore(carried));
  }

  #view(step: RunningStep<F>): OpenStep {
    const { stepId, role, formId, formVersion, openedAt, remindersSent, escalated, nextAt } = step;
    const dueAt = escalated || !nextAt ? undefined : new Date(nextAt).toISOString();
    const member = 'memberId' in step.spec.to ? { memberId: step.spec.to.memberId } : {};
    const lapsed = step.lapsed ? { lapsed: true } : {};
    const answered = step.storing ? { answered: true as const } : {};
    return {
      stepId,
      role,
      formId,
      formVersion,
      openedAt,
      remindersSent,
      escalated,
      dueAt,
      ...member,
      ...lapsed,
      ...answered,
    };
  }

  async #run(step: RunningStep<F>): Promise<StepOutcome> {
    const { spec } = step;
    const wf = workflowInfo().workflowId;
    this.#open.set(spec.id, step);
    // Returns the activity's own promise: an extra async hop here would reorder commands against
    // histories recorded before, which replay rejects.
    const toParticipant = (suffix: string, template: string) => {
      step.sending = true;
      return this.#invite(step, suffix, template);
    };
    const toCoordinator = (suffix: string) => {
      step.sending = true;
      return activities.sendEmail({
        key: `${wf}/${spec.id}/${suffix}`,
        template: 'coordinator-step-overdue',
        to: { coordinatorOf: this.programId },
        programId: this.programId,
        data: { formTitle: spec.title },
        form: spec.form,
        adminPaths: { programUrl: `admin/programs/${this.programId}` },
      });
    };
    const waitFromNow = () => {
      step.nextAt = Date.now() + durationMs(this.settings.formReminderAfter, new Date());
    };

    if (step.nextAt === 0) {
      this.waitingFor('participant');
      await toParticipant('invitation', spec.invitation);
      step.sending = false;
      waitFromNow();
    }
    const settled = () =>
      step.outcome !== undefined || step.storing !== undefined || step.extended || this.#ended !== undefined;
    while (!step.outcome) {
      if (step.storing) {
        await step.storing.stored;
        step.outcome = { kind: 'answered', answers: step.storing.answers };
        break;
      }
      if (this.#ended) {
        step.outcome = { kind: 'ended', decision: this.#ended };
        break;
      }
      const due = step.nextAt - Date.now();
      if (step.escalated) {
        await condition(settled);
      } else if (settled() || (due > 0 && (await condition(settled, due)))) {
        // answered, skipped or ended: the loop ends
      } else if (step.remindersThisRound < this.settings.formReminders) {
        step.remindersThisRound++;
        step.remindersSent++;
        await toParticipant(`reminder-${step.round}-${step.remindersThisRound}`, 'form-reminder');
        step.sending = false;
        waitFromNow();
      } else if (spec.escalate === false) {
        // Reminded enough: the form stays open until answered or closed, without troubling the coordinator.
        step.lapsed = true;
        await condition(settled);
      } else {
        step.escalated = true;
        this.waitingFor('coordinator');
        await toCoordinator(`escalation-${step.round}`);
        step.sending = false;
      }
      if (step.extended) {
        // The coordinator gave more time: a new round of waiting and reminders.
        step.extended = false;
        step.escalated = false;
        step.lapsed = false;
        step.round++;
        step.remindersThisRound = 0;
        waitFromNow();
        this.waitingFor('participant');
      }
    }
    this.#open.delete(spec.id);
    if (step.outcome.kind === 'answered') this.#answered.add(spec.id);
    return step.outcome;
  }
}

function restore<F>({ spec, open, progress }: CarriedStep<F>): RunningStep<F> {
  return { spec, ...open, ...progress, taken: false, extended: false, sending: false, lapsed: false };
}

/**
 * The three handlers of form steps, for a workflow's handler block: a participant answers through an
 * emailed link (submitStep); the coordinator decides on an overdue form (decideStep) or sends its link
 * again (resendLink). Registered in this order, as every recorded history has them.
 */
export function registerFormStepHandlers(steps: FormSteps<unknown>): void {
  setHandler(submitStep, (answer) => steps.answer(answer), {
    validator: (answer) => steps.checkAnswer(answer),
  });
  setHandler(decideStep, (decision) => steps.decide(decision), {
    validator: (decision) => steps.checkDecision(decision),
  });
  setHandler(resendLink, (request) => steps.resend(request), {
    validator: (request) => steps.checkResend(request),
  });
}
