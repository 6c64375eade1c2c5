/**
 * The baselines of the benchmarks: workflows that do nothing, so what is measured against them is
 * Temporal's own cost on this machine and dev server (a start, an Update) and nothing of the app's.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const ping = defineUpdate<string, [string]>('ping');
export const finish = defineUpdate<void, []>('finish');

/** Answers `ping` at once, for as long as it is not told to finish. */
export async function trivialWorkflow(): Promise<void> {
  let done = false;
  setHandler(ping, (value) => value);
  setHandler(finish, () => {
    done = true;
  });
  await condition(() => done);
}
