/**
 * A workflow's refusal in the reader's words: the failure type its validator threw (workflows/refusals.ts)
 * names a catalogue text; a type the catalogue does not know reads as a general refusal, never as the
 * English message meant for logs.
 */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TFunction } from 'i18next';

export function refusalType(err: unknown): string | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

export function refusalText(t: TFunction, err: unknown): string {
  const type = refusalType(err);
  return t(`refusal.${type ?? 'unknown'}`, { defaultValue: t('refusal.unknown') });
}
