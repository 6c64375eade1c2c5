/**
 * The start of every relationship: the mentee's application, the daily manager's endorsement (once the
 * applicant has confirmed the address was theirs), and the interview with the coordinator, who accepts
 * the mentee into matching or declines with a reason the mentee is told.
 */
import { patched } from '@temporalio/workflow';
import { activities } from '../activities.js';
import type { RelationshipOutcome } from '../messages.js';
import { ADDRESS_FIRST, DECLINED_RECORDED } from '../patches.js';
import type { Endings } from './endings.js';
import type { RelationshipState } from './state.js';

/** Application, endorsement and interview; returns the outcome when the relationship ends here. */
export async function applicationToInterview(
  r: RelationshipState,
  endings: Endings,
): Promise<RelationshipOutcome | undefined> {
  const { status, steps, intake, settings, mentee, participantId, programId, wf } = r;
  const forms = r.forms;
  r.enter('application', 'participant');
  status.application = await intake.received();
  await Promise.all([
    r.tellMentee('application/confirmation', 'application-received'),
    r.tellCoordinator('application/coordinator-notice', 'coordinator-new-application'),
  ]);

  // The daily manager's endorsement, once the applicant has confirmed the address was theirs
  if (settings.managerEndorsement) {
    if (settings.confirmAddress !== false && patched(ADDRESS_FIRST)) {
      const confirmed = await steps.run({
        id: 'address-confirmation',
        role: 'mentee',
        to: mentee,
        form: forms.addressConfirmation,
        invitation: 'address-confirmation',
        title: 'Confirm your application',
      });
      if (confirmed.kind === 'ended') return endings.endedThroughStep();
    }
    r.enter('endorsement', 'participant');
    const endorsement = await steps.run({
      id: 'endorsement',
      role: 'manager',
      to: { managerOf: participantId },
      form: forms.managerEndorsement,
      invitation: 'endorsement-request',
      title: 'Endorsement of a mentoring application',
    });
    if (endorsement.kind === 'ended') return endings.endedThroughStep();
    // A manager who does not endorse does not end the application: the coordinator weighs it at the interview.
    status.endorsed = endorsement.kind === 'answered' ? endorsement.answers.endorse === 'yes' : undefined;
  }

  // Interview with the coordinator
  r.enter('interview', 'coordinator');
  const interviewed = intake.interview(); // open from the moment the phase says so
  await r.tellCoordinator('interview/due', 'coordinator-interview-due');
  const interview = await interviewed;
  if (interview.outcome === 'declined') {
    await activities.sendEmail({
      key: `${wf}/interview/declined`,
      template: 'application-declined',
      to: mentee,
      programId,
      data: { reason: interview.reason },
    });
    if (patched(DECLINED_RECORDED))
      await activities.recordOutcome({
        programId,
        outcome: 'declined',
        meetingsPlanned: 0,
        meetingsHeld: 0,
      });
    return endings.close('declined');
  }
  await r.tellMentee('interview/accepted', 'interview-accepted');
  return undefined;
}
