/** The messages of a mentor's workflow (workflows/mentor.ts); it shares the application's in messages.ts. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ApplicationReceipt } from './messages.js';

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

/** Where the mentor stands, for the CLI; pages read what the workflow published in its memo. */
export const mentorStatus = defineQuery<MentorStatus>('mentorStatus');
export const assignMentee = defineUpdate<void, [MenteeAssignment]>('assignMentee');
/** From a relationship to its mentor's workflow (or back, when the assignment came too late): capacity frees up. */
export const relationshipEnded = defineSignal<[{ relationshipId: string }]>('relationshipEnded');
