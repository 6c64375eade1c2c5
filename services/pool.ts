/**
 * The programme's pool: every mentee accepted at interview and not matched, and every mentor with a
 * free place, whatever round or rolling intake they came through. A mentee whose pair ended returns to
 * it, and a mentor whose pair ended has the place back. Read from what the workflows publish (the
 * visibility store lists phase and status together), names from the database.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  assignMentee,
  mentorStatus,
  relationshipStatus,
  type Actor,
  type MentorStatus,
  type Pair,
  type RelationshipStatus,
} from '../workflows/messages.js';
import { latestRuns, readStatus } from './workflow-status.js';

export interface WaitingMentee {
  workflowId: string;
  /** Since when the mentee waits for a mentor (after the interview, or since the last pair ended). */
  since?: string;
}
export interface FreeMentor {
  workflowId: string;
  capacity: number;
  free: number;
}
export interface ProgramPool {
  mentees: WaitingMentee[];
  mentors: FreeMentor[];
}

/** Who is in the pool now. The programme id was checked against its pattern, so it cannot break the query. */
export async function readPool(client: Client, programId: string): Promise<ProgramPool> {
  const runs = await latestRuns(
    client,
    `ProgramId = '${programId}' AND ExecutionStatus = 'Running' AND Phase IN ('matching', 'pool')`,
  );
  const mentees: WaitingMentee[] = [];
  const mentors: FreeMentor[] = [];
  for (const run of runs) {
    if (run.workflowType === 'relationshipWorkflow' && run.phase === 'matching') {
      const status = run.published as RelationshipStatus | undefined;
      if (status && (status.phase !== 'matching' || status.mentor)) continue;
      mentees.push({ workflowId: run.workflowId, since: status?.matchingSince });
    } else if (run.workflowType === 'mentorWorkflow' && run.phase === 'pool') {
      const status = run.published as MentorStatus | undefined;
      if (!status || status.phase !== 'pool') continue;
      const free = status.capacity - status.relationships.length;
      if (free > 0) mentors.push({ workflowId: run.workflowId, capacity: status.capacity, free });
    }
  }
  const bySince = (a: WaitingMentee, b: WaitingMentee) => (a.since ?? '').localeCompare(b.since ?? '');
  return {
    mentees: mentees.sort(bySince),
    mentors: mentors.sort((a, b) => a.workflowId.localeCompare(b.workflowId)),
  };
}

/** Why a pair could not be made, as a code the page words in the coordinator's language. */
export type PairRefusal = 'mentee-not-waiting' | 'mentor-not-free' | 'not-running';
export type PairResult = { assigned: true } | { assigned: false; refusal: PairRefusal; detail?: string };

/**
 * Gives a mentor their mentee through the mentor's own workflow, whose validator knows the capacity;
 * the mentor's workflow tells the relationship. A mentee who is not waiting for a match is not
 * assigned. The same `updateId` twice (a retried activity, a form sent twice) assigns once.
 */
export async function assignPair(
  client: Client,
  { relationshipId, mentorWorkflowId }: Pair,
  by: Actor,
  updateId: string,
  /** Waits this long for a mentee who is a moment before matching (just accepted at interview). */
  waitForMatching: (phase: string) => Promise<boolean> = async () => false,
): Promise<PairResult> {
  try {
    const handle = client.workflow.getHandle(relationshipId);
    let mentee = await readStatus(handle, relationshipStatus);
    while (
      mentee.running &&
      BEFORE_MATCHING.has(mentee.status.phase) &&
      (await waitForMatching(mentee.status.phase))
    )
      mentee = await readStatus(handle, relationshipStatus);
    // A retry after the assignment went through finds the pair already made.
    if (mentee.status.mentor?.mentorWorkflowId === mentorWorkflowId) return { assigned: true };
    if (!mentee.running || mentee.status.phase !== 'matching' || mentee.status.mentor)
      return { assigned: false, refusal: 'mentee-not-waiting', detail: mentee.status.phase };
    const mentor = await readStatus(client.workflow.getHandle(mentorWorkflowId), mentorStatus);
    if (
      !mentor.running ||
      mentor.status.phase !== 'pool' ||
      mentor.status.relationships.length >= mentor.status.capacity
    )
      return { assigned: false, refusal: 'mentor-not-free' };
    await client.workflow
      .getHandle(mentorWorkflowId)
      .executeUpdate(assignMentee, { updateId, args: [{ relationshipId, by }] });
    return { assigned: true };
  } catch (err) {
    // The mentor's validator has the last word (capacity taken a moment ago, say).
    if (err instanceof WorkflowUpdateFailedError)
      return { assigned: false, refusal: 'mentor-not-free', detail: err.cause?.message ?? err.message };
    if (err instanceof WorkflowNotFoundError) return { assigned: false, refusal: 'not-running' };
    throw err;
  }
}

const BEFORE_MATCHING = new Set(['application', 'endorsement', 'interview']);
