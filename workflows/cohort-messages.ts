/**
 * Every message a learning-network cohort accepts or answers, defined once for the workflow and the API
 * (the relationship's are in messages.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, FormSubmission, OpenStep } from './messages.js';

/** One gathering of the series: when, where and about what (dates ISO 8601, UTC). */
export interface Gathering {
  number: number;
  date: string;
  place: string;
  theme: string;
  /** Set when the coordinator moved it: the date it had before, and who moved it. */
  moved?: { from: string; by: Actor; reason: string };
  /** The members present, recorded by the coordinator after the gathering. */
  attendance?: { present: string[]; by: Actor; at: string };
}

export type OrganisationState = 'pending' | 'approved' | 'declined' | 'withdrawn';

/** A member organisation as the cohort knows it: ids and codes only; names stay in the database. */
export interface CohortOrganisation {
  id: string;
  state: OrganisationState;
  /** Its project leader, who receives the homework, guidance and final forms. */
  leaderId: string;
  /** Every member of its project group (owner and leader included), who are invited to gatherings. */
  memberIds: string[];
  enrolledAt: string;
  /** The first gathering it was part of: organisations may join late. */
  joinedAt?: number;
  /** The last gathering it was part of, when it withdrew. */
  leftAfter?: number;
  /** The coordinator's reason for declining it, or for its withdrawal. */
  reason?: string;
}

/** A homework assignment between two gatherings, per organisation. */
export interface Homework {
  /** The gathering it follows; it is due before the next one. */
  after: number;
  organisationId: string;
  dueAt: string;
  deliveredAt?: string;
  late?: boolean;
}

export type CohortPhase = 'enrolment' | 'gatherings' | 'closing' | 'closed';

export interface CohortStatus {
  programId: string;
  number: number;
  phase: CohortPhase;
  waitingFor: 'participant' | 'coordinator' | 'nobody';
  gatherings: Gathering[];
  /** The gathering under way or next (1-based); 0 before the first. */
  current: number;
  /** The current gathering has begun and waits for the coordinator to record who came. */
  attendanceDue: boolean;
  organisations: CohortOrganisation[];
  homework: Homework[];
  /** Guidance sessions logged, by gathering they followed and organisation. */
  guidance: { after: number; organisationId: string; held: boolean }[];
  open: OpenStep[];
}

/** The cohort's timings; dates of the gatherings come with the cohort, these durations from the programme. */
export interface CohortSettings {
  /** How long before a gathering every member is reminded ("P7D"). */
  reminderBefore: string;
  /** Homework is due this long before the next gathering ("P7D"). */
  homeworkDueBefore: string;
  /** A form waits this long before each reminder. */
  formReminderAfter: string;
  formReminders: number;
}

export const DEFAULT_COHORT_SETTINGS: CohortSettings = {
  reminderBefore: 'P7D',
  homeworkDueBefore: 'P7D',
  formReminderAfter: 'P7D',
  formReminders: 1,
};

/** The member organisations' forms, by the part they play. */
export const COHORT_FORMS = {
  enrolment: 'network-enrolment',
  evaluation: 'gathering-evaluation',
  homework: 'network-homework',
  guidance: 'guidance-log',
  finalEvaluation: 'network-final-evaluation',
} as const;

/** An organisation enrols through the public form; the answers are stored by the cohort's activity. */
export const enrolOrganisation = defineUpdate<{ organisationId: string }, [FormSubmission]>(
  'enrolOrganisation',
);
export const decideEnrolment = defineUpdate<
  void,
  [{ organisationId: string; decision: 'approve' | 'decline'; reason: string; by: Actor }]
>('decideEnrolment');
export const withdrawOrganisation = defineUpdate<
  void,
  [{ organisationId: string; reason: string; by: Actor }]
>('withdrawOrganisation');
/** The coordinator moves a gathering that has not begun; the cohort's timers move with it. */
export const moveGathering = defineUpdate<
  void,
  [{ number: number; date: string; place: string; reason: string; by: Actor }]
>('moveGathering');
export const recordAttendance = defineUpdate<void, [{ number: number; present: string[]; by: Actor }]>(
  'recordAttendance',
);
export const cohortStatus = defineQuery<CohortStatus>('cohortStatus');
