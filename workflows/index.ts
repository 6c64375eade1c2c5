export { relationshipWorkflow } from './relationship.js';
export { mentorWorkflow } from './mentor.js';
export { programRoundWorkflow } from './round.js';
export { retentionSweepWorkflow } from './retention.js';
export { dataExportWorkflow } from './data-export.js';
export { invitationsWorkflow } from './invitations.js';
export { historyArchiveWorkflow } from './archive.js';
export { cohortWorkflow } from './cohort.js';
import './versioning.js';
