/** The messages of one mentee's relationship (workflows/relationship.ts); it shares the form steps' in ../messages.ts. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ApplicationReceipt, OpenStep } from '../messages.js';
import type { ProgramSettings } from '../program-settings.js';

/**
 * A relationship's phases in the order it goes through them: the application, the daily manager's
 * endorsement, the interview with the coordinator, matching with a mentor, the kickoff agreement, the
 * meetings, the formal closure, and closed (completed, declined or ended early).
 */
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
  /**
   * During the meetings: which meeting is next or under way, of how many, and how many logs say held;
   * `next` is the meeting `nextAt` is the time of (either of the pair may move or cancel it until then),
   * `moved` and `cancelled` count what the pair changed.
   */
  meetings?: {
    number: number;
    planned: number;
    held: number;
    nextAt?: string;
    next?: number;
    moved?: number;
    cancelled?: number;
    /** Who of the pair has confirmed the next meeting (since it was last moved). */
    confirmed?: ('mentee' | 'mentor')[];
    /** Meetings that took place in the schedule without being held: a log said so, or none came in time. */
    missed?: number;
  };
  /** Set while the relationship is paused; the meeting schedule moves on by the time paused. */
  paused?: { since: string; reason: string };
  outcome?: RelationshipOutcome;
}

export interface MentorAssigned {
  mentorWorkflowId: string;
  mentorParticipantId: string;
}

/**
 * The status Queries, for the CLI and for workflows that have not published their status yet; pages,
 * activities and lists read what the workflow published in its memo (services/workflow-status.ts).
 */
export const relationshipStatus = defineQuery<RelationshipStatus>('relationshipStatus');
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
/** From a mentor's workflow to the relationship it was assigned to. */
export const mentorAssigned = defineSignal<[MentorAssigned]>('mentorAssigned');

/** Either of the pair changes the next meeting, through the link in its invitation; who asks comes along. */
export interface MeetingChange {
  meeting: number;
  role: 'mentee' | 'mentor';
  participantId: string;
}
/** The meeting moves to `start` (ISO); both get its calendar entry again, the same event updated. */
export const moveMeeting = defineUpdate<void, [MeetingChange & { start: string }]>('moveMeeting');
/** The meeting does not take place; both get the entry's cancellation, and may move the next one. */
export const cancelMeeting = defineUpdate<void, [MeetingChange]>('cancelMeeting');
/** One of the pair says they will be there; the meeting's page shows it to both. */
export const confirmMeeting = defineUpdate<void, [MeetingChange]>('confirmMeeting');
