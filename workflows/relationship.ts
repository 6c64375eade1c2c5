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
import type { SendEmailInput } from '../activities/email.js';
import { activities } from './activities.js';
import { addDuration, durationMs } from './durations.js';
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
  meetingLog: { id: 'meeting-log', version: 1 },
  fitCheck: { id: 'fit-check', version: 1 },
  midpoint: { id: 'midpoint-feedback', version: 1 },
  finalEvaluation: { id: 'final-evaluation', version: 1 },
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

  // Matching, kickoff and meetings. A no-fault rematch after the first meeting starts a new pairing.
  for (let pairing = 1; ; pairing++) {
    const p = `pairing-${pairing}`;
    enter('matching', 'coordinator');
    await condition(() => status.mentor !== undefined);
    const mentor = { participantId: status.mentor!.mentorParticipantId };
    const both = [
      { role: 'mentee', to: mentee, other: mentor.participantId },
      { role: 'mentor', to: mentor, other: participantId },
    ] as const;
    const toBoth = (step: string, template: string, extra: Partial<SendEmailInput> = {}) =>
      Promise.all(
        both.map(({ role, to }) =>
          activities.sendEmail({
            key: `${wf}/${p}/${step}/${role}`,
            template: `${template}`,
            to,
            programId,
            ...extra,
          }),
        ),
      );
    const askBoth = (
      step: string,
      form: { id: string; version: number },
      invitation: string,
      title: string,
    ) =>
      both.map(({ role, to }) =>
        steps.run({ id: `${p}/${step}/${role}`, role, to, form, invitation, title }),
      );

    await Promise.all(
      both.map(({ role, to, other }) =>
        activities.sendEmail({
          key: `${wf}/${p}/matching/${role}`,
          template: role === 'mentee' ? 'mentee-matched' : 'mentor-matched',
          to,
          counterpart: other,
          programId,
          ...(role === 'mentee'
            ? { links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } } }
            : {}),
        }),
      ),
    );

    // Kickoff: a mutual, binding agreement that both sign.
    enter('kickoff', 'participant');
    const signatures = await Promise.all(
      askBoth('agreement', FORMS.agreement, 'agreement-request', 'Your mentoring agreement'),
    );
    if (signatures.some((o) => o.kind === 'ended')) return close('ended-by-coordinator');

    // Meetings on the programme's cadence, each announced with a calendar invitation and logged after.
    enter('meetings', 'nobody');
    const kickoff = new Date();
    const end = addDuration(kickoff, settings.duration);
    const dates: Date[] = [];
    for (let i = 1; addDuration(kickoff, settings.meetingCadence, i) <= end; i++)
      dates.push(addDuration(kickoff, settings.meetingCadence, i));
    const meetings = { number: 0, planned: dates.length, held: 0 };
    status.meetings = meetings;
    let rematch = false;
    const interrupted = () => rematch || steps.ended !== undefined;
    const until = async (at: Date) => {
      const ms = at.getTime() - Date.now();
      if (ms > 0) await condition(interrupted, ms);
    };
    const midpoint = Math.ceil(dates.length / 2);
    for (const [index, at] of dates.entries()) {
      const n = index + 1;
      await until(new Date(at.getTime() - durationMs(settings.meetingReminderBefore, at)));
      if (interrupted()) break;
      meetings.number = n;
      await toBoth(`meeting-${n}/reminder`, 'meeting-reminder', {
        data: { meetingNumber: n, meetingsPlanned: dates.length },
        meeting: { start: at.toISOString(), minutes: 60, title: 'Mentoring meeting' },
      });
      await until(at);
      if (interrupted()) break;
      // Logs, the fit check and the mid-point run beside the schedule: a late answer never delays a meeting.
      void steps
        .run({
          id: `${p}/meeting-${n}/log`,
          role: 'mentee',
          to: mentee,
          form: FORMS.meetingLog,
          invitation: 'form-invitation',
          title: `Log of meeting ${n}`,
        })
        .then((o) => {
          if (o.kind === 'answered' && o.answers.held === 'yes') meetings.held++;
        });
      if (n === 1) {
        for (const check of askBoth(
          'fit-check',
          FORMS.fitCheck,
          'form-invitation',
          'How is your mentoring pair working?',
        )) {
          void check.then((o) => {
            if (o.kind === 'answered' && o.answers.choice === 'rematch') rematch = true;
          });
        }
      }
      if (n === midpoint) {
        askBoth('midpoint', FORMS.midpoint, 'form-invitation', 'Mid-point feedback');
        await tellCoordinator(`${p}/midpoint/coordinator`, 'coordinator-midpoint');
      }
    }
    if (steps.ended) return close('ended-by-coordinator');
    if (rematch) {
      steps.closeAll();
      await getExternalWorkflowHandle(status.mentor!.mentorWorkflowId).signal(relationshipEnded, {
        relationshipId: wf,
      });
      status.mentor = undefined;
      status.meetings = undefined;
      await toBoth('rematch', 'pair-ended-no-fault');
      continue;
    }

    // Formal closure: a final evaluation from both, then a closing summary to both.
    enter('closure', 'participant');
    const evaluations = await Promise.all(
      askBoth('final-evaluation', FORMS.finalEvaluation, 'form-invitation', 'Final evaluation'),
    );
    if (evaluations.some((o) => o.kind === 'ended')) return close('ended-by-coordinator');
    steps.closeAll();
    await activities.recordOutcome({
      programId,
      outcome: 'completed',
      meetingsPlanned: meetings.planned,
      meetingsHeld: meetings.held,
    });
    await toBoth('closure/summary', 'closing-summary', {
      data: { meetingsPlanned: meetings.planned, meetingsHeld: meetings.held },
    });
    return close('completed');
  }
}
