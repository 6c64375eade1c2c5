/**
 * @fastify/session's store in PostgreSQL, so any API instance can serve any admin. Rows are keyed by a
 * hash of the session id and expire on the earlier of the idle and the absolute limit. Only a signed-in
 * session is stored: a visitor who has not signed in holds nothing worth a row (the sign-in form's CSRF
 * token lives in a cookie, the language in the address), so looking at pages cannot fill the table. Each
 * write also removes a few expired rows, so sessions nobody ends still go.
 */
import { createHash } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Sql } from '../../platform/db/connect.js';

const hash = (id: string) => createHash('sha256').update(id).digest('base64url');

/** Expired rows removed with each write: a bound on the work, enough to keep up with sign-ins. */
const SWEEP_BATCH = 50;

export function postgresSessionStore(sql: Sql, limits: { idleMs: number; absoluteMs: number }): SessionStore {
  // Never the row the same statement writes: one statement may not change a row twice.
  const sweep = (except: string) => sql`
    delete from admin_sessions where id_hash in (
      select id_hash from admin_sessions where expires_at < now() and id_hash <> ${except} limit ${SWEEP_BATCH})`;
  return {
    set(id, session, callback) {
      if (!session.userId) return callback();
      const now = Date.now();
      const lastSeen = session.lastSeenAt ?? now;
      const expires = new Date(
        Math.min(lastSeen + limits.idleMs, (session.loginAt ?? now) + limits.absoluteMs),
      );
      sql`
        with swept as (${sweep(hash(id))})
        insert into admin_sessions (id_hash, data, expires_at) values (${hash(id)}, ${sql.json(JSON.parse(JSON.stringify(session)))}, ${expires})
        on conflict (id_hash) do update set data = excluded.data, expires_at = excluded.expires_at`.then(
        () => callback(),
        callback,
      );
    },
    get(id, callback) {
      sql<{ data: Session }[]>`
        select data from admin_sessions where id_hash = ${hash(id)} and expires_at > now()`.then(
        ([row]) => callback(null, row?.data ?? null),
        (err) => callback(err),
      );
    },
    destroy(id, callback) {
      sql`
        with swept as (${sweep(hash(id))})
        delete from admin_sessions where id_hash = ${hash(id)}`.then(() => callback(), callback);
    },
  };
}

/**
 * Ends every session of the user, at once: the next request with one of their cookies finds no session
 * and is sent to sign in. `except` keeps one (an administrator giving themselves a new password stays
 * signed in on the page that shows it).
 */
export async function endSessionsOf(sql: Sql, userId: string, except?: string): Promise<void> {
  await sql`
    delete from admin_sessions
    where data->>'userId' = ${userId} and id_hash <> ${except ? hash(except) : ''}`;
}
