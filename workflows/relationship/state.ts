/**
 * Where one relationship stands, and the two it always writes to (the mentee and the programme's
 * coordinator): what every part of the relationship's story shares.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { SendEmailInput } from '../../activities/email.js';
import { activities } from '../activities.js';
import { FormSteps } from '../form-steps.js';
import { Intake } from '../intake.js';
import type { RelationshipPhase, RelationshipStatus } from '../messages.js';
import { enterPhase, type WaitingForWhom } from '../phase.js';
import { FORM_IDS, type PinnedForms, type ProgramSettings } from '../program-settings.js';
import type { CarriedRelationship, RelationshipInput } from './carried.js';
import type { FollowUp } from './meetings.js';

/** The built-in form versions, for relationships whose settings pin none (those started before pinning). */
const BUILT_IN_FORMS = Object.fromEntries(
  Object.entries(FORM_IDS).map(([part, id]) => [part, { id, version: 1 }]),
) as Required<PinnedForms>;

export class RelationshipState {
  readonly programId: string;
  /** The mentee's random id; never a name or an address. */
  readonly participantId: string;
  readonly settings: ProgramSettings;
  readonly carried: CarriedRelationship | undefined;
  readonly wf = workflowInfo().workflowId;
  /** The versions pinned when the mentee applied: a coordinator's later edit never changes a running relationship. */
  readonly forms: Required<PinnedForms>;
  readonly status: RelationshipStatus;
  /** Every form the relationship asks, with its reminders and escalation. */
  readonly steps: FormSteps<FollowUp>;
  /** The application and the interview. */
  readonly intake: Intake;
  readonly mentee: { participantId: string };

  constructor({ programId, participantId, settings, carried }: RelationshipInput) {
    this.programId = programId;
    this.participantId = participantId;
    this.settings = settings;
    this.carried = carried;
    this.forms = { ...BUILT_IN_FORMS, ...settings.forms };
    this.status = carried
      ? { ...carried.status, open: [] }
      : { programId, phase: 'application', waitingFor: 'participant', open: [] };
    this.steps = new FormSteps<FollowUp>(programId, settings, (who) => this.waiting(who), carried?.steps);
    this.intake = new Intake(programId, participantId, 'mentee', carried?.status.application);
    this.mentee = { participantId };
  }

  /** What the status Query answers and the memo shows: the status, the timings, the open forms. */
  view(): RelationshipStatus {
    const { forms: _pinnedForms, ...timings } = this.settings;
    return { ...this.status, settings: timings, open: this.steps.list() };
  }

  enter(phase: RelationshipPhase, waitingFor: WaitingForWhom): void {
    enterPhase(this.status, phase, waitingFor);
  }

  waiting(waitingFor: WaitingForWhom): void {
    enterPhase(this.status, this.status.phase, waitingFor);
  }

  tellMentee(key: string, template: string, withStatusLink = true) {
    return activities.sendEmail({
      key: `${this.wf}/${key}`,
      template,
      to: this.mentee,
      programId: this.programId,
      ...(withStatusLink ? { links: { statusUrl: { p: 'status', step: 'status', role: 'mentee' } } } : {}),
    });
  }

  tellCoordinator(key: string, template: string, extra: Partial<SendEmailInput> = {}) {
    return activities.sendEmail({
      key: `${this.wf}/${key}`,
      template,
      to: { coordinatorOf: this.programId },
      programId: this.programId,
      adminPaths: { programUrl: `admin/programs/${this.programId}` },
      ...extra,
    });
  }
}
