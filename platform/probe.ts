/** How the probes of the API and the worker ask a dependency: it answers within two seconds, or not. */
export const PROBE_DEADLINE_MS = 2_000;

export async function answersWithin(work: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${PROBE_DEADLINE_MS} ms`)),
      PROBE_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([work(), late]);
    return 'ok';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
