/**
 * The one form step every part of a programme uses: email a signed link, wait for the answer, remind,
 * and when reminders run out ask the coordinator, who extends, skips or ends. Answers arrive as the
 * `submitStep` Update, whose validator turns away a step that is not open or already answered before
 * anything is written to history.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Recipient } from '../activities/email.js';
import { activities } from './activities.js';
import { durationMs } from './durations.js';
import {
  decideStep,
  STEP_ALREADY_ANSWERED,
  STEP_NOT_OPEN,
  submitStep,
  type Answers,
  type OpenStep,
  type ParticipantRole,
  type StepDecision,
} from './messages.js';
import type { ProgramSettings } from './program-settings.js';

export interface StepSpec {
  /** Unique within the workflow, across all its runs: it keys the Update, the emails and the stored answers. */
  id: string;
  role: ParticipantRole;
  to: Recipient;
  form: { id: string; version: number };
  /** Email template of the first invitation; reminders use the shared `form-reminder`. */
  invitation: string;
  /** Shown in reminders and the coordinator's notice: which form this is. */
  title: string;
}

export type StepOutcome =
  | { kind: 'answered'; answers: Answers }
  | { kind: 'skipped'; decision: StepDecision }
  | { kind: 'ended'; decision: StepDecision }
  /** The relationship moved on (a rematch, the closure) while the step was still open. */
  | { kind: 'closed' };

interface RunningStep extends OpenStep {
  taken: boolean;
  extended: boolean;
  outcome?: StepOutcome;
}

export class FormSteps {
  readonly #open = new Map<string, RunningStep>();
  readonly #answered = new Set<string>();
  /** Set when the coordinator ends the relationship through any step: every open step ends with it. */
  #ended: StepDecision | undefined;

  constructor(
    private readonly programId: string,
    private readonly settings: ProgramSettings,
    /** Told who the workflow waits for whenever that changes inside a step. */
    private readonly waitingFor: (who: 'participant' | 'coordinator') => void,
  ) {
    setHandler(
      submitStep,
      async (submission) => {
        const step = this.#open.get(submission.stepId)!;
        step.taken = true;
        const receipt = await activities.recordStepAnswers(submission);
        step.outcome = { kind: 'answered', answers: submission.answers };
        return receipt;
      },
      {
        validator: (submission) => {
          if (this.#answered.has(submission.stepId)) throw new Error(STEP_ALREADY_ANSWERED);
          const step = this.#open.get(submission.stepId);
          if (!step || step.role !== submission.role) throw new Error(STEP_NOT_OPEN);
          if (step.taken || step.outcome) throw new Error(STEP_ALREADY_ANSWERED);
          if (submission.formId !== step.formId || submission.formVersion !== step.formVersion) {
            throw new Error(`step ${step.stepId} takes form ${step.formId} v${step.formVersion}`);
          }
        },
      },
    );
    setHandler(
      decideStep,
      (decision) => {
        const step = this.#open.get(decision.stepId)!;
        if (decision.decision === 'extend') step.extended = true;
        else if (decision.decision === 'end') this.#ended = decision;
        else step.outcome = { kind: 'skipped', decision };
      },
      {
        validator: (decision) => {
          const step = this.#open.get(decision.stepId);
          if (!step || step.taken || step.outcome) throw new Error(STEP_NOT_OPEN);
          if (!decision.reason.trim()) throw new Error('a decision needs a reason');
          if (!decision.by?.userId) throw new Error('a decision must say who made it');
        },
      },
    );
  }

  /** The coordinator's decision that ended the relationship, if one did. */
  get ended(): StepDecision | undefined {
    return this.#ended;
  }

  /** Closes every open step without an answer: the part of the relationship they belonged to is over. */
  closeAll(): void {
    for (const step of this.#open.values())
      if (!step.outcome && !step.taken) step.outcome = { kind: 'closed' };
  }

  /** The steps waiting for an answer, for the status query. */
  list(): OpenStep[] {
    return [...this.#open.values()].map(
      ({ stepId, role, formId, formVersion, openedAt, remindersSent, escalated }) => ({
        stepId,
        role,
        formId,
        formVersion,
        openedAt,
        remindersSent,
        escalated,
      }),
    );
  }

  async run(spec: StepSpec): Promise<StepOutcome> {
    const wf = workflowInfo().workflowId;
    const step: RunningStep = {
      stepId: spec.id,
      role: spec.role,
      formId: spec.form.id,
      formVersion: spec.form.version,
      openedAt: new Date().toISOString(),
      remindersSent: 0,
      escalated: false,
      taken: false,
      extended: false,
    };
    this.#open.set(spec.id, step);
    const email = (suffix: string, template: string, to: Recipient, withLink: boolean) =>
      activities.sendEmail({
        key: `${wf}/${spec.id}/${suffix}`,
        template,
        to,
        programId: this.programId,
        data: { formTitle: spec.title },
        ...(withLink ? { links: { formUrl: { p: 'form', step: spec.id, role: spec.role } } } : {}),
        ...(withLink ? {} : { adminPaths: { programUrl: `admin/programs/${this.programId}` } }),
      });

    this.waitingFor('participant');
    await email('invitation', spec.invitation, spec.to, true);
    let round = 0;
    let remindersThisRound = 0;
    const settled = () => step.outcome !== undefined || step.extended || this.#ended !== undefined;
    while (!step.outcome) {
      if (this.#ended) {
        step.outcome = { kind: 'ended', decision: this.#ended };
        break;
      }
      if (step.escalated) {
        await condition(settled);
      } else if (await condition(settled, durationMs(this.settings.formReminderAfter, new Date()))) {
        // answered, skipped or ended: the loop ends
      } else if (remindersThisRound < this.settings.formReminders) {
        remindersThisRound++;
        step.remindersSent++;
        await email(`reminder-${round}-${remindersThisRound}`, 'form-reminder', spec.to, true);
      } else {
        step.escalated = true;
        this.waitingFor('coordinator');
        await email(
          `escalation-${round}`,
          'coordinator-step-overdue',
          { coordinatorOf: this.programId },
          false,
        );
      }
      if (step.extended) {
        // The coordinator gave more time: a new round of waiting and reminders.
        step.extended = false;
        step.escalated = false;
        round++;
        remindersThisRound = 0;
        this.waitingFor('participant');
      }
    }
    this.#open.delete(spec.id);
    if (step.outcome.kind === 'answered') this.#answered.add(spec.id);
    return step.outcome;
  }
}
