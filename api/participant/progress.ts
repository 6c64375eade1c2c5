/** Where a participant is in the programme, shown on every participant page: the phases, and the meeting count. */
import type { RelationshipPhase, RelationshipStatus } from '../../workflows/messages.js';

const PHASES: { phase: RelationshipPhase; label: string }[] = [
  { phase: 'application', label: 'Application' },
  { phase: 'endorsement', label: 'Manager endorsement' },
  { phase: 'interview', label: 'Interview' },
  { phase: 'matching', label: 'Matching' },
  { phase: 'kickoff', label: 'Kickoff' },
  { phase: 'meetings', label: 'Meetings' },
  { phase: 'closure', label: 'Closure' },
];

export function phaseProgress(current: RelationshipPhase) {
  const at = current === 'closed' ? PHASES.length : PHASES.findIndex((p) => p.phase === current);
  return PHASES.map((p, i) => ({
    label: p.label,
    /** The label's catalogue key, for pages shown in the participant's language. */
    key: `phase.${p.phase}`,
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
