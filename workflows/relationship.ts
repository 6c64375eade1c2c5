/**
 * One mentoring relationship, seen from the mentee (DOMAIN.md): application → the manager's
 * endorsement → interview → matching → kickoff → meetings → mid-point → closure. The phases up to
 * matching run today; the later ones arrive as the workflow grows.
 */
import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities.js';
import { FormSteps } from './form-steps.js';
import {
  ALREADY_APPLIED,
  recordInterview,
  relationshipStatus,
  submitApplication,
  type ApplicationReceipt,
  type InterviewRecord,
  type RelationshipOutcome,
  type RelationshipPhase,
  type RelationshipStatus,
} from './messages.js';
import type { ProgramSettings } from './program-settings.js';
import { Phase, ProgramId, WaitingFor } from './search-attributes.js';

export interface RelationshipInput {
  programId: string;
  /** Random id of the mentee; never a name or an address. */
  participantId: string;
  /** The programme's settings when the mentee applied; changes later do not reach running relationships. */
  settings: ProgramSettings;
}

/** Form versions this workflow pins; a new version is a code change, made with `patched()`. */
const FORMS = { managerEndorsement: { id: 'manager-endorsement', version: 1 } } as const;

export async function relationshipWorkflow({
  programId,
  participantId,
  settings,
}: RelationshipInput): Promise<RelationshipOutcome> {
  const wf = workflowInfo().workflowId;
  const status: RelationshipStatus = { programId, phase: 'application', waitingFor: 'participant', open: [] };
  let applicationTaken = false;
  let interview: InterviewRecord | undefined;

  function enter(phase: RelationshipPhase, waitingFor: RelationshipStatus['waitingFor']) {
    status.phase = phase;
    waiting(waitingFor);
  }
  function waiting(waitingFor: RelationshipStatus['waitingFor']) {
    status.waitingFor = waitingFor;
    upsertSearchAttributes([
      { key: Phase, value: status.phase },
      { key: WaitingFor, value: waitingFor },
    ]);
  }
  const steps = new FormSteps(programId, settings, waiting);
  const mentee = { participantId };
  const tellMentee = (key: string, template: string, withStatusLink = true) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: mentee,
      programId,
      ...(withStatusLink ? { links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } } } : {}),
    });
  const tellCoordinator = (key: string, template: string) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: { coordinatorOf: programId },
      programId,
      adminPaths: { programUrl: `admin/programs/${programId}` },
    });
  async function close(outcome: RelationshipOutcome): Promise<RelationshipOutcome> {
    status.outcome = outcome;
    enter('closed', 'nobody');
    return outcome;
  }

  setHandler(relationshipStatus, () => ({ ...status, open: steps.list() }));
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
  setHandler(
    recordInterview,
    (record) => {
      interview = record;
    },
    {
      validator: (record) => {
        if (status.phase !== 'interview' || interview)
          throw new Error('no interview is waiting for an outcome');
        if (record.outcome === 'declined' && !record.reason.trim())
          throw new Error('a declined application needs a reason');
        if (!record.by?.userId) throw new Error('an interview record must say who made it');
      },
    },
  );

  // Application
  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  enter('application', 'participant');
  await condition(() => status.application !== undefined);
  await Promise.all([
    tellMentee('application/confirmation', 'application-received'),
    tellCoordinator('application/coordinator-notice', 'coordinator-new-application'),
  ]);

  // The daily manager's endorsement
  if (settings.managerEndorsement) {
    enter('endorsement', 'participant');
    const endorsement = await steps.run({
      id: 'endorsement',
      role: 'manager',
      to: { managerOf: participantId },
      form: FORMS.managerEndorsement,
      invitation: 'endorsement-request',
      title: 'Endorsement of a mentoring application',
    });
    if (endorsement.kind === 'ended') return close('ended-by-coordinator');
    // A manager who does not endorse does not end the application: the coordinator weighs it at the interview.
    status.endorsed = endorsement.kind === 'answered' ? endorsement.answers.endorse === 'yes' : undefined;
  }

  // Interview with the coordinator
  enter('interview', 'coordinator');
  await tellCoordinator('interview/due', 'coordinator-interview-due');
  await condition(() => interview !== undefined);
  if (interview!.outcome === 'declined') {
    await activities.sendEmail({
      key: `${wf}/interview/declined`,
      template: 'application-declined',
      to: mentee,
      programId,
      data: { reason: interview!.reason },
    });
    return close('declined');
  }
  await tellMentee('interview/accepted', 'interview-accepted');

  // Matching: the programme round or the coordinator pairs the mentee with a mentor (next issue).
  enter('matching', 'coordinator');
  await condition(() => false);
  return close('completed');
}
