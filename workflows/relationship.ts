/**
 * One mentoring relationship, seen from the mentee (DOMAIN.md): application → the manager's
 * endorsement → interview → matching → kickoff → meetings → mid-point → closure. The phases up to
 * matching run today; the later ones arrive as the workflow grows.
 */
import {
  condition,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities } from './activities.js';
import { FormSteps } from './form-steps.js';
import { Intake } from './intake.js';
import {
  mentorAssigned,
  relationshipEnded,
  relationshipStatus,
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
const FORMS = {
  managerEndorsement: { id: 'manager-endorsement', version: 1 },
  agreement: { id: 'mentoring-agreement', version: 1 },
} as const;

export async function relationshipWorkflow({
  programId,
  participantId,
  settings,
}: RelationshipInput): Promise<RelationshipOutcome> {
  const wf = workflowInfo().workflowId;
  const status: RelationshipStatus = { programId, phase: 'application', waitingFor: 'participant', open: [] };

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
  const intake = new Intake(programId, participantId, 'mentee');
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
    if (status.mentor) {
      await getExternalWorkflowHandle(status.mentor.mentorWorkflowId).signal(relationshipEnded, {
        relationshipId: wf,
      });
    }
    enter('closed', 'nobody');
    return outcome;
  }

  setHandler(relationshipStatus, () => ({ ...status, open: steps.list() }));
  setHandler(mentorAssigned, (assigned) => {
    if (status.phase === 'matching' && !status.mentor) status.mentor = assigned;
    // Too late (the relationship ended or already has a mentor): hand the mentor's capacity back.
    else
      void getExternalWorkflowHandle(assigned.mentorWorkflowId).signal(relationshipEnded, {
        relationshipId: wf,
      });
  });
  // Application
  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  enter('application', 'participant');
  status.application = await intake.received();
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
  const interviewed = intake.interview(); // open from the moment the phase says so
  await tellCoordinator('interview/due', 'coordinator-interview-due');
  const interview = await interviewed;
  if (interview.outcome === 'declined') {
    await activities.sendEmail({
      key: `${wf}/interview/declined`,
      template: 'application-declined',
      to: mentee,
      programId,
      data: { reason: interview.reason },
    });
    return close('declined');
  }
  await tellMentee('interview/accepted', 'interview-accepted');

  // Matching: the coordinator (or, later, the programme round) assigns a mentor through the mentor's workflow.
  enter('matching', 'coordinator');
  await condition(() => status.mentor !== undefined);
  const mentor = { participantId: status.mentor!.mentorParticipantId };
  await Promise.all([
    activities.sendEmail({
      key: `${wf}/matching/mentor-found`,
      template: 'mentee-matched',
      to: mentee,
      counterpart: mentor.participantId,
      programId,
      links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } },
    }),
    activities.sendEmail({
      key: `${wf}/matching/mentee-found`,
      template: 'mentor-matched',
      to: mentor,
      counterpart: participantId,
      programId,
    }),
  ]);

  // Kickoff: a mutual, binding agreement that both sign.
  enter('kickoff', 'participant');
  const agreement = (role: 'mentee' | 'mentor') =>
    steps.run({
      id: `agreement/${role}`,
      role,
      to: role === 'mentee' ? { participantId } : mentor,
      form: FORMS.agreement,
      invitation: 'agreement-request',
      title: 'Your mentoring agreement',
    });
  const signatures = await Promise.all([agreement('mentee'), agreement('mentor')]);
  if (signatures.some((s) => s.kind === 'ended')) return close('ended-by-coordinator');

  // Meetings, mid-point and closure follow (the rest of the relationship issue).
  enter('meetings', 'nobody');
  await condition(() => false);
  return close('completed');
}
