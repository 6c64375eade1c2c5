/**
 * A mentor's journey: the mentor applies, saying how many mentees they can take at once; the coordinator
 * interviews them and accepts or declines; an accepted mentor waits in the pool, where the coordinator
 * assigns mentees up to that capacity, and each relationship that ends gives its place back. The workflow
 * is the one place that knows how many mentees a mentor has, so an assignment over capacity is refused
 * by its validator.
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
  recordInterview,
  relationshipEnded,
  submitApplication,
  type MenteeAssignment,
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

  /** A mentor mentors in their own programme only, whatever page or round sent the assignment. */
  function checkAssignment({ relationshipId, by }: MenteeAssignment) {
    if (!isWorkflowOf('relationship', programId, relationshipId))
      refuse(Refusal.notInProgramme, `${relationshipId} is not a mentee of programme ${programId}`);
    if (status.phase !== 'pool') refuse(Refusal.mentorNotInPool, 'this mentor is not in the pool');
    if (status.relationships.includes(relationshipId))
      refuse(Refusal.alreadyAssigned, 'already assigned to this relationship');
    if (status.relationships.length >= status.capacity)
      refuse(Refusal.mentorFull, 'this mentor has no free capacity');
    if (!by?.userId) refuse(Refusal.noActor, 'an assignment must say who made it');
  }
  /** The place is taken here, and the relationship is told who its mentor is. */
  async function assign({ relationshipId }: MenteeAssignment) {
    status.relationships.push(relationshipId);
    try {
      await getExternalWorkflowHandle(relationshipId).signal(mentorAssigned, {
        mentorWorkflowId: wf,
        mentorParticipantId: participantId,
      });
    } catch (err) {
      // The relationship closed meanwhile (or never ran): nobody would ever give this place back.
      status.relationships.splice(status.relationships.indexOf(relationshipId), 1);
      throw err;
    }
  }
  const view = () => status;

  // Every Update, Signal and Query the mentor answers. A message that arrived before this run (the
  // application that started it) is handled the moment its handler is registered, so the order below,
  // the programme's search attribute included, is part of the history: keep it.
  //
  // Where the mentor stands, for the CLI; pages read the same view from the memo.
  setHandler(mentorStatus, view);
  publishStatus(view);
  // The coordinator (a page, or an approved round) assigns a mentee, within the mentor's free capacity.
  setHandler(assignMentee, (assignment) => assign(assignment), {
    validator: (assignment) => checkAssignment(assignment),
  });
  // A relationship of this mentor ended (or could not take the assignment): the place is free again.
  setHandler(relationshipEnded, ({ relationshipId }) => {
    status.relationships = status.relationships.filter((id) => id !== relationshipId);
  });
  upsertSearchAttributes([{ key: ProgramId, value: programId }]);
  // The application (the update-with-start that created this workflow) and the interview's outcome; a
  // run that carries on from the pool has had both, and has no handler for them.
  const intake = input.pool ? undefined : new Intake(programId, participantId, 'mentor');
  if (intake) {
    setHandler(submitApplication, (application) => intake.apply(application), {
      validator: (application) => intake.checkApplication(application),
    });
    setHandler(recordInterview, (record) => intake.recordInterview(record), {
      validator: (record) => intake.checkInterview(record),
    });
  }

  // Application and interview, in the first run only.
  if (intake) {
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
