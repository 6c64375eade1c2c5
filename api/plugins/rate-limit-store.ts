/**
 * The store of every rate limit of the API (@fastify/rate-limit's store interface), in PostgreSQL: each
 * API instance behind a load balancer counts against the same numbers, so a limit of 20 an hour is 20
 * however many instances there are. One statement per request, atomic under concurrency; keys are
 * hashed (no client address is stored); ended windows are cleared now and then.
 */
import { createHash, randomInt } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Sql } from '../../platform/db/connect.js';

type Done = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** Rows are cleared on about one request in this many. */
const SWEEP_ONE_IN = 500;

/** A store class for the plugin's `store` option, bound to this database. */
export function sharedRateLimits(sql: Sql): FastifyRateLimitStoreCtor {
  const hashed = (key: string) => createHash('sha256').update(key).digest('base64url');

  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, done: Done, timeWindow: number): void {
      const id = hashed(this.prefix + key);
      sql<{ hits: number; ttl: number }[]>`
        insert into rate_limits as r (key, hits, window_ends)
        values (${id}, 1, now() + ${timeWindow} * interval '1 millisecond')
        on conflict (key) do update set
          hits = case when r.window_ends <= now() then 1 else r.hits + 1 end,
          window_ends = case when r.window_ends <= now() then excluded.window_ends else r.window_ends end
        returning hits, greatest(0, ceil(extract(epoch from (window_ends - now())) * 1000))::int as ttl`.then(
        ([row]) => done(null, { current: row!.hits, ttl: row!.ttl }),
        (err: Error) => done(err),
      );
      if (randomInt(SWEEP_ONE_IN) === 0)
        sql`delete from rate_limits where window_ends < now()`.catch(() => {
          // Left for the next sweep.
        });
    }

    read(key: string, done: Done, timeWindow: number): void {
      const id = hashed(this.prefix + key);
      sql<{ hits: number; ttl: number }[]>`
        select hits, greatest(0, ceil(extract(epoch from (window_ends - now())) * 1000))::int as ttl
        from rate_limits where key = ${id} and window_ends > now()`.then(
        ([row]) => done(null, row ? { current: row.hits, ttl: row.ttl } : { current: 0, ttl: timeWindow }),
        (err: Error) => done(err),
      );
    }

    /** Each route's limit counts on its own, as the plugin's own stores do. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]) {
      // The plugin passes the route's merged limit options, which carry the route as `routeInfo` (its
      // typings say the route itself).
      const route =
        (routeOptions as unknown as { routeInfo?: { method: string; url: string } }).routeInfo ??
        routeOptions;
      return new PostgresRateLimitStore(undefined, `${this.prefix}${String(route.method)}${route.url}-`);
    }
  };
}
