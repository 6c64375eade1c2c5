/**
 * A few seconds' memory of what pages read again and again, in each API process:
 *
 * - `programmes`: what is the same for everyone of a programme and many open at once: the programme's
 *   row behind its pages and the public application form's page, when a launch email sends hundreds to
 *   it in the same minute;
 * - `linkedStatuses`: the status a workflow published (its open steps), which a form page from an emailed
 *   link reads when it is opened, reloaded and sent, instead of asking Temporal each time;
 * - `formVersions`: the form versions those pages render, which never change once saved (ten minutes).
 *
 * An entry lives a few seconds. A change made through this process forgets what it touched at once: a
 * participant's answer or action the statuses of that workflow, a request of the admin pages or the
 * integration API everything. Another process's entries age out within the same seconds. Nothing relies
 * on an entry to decide: what is sent is checked afresh (the workflow's validator, the programme's row),
 * so a page shown from an entry a moment old at worst leads to a page that says what changed.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

/** How long a programme's row and its public application form's page are kept. */
export const PUBLIC_PAGE_MS = 5_000;
/** How long a workflow's published status is kept for its form links. */
export const LINKED_STATUS_MS = 3_000;

export class ShortMemory {
  readonly #entries: LRUCache<string, { value: unknown }>;
  readonly #ms: number;
  readonly #now: () => number;

  /** `now` is the clock, for tests. */
  constructor(ms: number, max: number, now: () => number = Date.now) {
    this.#ms = ms;
    this.#now = now;
    this.#entries = new LRUCache({ max, ttl: ms, ttlResolution: 0, perf: { now } });
  }

  /**
   * The entry under `key`, made by `make` when there is none (or it aged out). `until` (ms since the
   * epoch) keeps a value no longer than a moment it knows it changes at; 0 keeps it not at all. A kept
   * value that is not `usable` for this caller is made afresh (and kept in its place).
   */
  async get<T>(
    key: string,
    make: () => Promise<T>,
    { until, usable }: { until?: (value: T) => number | undefined; usable?: (value: T) => unknown } = {},
  ): Promise<T> {
    const kept = this.#entries.get(key);
    if (kept && (!usable || usable(kept.value as T))) return kept.value as T;
    const value = await make();
    const ttl = Math.min(this.#ms, (until?.(value) ?? Infinity) - this.#now());
    if (ttl >= 1) this.#entries.set(key, { value }, { ttl });
    else this.#entries.delete(key);
    return value;
  }

  forget(key?: string): void {
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }
}

export interface Memory {
  programmes: ShortMemory;
  linkedStatuses: ShortMemory;
  formVersions: ShortMemory;
}

declare module 'fastify' {
  interface FastifyInstance {
    memory: Memory;
  }
}

export const shortMemory = fp(async (app: FastifyInstance) => {
  app.decorate('memory', {
    programmes: new ShortMemory(PUBLIC_PAGE_MS, 1_000),
    // A status is a few kilobytes; ten thousand is a launch day's links, and well under 100 MB.
    linkedStatuses: new ShortMemory(LINKED_STATUS_MS, 10_000),
    // A saved form version never changes: kept longer, a programme's few forms in a few versions each.
    formVersions: new ShortMemory(10 * 60_000, 1_000),
  } satisfies Memory);
});

/** For the route groups that change programmes and workflows: any request that may have changed one forgets all. */
export function forgetOnChange(app: FastifyInstance): void {
  app.addHook('onSend', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    app.memory.programmes.forget();
    app.memory.linkedStatuses.forget();
  });
}
