/**
 * A workflow's refusal in the reader's words: the failure type its validator threw (workflows/refusals.ts)
 * names a catalogue text; a type the catalogue does not know reads as a general refusal, never as the
 * English message meant for logs.
 */
import { ApplicationFailure } from '@temporalio/client';
import type { TFunction } from 'i18next';

export function refusalType(err: unknown): string | undefined {
  // An Update's failure, or an activity's inside it (a pool too large to match): the first typed cause.
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause)
    if (cause instanceof ApplicationFailure && cause.type) return cause.type;
  return undefined;
}

export function refusalText(t: TFunction, err: unknown): string {
  const type = refusalType(err);
  return t(`refusal.${type ?? 'unknown'}`, { defaultValue: t('refusal.unknown') });
}
