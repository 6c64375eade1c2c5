/**
 * A few seconds' memory of what many people open at once and what is the same for all of them: the
 * programme behind a public application form and the form's page, when a launch email sends hundreds
 * to it in the same minute. An entry lives PUBLIC_PAGE_MS; a change made through the admin pages or
 * the integration API of this process forgets every entry at once, and another process's entries age
 * out within the same seconds. What is sent is checked afresh: a form sent from a page shown a moment
 * before applications closed is refused with a page that says so. Nothing personal is kept here.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

export const PUBLIC_PAGE_MS = 5_000;

export class PublicPages {
  readonly #entries = new LRUCache<string, { value: unknown }>({ max: 1_000, ttl: PUBLIC_PAGE_MS });

  /**
   * The entry under `key`, made by `make` when there is none (or it aged out). `until` (ms since the
   * epoch) keeps it no longer than a moment the value itself knows it changes at (a round's deadline).
   */
  async get<T>(key: string, make: () => Promise<T>, until?: (value: T) => number | undefined): Promise<T> {
    const kept = this.#entries.get(key);
    if (kept) return kept.value as T;
    const value = await make();
    const ttl = Math.min(PUBLIC_PAGE_MS, (until?.(value) ?? Infinity) - Date.now());
    if (ttl >= 1) this.#entries.set(key, { value }, { ttl });
    return value;
  }

  forget(): void {
    this.#entries.clear();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    publicPages: PublicPages;
  }
}

export const publicPages = fp(async (app: FastifyInstance) => {
  app.decorate('publicPages', new PublicPages());
});

/** For the route groups that change programmes: every request that may have changed one forgets them. */
export function forgetPublicPagesOnChange(app: FastifyInstance): void {
  app.addHook('onSend', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') app.publicPages.forget();
  });
}
