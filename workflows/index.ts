export { relationshipWorkflow } from './relationship.js';
export { mentorWorkflow } from './mentor.js';
export { programRoundWorkflow } from './round.js';
