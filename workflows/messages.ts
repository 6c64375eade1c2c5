/**
 * Every message a workflow accepts or answers, defined once and imported by both the workflows and the
 * API, so a name or a payload shape cannot drift between them.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** Submitted answers of one form, already validated by the API against that form version. */
export interface FormSubmission {
  /** Random per rendered form; doubles as the Update ID, so a resubmitted form is answered once. */
  submissionId: string;
  formId: string;
  formVersion: number;
  answers: Record<string, string | string[] | boolean>;
}

export interface ApplicationReceipt {
  reference: string;
  submittedAt: string;
}

export type RelationshipPhase =
  'application' | 'endorsement' | 'interview' | 'matching' | 'kickoff' | 'meetings' | 'closure' | 'closed';

export interface RelationshipStatus {
  programId: string;
  phase: RelationshipPhase;
  waitingFor: 'participant' | 'coordinator' | 'nobody';
  application?: ApplicationReceipt;
}

export const submitApplication = defineUpdate<ApplicationReceipt, [FormSubmission]>('submitApplication');
export const relationshipStatus = defineQuery<RelationshipStatus>('relationshipStatus');

/** Validator messages the API recognises and explains to the person. */
export const ALREADY_APPLIED = 'already-applied';
