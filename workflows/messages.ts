/**
 * Every message a workflow accepts or answers, defined once and imported by both the workflows and the
 * API, so a name or a payload shape cannot drift between them.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ProgramSettings } from './program-settings.js';

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

/** A relationship's phases in the order it goes through them (DOMAIN.md). */
export const RELATIONSHIP_PHASES = [
  'application',
  'endorsement',
  'interview',
  'matching',
  'kickoff',
  'meetings',
  'closure',
  'closed',
] as const;
export type RelationshipPhase = (typeof RELATIONSHIP_PHASES)[number];

export type RelationshipOutcome = 'declined' | 'ended-by-coordinator' | 'ended-org-change' | 'completed';

export interface RelationshipStatus {
  programId: string;
  phase: RelationshipPhase;
  waitingFor: 'participant' | 'coordinator' | 'nobody';
  application?: ApplicationReceipt;
  /** Form steps waiting for an answer, with what the participant and the coordinator need to know. */
  open: OpenStep[];
  endorsed?: boolean;
  mentor?: MentorAssigned;
  /** The timings the relationship runs with: the programme's when the mentee applied. */
  settings?: Omit<ProgramSettings, 'forms'>;
  /** When the mentee last entered matching (after the interview, or after a pair ended): waiting in the pool since. */
  matchingSince?: string;
  /** During the meetings: which meeting is next or under way, of how many, and how many logs say held. */
  meetings?: { number: number; planned: number; held: number; nextAt?: string };
  /** Set while the relationship is paused; the meeting schedule moves on by the time paused. */
  paused?: { since: string; reason: string };
  outcome?: RelationshipOutcome;
}

export type MentorPhase = 'application' | 'interview' | 'pool' | 'closed';

export interface MentorStatus {
  programId: string;
  phase: MentorPhase;
  waitingFor: 'participant' | 'coordinator' | 'nobody';
  application?: ApplicationReceipt;
  /** How many mentees the mentor offered to take at once. */
  capacity: number;
  /** Workflow ids of the relationships this mentor is in now. */
  relationships: string[];
}

/** The coordinator pairs a mentee (by relationship workflow) with this mentor; the mentor's capacity decides. */
export interface MenteeAssignment {
  relationshipId: string;
  by: Actor;
}

export interface MentorAssigned {
  mentorWorkflowId: string;
  mentorParticipantId: string;
}

export const submitApplication = defineUpdate<ApplicationReceipt, [FormSubmission]>('submitApplication');
export const submitStep = defineUpdate<StepReceipt, [StepSubmission]>('submitStep');
export const decideStep = defineUpdate<void, [StepDecision]>('decideStep');
export const recordInterview = defineUpdate<void, [InterviewRecord]>('recordInterview');
/**
 * The status Queries, for the CLI and for workflows that have not published their status yet; pages,
 * activities and lists read what the workflow published in its memo (services/workflow-status.ts).
 */
export const relationshipStatus = defineQuery<RelationshipStatus>('relationshipStatus');
export const mentorStatus = defineQuery<MentorStatus>('mentorStatus');
/** The coordinator ends a relationship at any point; the reason is told to both. */
export const endRelationship = defineUpdate<void, [{ reason: string; by: Actor }]>('endRelationship');
/** An organisational change put mentor and mentee in the same unit or a reporting line: it ends at once. */
export const organisationChanged = defineUpdate<
  void,
  [{ change: 'same-unit' | 'reporting-line'; by: Actor }]
>('organisationChanged');
/**
 * Either of the pair ends it without fault, from their personal status page; `participantId` says who
 * asks, so someone no longer in the pair (a previous mentor) cannot end the one that followed.
 */
export const endWithoutFault = defineUpdate<void, [{ role: 'mentee' | 'mentor'; participantId: string }]>(
  'endWithoutFault',
);
export const pauseRelationship = defineUpdate<void, [{ reason: string; by: Actor }]>('pauseRelationship');
export const resumeRelationship = defineUpdate<void, [{ by: Actor }]>('resumeRelationship');
/** The coordinator ends the pair without fault (it does not work, say) and the mentee goes back to matching. */
export const rematchPair = defineUpdate<void, [{ reason: string; by: Actor }]>('rematchPair');
/** The coordinator sends an open step's link again (lost email, a new address): same step, a fresh link. */
export const resendLink = defineUpdate<void, [{ stepId: string; by: Actor }]>('resendLink');
export const assignMentee = defineUpdate<void, [MenteeAssignment]>('assignMentee');
/** From a mentor's workflow to the relationship it was assigned to. */
export const mentorAssigned = defineSignal<[MentorAssigned]>('mentorAssigned');
/** From a relationship to its mentor's workflow (or back, when the assignment came too late): capacity frees up. */
export const relationshipEnded = defineSignal<[{ relationshipId: string }]>('relationshipEnded');

