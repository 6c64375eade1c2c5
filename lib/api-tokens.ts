/**
 * Bearer tokens of the integration API (/api/v1). A token is `mf_` and 32 random bytes (base64url); the
 * plaintext is shown once, when it is made, and only its SHA-256 is stored. A token may be scoped to one
 * programme; revoking it takes effect on the next request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/connect.js';

const PREFIX = 'mf_';
const TOKEN_BYTES = 32;
/** `mf_` and 43 base64url characters; anything else is not one of ours and is refused unread. */
const TOKEN_SHAPE = /^mf_[A-Za-z0-9_-]{43}$/;

export interface ApiToken {
  id: string;
  name: string;
  /** The one programme the token may touch; null for every programme. */
  programId: string | null;
}

/**
 * SHA-256 in hex. Enough for 256-bit random secrets: nothing can be guessed from the hash, and the
 * lookup by hash means a timing difference could only reveal the hash, never the token.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Makes a token; the plaintext is returned this once and kept nowhere. */
export async function createApiToken(
  sql: Sql,
  input: { name: string; programId?: string | null; by: string },
): Promise<{ id: string; token: string }> {
  const token = `${PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into api_tokens (name, token_hash, program_id, created_by)
    values (${input.name}, ${hashApiToken(token)}, ${input.programId ?? null}, ${input.by})
    returning id`;
  return { id: row!.id, token };
}

/** The token's identity when it is known and not revoked; notes its use at most once a minute. */
export async function verifyApiToken(sql: Sql, token: string): Promise<ApiToken | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await sql<{ id: string; name: string; program_id: string | null; stale: boolean }[]>`
    select id, name, program_id,
           (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
    from api_tokens where token_hash = ${hashApiToken(token)} and revoked_at is null`;
  if (!row) return undefined;
  if (row.stale) {
    await sql`
      update api_tokens set last_used_at = now()
      where id = ${row.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  }
  return { id: row.id, name: row.name, programId: row.program_id };
}

/** Revokes a token; false when there is no such token or it was revoked already. */
export async function revokeApiToken(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`
    update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`;
  return rows.length > 0;
}
