/**
 * What an administrator changes about an existing account: deactivate and reactivate it, set its role,
 * give it a new password. None of these may leave the service without an active administrator, since
 * only an administrator can undo them from the pages.
 */
import { randomInt } from 'node:crypto';
import type postgres from 'postgres';
import type { Sql } from '../platform/db/connect.js';
import { hashPassword, type Role } from './accounts.js';

/** Refused because the account is the last active administrator. */
export class LastAdministratorError extends Error {
  constructor(readonly email: string) {
    super(`${email} is the last active administrator`);
  }
}

export interface Account {
  id: string;
  email: string;
  active: boolean;
}

/** Any constant, distinct from the migration lock; every change that can remove an administrator takes it. */
const ADMINISTRATORS_LOCK = 72_021_002;

export async function findAccount(sql: Sql, id: string): Promise<Account | undefined> {
  const [row] = await sql<{ id: string; email: string; active: boolean }[]>`
    select id, email, deactivated_at is null as active from users where id = ${id}`;
  return row;
}

/**
 * Throws when `userId` is the only active administrator. Two administrators demoting each other at the
 * same moment would each still see the other; the lock makes such changes take turns, so the second
 * sees the first one's result.
 */
async function keepAnAdministrator(tx: postgres.TransactionSql, userId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(${ADMINISTRATORS_LOCK})`;
  const [row] = await tx<{ email: string; is_admin: boolean; others: boolean }[]>`
    select u.email,
      u.deactivated_at is null
        and exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'administrator') as is_admin,
      exists (
        select 1 from user_roles r join users o on o.id = r.user_id
        where r.role = 'administrator' and o.deactivated_at is null and o.id <> u.id) as others
    from users u where u.id = ${userId}`;
  if (row?.is_admin && !row.others) throw new LastAdministratorError(row.email);
}

/** Deactivates the account (a second time keeps the first date). The caller ends its sessions. */
export async function deactivateAccount(sql: Sql, userId: string): Promise<void> {
  await sql.begin(async (tx) => {
    await keepAnAdministrator(tx, userId);
    await tx`update users set deactivated_at = coalesce(deactivated_at, now()) where id = ${userId}`;
  });
}

export async function reactivateAccount(sql: Sql, userId: string): Promise<void> {
  await sql`update users set deactivated_at = null where id = ${userId}`;
}

/**
 * Makes `role` the account's only role: moving a coordinator to another programme takes the first one
 * away, which is what "change the role" means to the person doing it.
 */
export async function setRole(sql: Sql, userId: string, role: Role, programId?: string): Promise<void> {
  await sql.begin(async (tx) => {
    if (role !== 'administrator') await keepAnAdministrator(tx, userId);
    await tx`delete from user_roles where user_id = ${userId}`;
    const program = role === 'coordinator' ? (programId ?? null) : null;
    await tx`insert into user_roles (user_id, role, program_id) values (${userId}, ${role}, ${program})`;
  });
}

/** Lower-case letters and digits that no one mistakes for each other when reading one aloud (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 5;
const GROUP_LENGTH = 5;

/**
 * A new random password: 25 characters of a 31-letter alphabet (about 124 bits), in groups of five so
 * it can be read out or typed without losing one's place.
 */
export function generatePassword(): string {
  return Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  ).join('-');
}

/** Gives the account a new generated password; only its argon2id hash is stored. Returns it, once. */
export async function resetPassword(sql: Sql, userId: string): Promise<string> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  await sql`update users set password_hash = ${hash} where id = ${userId}`;
  return password;
}
