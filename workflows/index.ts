export { relationshipWorkflow } from './relationship.js';
