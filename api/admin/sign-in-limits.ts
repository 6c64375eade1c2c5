/**
 * How fast anyone may guess admin passwords. Failed sign-ins are counted in PostgreSQL, so every API
 * instance shares one count, in four buckets at once:
 *
 * - the account from this address: a person who mistypes, or one guesser at one account;
 * - the account from anywhere: guessing one account from many addresses;
 * - the address for any account: one password tried on many accounts;
 * - everyone: a ceiling on the argon2 work failed sign-ins cost (64 MiB each), and on guessing from
 *   many addresses at many accounts.
 *
 * An attempt takes a place in every bucket before the password is checked, so guesses sent in parallel
 * cannot slip past the count; a successful sign-in gives its places back, so signing in does not count.
 * A bucket's key is an HMAC under the session secret: the table holds no email and no address.
 */
import { createHmac } from 'node:crypto';
import type { Sql } from '../../platform/db/connect.js';

export interface SignInLimits {
  windowMs: number;
  accountFromAddress: number;
  account: number;
  address: number;
  everyone: number;
}

/** Failed sign-ins per 15 minutes. The account's own limit is the one a guesser of one account meets. */
export const SIGN_IN_LIMITS: SignInLimits = {
  windowMs: 15 * 60_000,
  accountFromAddress: 10,
  account: 20,
  address: 40,
  everyone: 1000,
};

export type SignInReservation =
  { refused: false; giveBack(): Promise<void> } | { refused: true; retryAfterSeconds: number };

/** Rows of windows long past, removed a few at a time with each attempt. */
const SWEEP_BATCH = 100;

class Refused extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed sign-ins');
  }
}

export function signInLimiter(sql: Sql, secret: string, limits: SignInLimits = SIGN_IN_LIMITS) {
  const key = (kind: string, value: string) =>
    `${kind}:${createHmac('sha256', secret).update(`${kind}\n${value}`).digest('base64url')}`;
  const windowSeconds = limits.windowMs / 1000;

  /** Takes a place for one attempt at `email` from `address`, or says how long to wait. */
  async function reserve(who: { email: string; address: string }): Promise<SignInReservation> {
    const email = who.email.trim().toLowerCase();
    const buckets = [
      { bucket: key('account-address', `${email}\n${who.address}`), max: limits.accountFromAddress },
      { bucket: key('account', email), max: limits.account },
      { bucket: key('address', who.address), max: limits.address },
      { bucket: key('everyone', ''), max: limits.everyone },
      // One order for every attempt, so two transactions never wait on each other's rows.
    ].sort((a, b) => a.bucket.localeCompare(b.bucket));
    try {
      await sql.begin(async (tx) => {
        await tx`
          delete from sign_in_failures where bucket in (
            select bucket from sign_in_failures
            where window_started_at < now() - ${windowSeconds}::float8 * interval '1 second'
            limit ${SWEEP_BATCH})`;
        const rows = await tx<{ bucket: string; failures: number; age_ms: number }[]>`
          insert into sign_in_failures (bucket, window_started_at, failures)
          select unnest(${buckets.map((b) => b.bucket)}::text[]), now(), 1
          on conflict (bucket) do update set
            failures = case
              when sign_in_failures.window_started_at < now() - ${windowSeconds}::float8 * interval '1 second' then 1
              else sign_in_failures.failures + 1 end,
            window_started_at = case
              when sign_in_failures.window_started_at < now() - ${windowSeconds}::float8 * interval '1 second' then now()
              else sign_in_failures.window_started_at end
          returning bucket, failures,
                    (extract(epoch from now() - window_started_at) * 1000)::float8 as age_ms`;
        const full = rows.filter((r) => r.failures > buckets.find((b) => b.bucket === r.bucket)!.max);
        // Rolled back: a refused attempt checks no password, so it takes no place.
        if (full.length > 0)
          throw new Refused(Math.max(...full.map((r) => Math.ceil((limits.windowMs - r.age_ms) / 1000)), 1));
      });
    } catch (err) {
      if (err instanceof Refused) return { refused: true, retryAfterSeconds: err.retryAfterSeconds };
      throw err;
    }
    return {
      refused: false,
      async giveBack() {
        await sql`
          update sign_in_failures set failures = greatest(failures - 1, 0)
          where bucket in ${sql(buckets.map((b) => b.bucket))}`;
      },
    };
  }

  return { reserve };
}
