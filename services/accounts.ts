/**
 * Admin accounts: argon2id password hashes (above the OWASP minimum of 19 MiB, 2 passes) and roles.
 * Roles are read from the database on every request, so taking one away takes effect at once.
 */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { Sql } from '../platform/db/connect.js';

export const Role = z.enum(['administrator', 'coordinator', 'auditor']);
export type Role = z.infer<typeof Role>;

// `Algorithm` is a const enum that isolated modules cannot read; 2 is its Argon2id (asserted by a test).
const HASH_OPTIONS = { algorithm: 2, memoryCost: 64 * 1024, timeCost: 3, parallelism: 1 };

export interface AdminUser {
  id: string;
  email: string;
  isAdministrator: boolean;
  isAuditor: boolean;
  /** Programmes this user coordinates. */
  coordinates: string[];
}

export const hashPassword = (password: string) => hash(password, HASH_OPTIONS);

/** A hash of a random string, verified when the email is unknown so both paths take the same time. */
let decoy: Promise<string> | undefined;

/**
 * A sign-in attempt's outcome. `deactivated` is told only to someone who gave the account's right
 * password, so the answer says nothing about which emails have accounts to anyone without one.
 */
export type LoginOutcome = { user: AdminUser } | { refused: 'wrong' | 'deactivated' };

export async function attemptLogin(sql: Sql, email: string, password: string): Promise<LoginOutcome> {
  const [row] = await sql<{ id: string; password_hash: string; deactivated_at: Date | null }[]>`
    select id, password_hash, deactivated_at from users where email = ${email.trim().toLowerCase()}`;
  decoy ??= hashPassword(crypto.randomUUID());
  const ok = await verify(row?.password_hash ?? (await decoy), password).catch(() => false);
  if (!ok || !row) return { refused: 'wrong' };
  if (row.deactivated_at) return { refused: 'deactivated' };
  const user = await loadUser(sql, row.id);
  return user ? { user } : { refused: 'wrong' };
}

/** The signed-in user for the right email and password of an active account, else nothing. */
export async function verifyLogin(sql: Sql, email: string, password: string): Promise<AdminUser | undefined> {
  const outcome = await attemptLogin(sql, email, password);
  return 'user' in outcome ? outcome.user : undefined;
}

/** An active account with its roles; a deactivated one is no one, so its next request is signed out. */
export async function loadUser(sql: Sql, id: string): Promise<AdminUser | undefined> {
  const rows = await sql<{ email: string; role: Role | null; program_id: string | null }[]>`
    select u.email, r.role, r.program_id
    from users u left join user_roles r on r.user_id = u.id
    where u.id = ${id} and u.deactivated_at is null`;
  if (rows.length === 0) return undefined;
  return {
    id,
    email: rows[0]!.email,
    isAdministrator: rows.some((r) => r.role === 'administrator'),
    isAuditor: rows.some((r) => r.role === 'auditor'),
    coordinates: rows.flatMap((r) => (r.role === 'coordinator' && r.program_id ? [r.program_id] : [])),
  };
}

export function canReadProgram(user: AdminUser, programId: string): boolean {
  return user.isAdministrator || user.isAuditor || user.coordinates.includes(programId);
}

/** Administrators and the programme's own coordinators change a programme; auditors only read. */
export function canCoordinateProgram(user: AdminUser, programId: string): boolean {
  return user.isAdministrator || user.coordinates.includes(programId);
}

export function hasAnyRole(user: AdminUser): boolean {
  return user.isAdministrator || user.isAuditor || user.coordinates.length > 0;
}

/**
 * Grants a role, creating the user with the given password if the email is new. An existing user's
 * password changes only when `resetPassword` says so (the command line's "create admin" does).
 */
export async function grantRole(
  sql: Sql,
  input: { email: string; password?: string; role: Role; programId?: string; resetPassword?: boolean },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const hash = input.password ? await hashPassword(input.password) : undefined;
  return sql.begin(async (tx) => {
    let [user] = await tx<{ id: string }[]>`select id from users where email = ${email}`;
    if (!user) {
      if (!hash) throw new Error(`a new user ${email} needs a password`);
      [user] = await tx<
        { id: string }[]
      >`insert into users (email, password_hash) values (${email}, ${hash}) returning id`;
    } else if (hash && input.resetPassword) {
      await tx`update users set password_hash = ${hash} where id = ${user.id}`;
    }
    const programId = input.role === 'coordinator' ? (input.programId ?? null) : null;
    await tx`
      insert into user_roles (user_id, role, program_id) values (${user!.id}, ${input.role}, ${programId})
      on conflict do nothing`;
    return user!.id;
  });
}
