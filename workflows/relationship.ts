/**
 * One mentoring relationship, seen from the mentee: application → endorsement → interview → matching
 * → kickoff → meetings → mid-point → closure (DOMAIN.md). This first slice covers the application;
 * the later phases arrive as the workflow grows.
 */
import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';
import {
  ALREADY_APPLIED,
  relationshipStatus,
  submitApplication,
  type ApplicationReceipt,
  type RelationshipPhase,
  type RelationshipStatus,
} from './messages.js';
import { Phase, ProgramId, WaitingFor } from './search-attributes.js';

export interface RelationshipInput {
  programId: string;
  /** Random id of the mentee; never a name or an address. */
  participantId: string;
}

export async function relationshipWorkflow({ programId, participantId }: RelationshipInput): Promise<void> {
  const status: RelationshipStatus = { programId, phase: 'application', waitingFor: 'participant' };
  let applicationTaken = false;

  function enter(phase: RelationshipPhase, waitingFor: RelationshipStatus['waitingFor']) {
    status.phase = phase;
    status.waitingFor = waitingFor;
    upsertSearchAttributes([
      { key: Phase, value: phase },
      { key: WaitingFor, value: waitingFor },
    ]);
  }

  setHandler(relationshipStatus, () => status);
  setHandler(
    submitApplication,
    async (submission): Promise<ApplicationReceipt> => {
      applicationTaken = true;
      const receipt = await activities.recordApplication({
        ...submission,
        programId,
        participantId,
        role: 'mentee',
      });
      status.application = receipt;
      return receipt;
    },
    {
      validator: (_submission) => {
        // Only a different submission reaches this: the same one is deduplicated by its Update ID.
        if (applicationTaken) throw new Error(ALREADY_APPLIED);
      },
    },
  );

  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  enter('application', 'participant');
  await condition(() => status.application !== undefined);

  const wf = workflowInfo().workflowId;
  await Promise.all([
    activities.sendEmail({
      key: `${wf}/application/confirmation`,
      template: 'application-received',
      to: { participantId },
      programId,
      links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } },
    }),
    activities.sendEmail({
      key: `${wf}/application/coordinator-notice`,
      template: 'coordinator-new-application',
      to: { coordinatorOf: programId },
      programId,
      adminPaths: { applicationsUrl: `admin/programs/${programId}` },
    }),
  ]);

  // The coordinator reads the application next; the endorsement and interview steps come with the
  // relationship issue, and until then the workflow waits here.
  enter('interview', 'coordinator');
  await condition(() => false);
}
