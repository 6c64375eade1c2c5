/**
 * The built-in forms, each in its newest version (what a new relationship pins), and the earlier versions
 * the code still knows: an old submission always renders with the version it was made against.
 */
import type { FormDefinition } from './definition.js';
import { addressConfirmation } from './address-confirmation.js';
import { managerEndorsement } from './manager-endorsement.js';
import { menteeApplication } from './mentee-application.js';
import { mentorApplication } from './mentor-application.js';
import { mentoringAgreement, mentoringAgreementV1 } from './mentoring-agreement.js';
import { finalEvaluation, fitCheck, meetingLog, midpointFeedback } from './meeting-phase.js';
import { learningNetworkForms } from './learning-network.js';

export const allForms: FormDefinition[] = [
  menteeApplication,
  mentorApplication,
  addressConfirmation,
  managerEndorsement,
  mentoringAgreement,
  meetingLog,
  fitCheck,
  midpointFeedback,
  finalEvaluation,
  ...learningNetworkForms,
];
/** Earlier versions of built-in forms, which relationships that pinned them still ask. */
export const earlierForms: FormDefinition[] = [mentoringAgreementV1];
const byKey = new Map([...allForms, ...earlierForms].map((f) => [`${f.id}@${f.version}`, f]));

export function findForm(id: string, version: number): FormDefinition | undefined {
  return byKey.get(`${id}@${version}`);
}
