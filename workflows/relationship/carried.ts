/**
 * What a relationship starts with, and what one run hands to the next. Two years of meetings would make
 * one long history, so a run hands over to a new one (continue-as-new) at the mid-point of the meetings,
 * and at any meeting once its history grows long or the server suggests it; the next run carries the
 * state and every open form step, and links keep working because they name the workflow, not the run.
 */
import { condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { CarriedSteps } from '../form-steps.js';
import type { RelationshipStatus } from '../messages.js';
import type { ProgramSettings } from '../program-settings.js';
import type { relationshipWorkflow } from '../relationship.js';
import type { FollowUp } from './meetings.js';
import type { MeetingPlan } from './meeting-plan.js';
import type { Pause } from './pause.js';
import type { RelationshipState } from './state.js';

export interface RelationshipInput {
  programId: string;
  /** Random id of the mentee; never a name or an address. */
  participantId: string;
  /** The programme's settings when the mentee applied; changes later do not reach running relationships. */
  settings: ProgramSettings;
  /** Set when an earlier run handed over: where the relationship stands. */
  carried?: CarriedRelationship;
}

/** Everything one run hands to the next; plain data, as it travels through the history. */
export interface CarriedRelationship {
  status: Omit<RelationshipStatus, 'open'>;
  /** The pairing whose meetings are under way. */
  pairing: number;
  /** The schedule's start, the next meeting, and what the logs so far said (held or not). */
  schedule: {
    kickoff: string;
    next: number;
    held: (boolean | null)[];
    /** Meetings the pair moved: their time before pauses (ms), and how often each moved, by number. */
    moved?: Record<number, { at: number; times: number }>;
    cancelled?: number[];
    /** Meetings whose log did not come in time (counted missed unless a late one says held). */
    unlogged?: number[];
    /** The pair's agreed plan, when they agreed one (the programme's otherwise, worked out again). */
    plan?: MeetingPlan;
  };
  pause: { since?: number; ms: number };
  steps: CarriedSteps<FollowUp>;
}

/** A run hands over at the next meeting once its history is this long, well before the server's 4 Ki suggestion. */
const HISTORY_BUDGET = 2_000;

/** The run's history has grown long enough to hand over at this meeting, by its own budget or the server's. */
export function historyLong(): boolean {
  return workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_BUDGET;
}

/**
 * Hands the relationship to a new run once nothing is half-done (`quiet`: no handler running, no step
 * between two states, no answer being followed up, no mentor offer waiting). Only workflows that started
 * with this code do it (patches.ts, HAND_OVER).
 */
export async function handOver(
  r: RelationshipState,
  pause: Pause,
  quiet: () => boolean,
  next: Pick<CarriedRelationship, 'pairing' | 'schedule'>,
  interrupted: () => boolean,
): Promise<'interrupted'> {
  await condition(quiet);
  // What settled while waiting may have been a rematch or an ending: that run finishes here instead.
  if (interrupted()) return 'interrupted';
  const { open: _open, ...rest } = r.status;
  return continueAsNew<typeof relationshipWorkflow>({
    programId: r.programId,
    participantId: r.participantId,
    settings: r.settings,
    carried: {
      ...next,
      status: rest,
      pause: pause.carry(),
      steps: r.steps.carry(),
    },
  });
}
