/**
 * Every message a workflow accepts or answers, defined once and imported by both the workflows and the
 * API, so a name or a payload shape cannot drift between them. This module holds what the workflows
 * share (form steps, applications and interviews, who acted, the status memo) and re-exports each
 * workflow's own messages, which live beside it: workflows/relationship/messages.ts,
 * workflows/mentor-messages.ts, workflows/round-messages.ts (and workflows/cohort-messages.ts).
 */
import { defineUpdate } from '@temporalio/workflow';

export * from './relationship/messages.js';
export * from './mentor-messages.js';
export * from './round-messages.js';

export type Answers = Record<string, string | string[] | boolean>;
/** Who answers a form step: the pair, the mentee's manager, or a member of a learning-network organisation. */
export type ParticipantRole = 'mentee' | 'mentor' | 'manager' | 'member';

/** Submitted answers of one form, already validated by the API against that form version. */
export interface FormSubmission {
  /** Random per rendered form, so the database can tell two sendings of one form apart from two forms. */
  submissionId: string;
  formId: string;
  formVersion: number;
  answers: Answers;
}

/** An answer to a form step reached through an emailed link. */
export interface StepSubmission extends FormSubmission {
  stepId: string;
  role: ParticipantRole;
}

/** Who did something on the admin side; an id, never a name, so history stays free of personal data. */
export interface Actor {
  userId: string;
}

export interface ApplicationReceipt {
  reference: string;
  submittedAt: string;
}

export interface StepReceipt {
  stepId: string;
  submittedAt: string;
}

export interface OpenStep {
  stepId: string;
  role: ParticipantRole;
  formId: string;
  formVersion: number;
  openedAt: string;
  remindersSent: number;
  /** The participant did not answer after every reminder; the coordinator has been asked to decide. */
  escalated: boolean;
  /** When the next reminder (or the escalation) goes out; absent while the coordinator decides. */
  dueAt?: string;
  /** The cohort member asked, for a learning network's steps (several members share the role). */
  memberId?: string;
  /** Reminded enough without an answer, where the programme goes on without it: it counts as missing. */
  lapsed?: boolean;
  /** Answered a moment ago: the receipt is given and the answer is being stored; nobody is asked any more. */
  answered?: true;
}

/** The coordinator's decision on an open step: give more time, go on without it, or end the relationship. */
export interface StepDecision {
  stepId: string;
  decision: 'extend' | 'skip' | 'end';
  reason: string;
  by: Actor;
}

export interface InterviewRecord {
  outcome: 'accepted' | 'declined';
  /** Told to the mentee when declined. */
  reason: string;
  /** The coordinator's own notes of the interview; never sent to the applicant. */
  notes?: string;
  by: Actor;
}

/** The application, sent with the start of a mentee's or a mentor's workflow (update-with-start). */
export const submitApplication = defineUpdate<ApplicationReceipt, [FormSubmission]>('submitApplication');
/** The coordinator's outcome of the interview: accepted, or declined with a reason. */
export const recordInterview = defineUpdate<void, [InterviewRecord]>('recordInterview');
/** An answer to an open form step, through its emailed link. */
export const submitStep = defineUpdate<StepReceipt, [StepSubmission]>('submitStep');
/** The coordinator's decision on an overdue step. */
export const decideStep = defineUpdate<void, [StepDecision]>('decideStep');
/** The coordinator sends an open step's link again (lost email, a new address): same step, a fresh link. */
export const resendLink = defineUpdate<void, [{ stepId: string; by: Actor }]>('resendLink');

/** The memo field where a workflow publishes what its status Query answers (workflows/published-status.ts). */
export const STATUS_MEMO = 'status';

/**
 * Why a workflow turned a request down: every refusal is an ApplicationFailure whose `type` is one of
 * these (workflows/refusals.ts). The API switches on the type (api/refusals.ts), never on the message.
 */
export { Refusal } from './refusals.js';
