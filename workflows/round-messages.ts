/** The messages of a programme round (workflows/round.ts). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './messages.js';

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
