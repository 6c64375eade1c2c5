/**
 * Whether a workflow id names a participant's workflow of one programme: `<kind>-<programme>-<uuid>`.
 * Compared exactly, never by prefix: one programme's id may begin another's (`e2e` and `e2e-one`), and
 * `mentor-e2e-` also begins `mentor-e2e-one-…`. The participant part is a whole UUID, so the programme
 * part is what remains, and it must equal the programme's id.
 */
const PARTICIPANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ParticipantWorkflowKind = 'relationship' | 'mentor';

export function isWorkflowOf(kind: ParticipantWorkflowKind, programId: string, workflowId: string): boolean {
  const prefix = `${kind}-${programId}-`;
  return workflowId.startsWith(prefix) && PARTICIPANT_ID.test(workflowId.slice(prefix.length));
}
