/** Where a workflow is, kept in two places that must agree: its status (for queries) and its search attributes (for lists). */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { Phase, WaitingFor } from './search-attributes.js';

export type WaitingForWhom = 'participant' | 'coordinator' | 'nobody';

export function enterPhase<P extends string>(
  status: { phase: P; waitingFor: WaitingForWhom },
  phase: P,
  waitingFor: WaitingForWhom,
): void {
  status.phase = phase;
  status.waitingFor = waitingFor;
  upsertSearchAttributes([
    { key: Phase, value: phase },
    { key: WaitingFor, value: waitingFor },
  ]);
}
