/**
 * Bearer tokens, of two kinds. An integration token (`mf_…`) calls the integration API (/api/v1) and may
 * be scoped to one programme. A codec token (`mfc_…`) only decodes payloads at /admin/codec/decode, for
 * the Temporal CLI (`--codec-auth "Bearer mfc_…"`), so nobody types an admin password into a tool. Each
 * is 32 random bytes (base64url) after its prefix; the plaintext is shown once, when it is made, and only
 * its SHA-256 is stored. Revoking a token takes effect on the next request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../platform/db/connect.js';

export type TokenKind = 'integration' | 'codec';

const PREFIX: Record<TokenKind, string> = { integration: 'mf_', codec: 'mfc_' };
const TOKEN_BYTES = 32;
/** The prefix and 43 base64url characters; anything else is not one of ours and is refused unread. */
const TOKEN_SHAPE: Record<TokenKind, RegExp> = {
  integration: /^mf_[A-Za-z0-9_-]{43}$/,
  codec: /^mfc_[A-Za-z0-9_-]{43}$/,
};

export interface ApiToken {
  id: string;
  name: string;
  /** The one programme the token may touch; null for every programme. */
  programId: string | null;
}

/** A codec token's identity: it decodes payloads and does nothing else. */
export interface CodecToken {
  id: string;
  name: string;
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
  input: { name: string; programId?: string | null; by: string; kind?: TokenKind },
): Promise<{ id: string; token: string }> {
  const kind = input.kind ?? 'integration';
  if (kind === 'codec' && input.programId) throw new Error('a codec token reaches no programme');
  const token = `${PREFIX[kind]}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into api_tokens (name, token_hash, program_id, created_by, kind)
    values (${input.name}, ${hashApiToken(token)}, ${input.programId ?? null}, ${input.by}, ${kind})
    returning id`;
  return { id: row!.id, token };
}

/** A known, unrevoked token of the kind; notes its use at most once a minute. */
async function findToken(sql: Sql, token: string, kind: TokenKind) {
  if (!TOKEN_SHAPE[kind].test(token)) return undefined;
  const [row] = await sql<{ id: string; name: string; program_id: string | null; stale: boolean }[]>`
    select id, name, program_id,
           (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
    from api_tokens where token_hash = ${hashApiToken(token)} and kind = ${kind} and revoked_at is null`;
  if (!row) return undefined;
  if (row.stale) {
    await sql`
      update api_tokens set last_used_at = now()
      where id = ${row.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  }
  return row;
}

/** The integration token's identity when it is known and not revoked. */
export async function verifyApiToken(sql: Sql, token: string): Promise<ApiToken | undefined> {
  const row = await findToken(sql, token, 'integration');
  return row && { id: row.id, name: row.name, programId: row.program_id };
}

/** The codec token's identity when it is known and not revoked. */
export async function verifyCodecToken(sql: Sql, token: string): Promise<CodecToken | undefined> {
  const row = await findToken(sql, token, 'codec');
  return row && { id: row.id, name: row.name };
}

/** Revokes a token; false when there is no such token or it was revoked already. */
export async function revokeApiToken(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`
    update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`;
  return rows.length > 0;
}
