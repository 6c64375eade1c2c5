/**
 * A mentor's journey (DOMAIN.md): application → interview → the pool with free capacity → assigned to
 * relationships, with capacity freed when a relationship ends. The workflow is the one place that
 * knows how many mentees a mentor has, so an assignment over capacity is refused by its validator.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities } from './activities.js';
import { Intake } from './intake.js';
import {
  assignMentee,
  mentorAssigned,
  mentorStatus,
  relationshipEnded,
  type MentorPhase,
  type MentorStatus,
} from './messages.js';
import type { ProgramSettings } from './program-settings.js';
import { enterPhase } from './phase.js';
import { ProgramId } from './search-attributes.js';
import { publishStatus } from './published-status.js';
import { refuse, Refusal } from './refusals.js';
import { isWorkflowOf } from './ids.js';

export interface MentorInput {
  programId: string;
  participantId: string;
  settings: ProgramSettings;
  /** Set when the workflow continues as new from the pool: what the previous run knew. */
  pool?: Pick<MentorStatus, 'capacity' | 'relationships' | 'application'>;
}

export async function mentorWorkflow(input: MentorInput): Promise<'declined' | 'closed'> {
  const { programId, participantId } = input;
  const wf = workflowInfo().workflowId;
  const status: MentorStatus = {
    programId,
    phase: 'application',
    waitingFor: 'participant',
    capacity: input.pool?.capacity ?? 0,
    relationships: [...(input.pool?.relationships ?? [])],
    application: input.pool?.application,
  };
  const enter = (phase: MentorPhase, waitingFor: MentorStatus['waitingFor']) =>
    enterPhase(status, phase, waitingFor);
  const mentor = { participantId };
  const email = (
    key: string,
    template: string,
    to: 'mentor' | 'coordinator',
    data?: Record<string, string>,
  ) =>
    activities.sendEmail({
      key: `${wf}/${key}`,
      template,
      to: to === 'mentor' ? mentor : { coordinatorOf: programId },
      programId,
      data,
      adminPaths: { programUrl: `admin/programs/${programId}` },
    });

  publishStatus(mentorStatus, () => status);
  setHandler(
    assignMentee,
    async ({ relationshipId }) => {
      status.relationships.push(relationshipId);
      await getExternalWorkflowHandle(relationshipId).signal(mentorAssigned, {
        mentorWorkflowId: wf,
        mentorParticipantId: participantId,
      });
    },
    {
      validator: ({ relationshipId, by }) => {
        // A mentor mentors in their own programme only, whatever page or round sent the assignment.
        if (!isWorkflowOf('relationship', programId, relationshipId))
          refuse(Refusal.notInProgramme, `${relationshipId} is not a mentee of programme ${programId}`);
        if (status.phase !== 'pool') refuse(Refusal.mentorNotInPool, 'this mentor is not in the pool');
        if (status.relationships.includes(relationshipId))
          refuse(Refusal.alreadyAssigned, 'already assigned to this relationship');
        if (status.relationships.length >= status.capacity)
          refuse(Refusal.mentorFull, 'this mentor has no free capacity');
        if (!by?.userId) refuse(Refusal.noActor, 'an assignment must say who made it');
      },
    },
  );
  setHandler(relationshipEnded, ({ relationshipId }) => {
    status.relationships = status.relationships.filter((id) => id !== relationshipId);
  });

  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  if (!input.pool) {
    const intake = new Intake(programId, participantId, 'mentor');
    enter('application', 'participant');
    status.application = await intake.received();
    status.capacity = Math.max(1, Number(intake.answers.capacity) || 1);
    await Promise.all([
      email('application/confirmation', 'mentor-application-received', 'mentor'),
      email('application/coordinator-notice', 'coordinator-new-mentor', 'coordinator'),
    ]);
    enter('interview', 'coordinator');
    const interview = await intake.interview();
    if (interview.outcome === 'declined') {
      await email('interview/declined', 'mentor-declined', 'mentor', { reason: interview.reason });
      enter('closed', 'nobody');
      return 'declined';
    }
    await email('interview/accepted', 'mentor-accepted', 'mentor');
  }

  // In the pool until the programme closes it; the history is handed to a new run before it grows large.
  enter('pool', 'nobody');
  await condition(() => workflowInfo().continueAsNewSuggested);
  // An assignment still signalling its relationship finishes before the run hands over.
  await condition(allHandlersFinished);
  return continueAsNew<typeof mentorWorkflow>({
    ...input,
    pool: { capacity: status.capacity, relationships: status.relationships, application: status.application },
  });
}