export type RoundPhase = 'open' | 'matching' | 'approval' | 'notifying' | 'done';

/** A mentee's relationship and the mentor proposed for it, both by workflow id. */
export interface Pair {
  relationshipId: string;
  mentorWorkflowId: string;
}

export interface RoundStatus {
  programId: string;
  round: number;
  phase: RoundPhase;
  waitingFor: 'participant' | 'coordinator' | 'nobody';
  /** Applications close at this time (ISO 8601), or earlier when the places are taken. */
  deadline: string;
  places: number;
  /** Relationship workflows of the mentees admitted, in the order they applied. */
  mentees: string[];
  /** Mentor workflows that applied while this round was open. */
  mentors: string[];
  closedBecause?: 'deadline' | 'full';
  /**
   * The pairs waiting for the coordinator's approval; a new proposal replaces the one before. `runId`
   * names the stored matching run it came from (input, settings, scores); a hand-made one has none.
   */
  proposal?: { pairs: Pair[]; by: Actor; at: string; version: number; runId?: string };
  /** The latest matching run, also when it found no pair to propose. */
  matchingRun?: MatchingRunSummary;
  approvedBy?: Actor;
  assigned: Pair[];
  /** Pairs the mentor's workflow turned down (no free capacity, say), with its reason. */
  refused: { pair: Pair; reason: string }[];
}

/** The rules, weights and objective a matching run uses; unset ones take the defaults of domain/matching/pool.ts. */
export interface MatchingSettings {
  objective?: 'best-total' | 'most-matched';
  rules?: {
    differentUnit?: boolean;
    noReportingLine?: boolean;
    notCoLocated?: boolean;
    levelsAbove?: { min: number; max: number } | null;
    commonLanguage?: boolean;
    notAcquainted?: boolean;
  };
  weights?: { learning?: number; interests?: number; nominated?: number; levelDistance?: number };
  preferredLevelDistance?: number;
}

/** What the round's history keeps of a matching run: ids and figures, no personal data (that stays stored). */
export interface MatchingRunSummary {
  runId: string;
  pairs: Pair[];
  matched: number;
  unmatched: number;
  totalScore: number;
  by: Actor;
  at: string;
}

/** The coordinator asks for a computed proposal: the matching activity runs over the round's pool. */
export const computeProposal = defineUpdate<
  void,
  [{ settings: MatchingSettings; locked: Pair[]; forbidden: Pair[]; by: Actor }]
>('computeProposal');

/** An applicant asks the round for a place before the application is taken; the round decides. */
export const admitApplicant = defineUpdate<void, [{ workflowId: string; role: 'mentee' | 'mentor' }]>(
  'admitApplicant',
);
/** Pairs for the round's mentees, by hand or from the matching; they wait for the coordinator's approval. */
export const proposeMatches = defineUpdate<void, [{ pairs: Pair[]; by: Actor }]>('proposeMatches');
/** The coordinator approves the proposal (each pair is then told) or rejects it for a new one. */
export const decideMatches = defineUpdate<
  void,
  [{ decision: 'approve' | 'reject'; reason: string; by: Actor; version: number }]
>('decideMatches');
export const roundStatus = defineQuery<RoundStatus>('roundStatus');

/** The memo field where a workflow publishes what its status Query answers (workflows/published-status.ts). */
export const STATUS_MEMO = 'status';

/** Validator messages the API recognises and explains to the person. */
export const ALREADY_APPLIED = 'already-applied';
export const STEP_NOT_OPEN = 'step-not-open';
export const STEP_ALREADY_ANSWERED = 'step-already-answered';
export const ROUND_CLOSED = 'round-closed';
export const ROUND_FULL = 'round-full';
