/** Where a participant is in the programme, shown on every participant page: the phases, and the meeting count. */
import {
  RELATIONSHIP_PHASES,
  type RelationshipPhase,
  type RelationshipStatus,
} from '../../workflows/messages.js';

/** The phases a participant sees, in order; their names come from the language catalogues (`phase.*`). */
const PHASES = RELATIONSHIP_PHASES.filter((phase) => phase !== 'closed');

export function phaseProgress(current: RelationshipPhase) {
  const at = current === 'closed' ? PHASES.length : PHASES.indexOf(current);
  return PHASES.map((phase, i) => ({
    key: `phase.${phase}`,
    state: i < at ? 'done' : i === at ? 'current' : 'todo',
  }));
}

/** What a participant page shows of the programme's progress. */
export interface Progress {
  phases: ReturnType<typeof phaseProgress>;
  meetings?: RelationshipStatus['meetings'];
}

export function progressOf(status: Pick<RelationshipStatus, 'phase' | 'meetings'>): Progress {
  return { phases: phaseProgress(status.phase), meetings: status.meetings };
}
