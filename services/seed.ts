/** First-start data, so a fresh install has a programme to apply to and someone to sign in as. */
import { randomBytes } from 'node:crypto';
import { grantRole } from './accounts.js';
import type { Sql } from '../platform/db/connect.js';

export const FIRST_PROGRAM = { id: 'mentoring-2027', name: 'Mentoring programme 2027' };

export async function seedFirstProgram(sql: Sql, coordinatorEmail: string): Promise<void> {
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from programs) as found`;
  if (row?.found) return;
  await sql`
    insert into programs (id, name, coordinator_email)
    values (${FIRST_PROGRAM.id}, ${FIRST_PROGRAM.name}, ${coordinatorEmail})
    on conflict do nothing`;
}

/**
 * The configured administrator is created (or their password reset) at every start. Without one, a
 * development install gets a generated password, printed once.
 */
export async function ensureAdministrator(
  sql: Sql,
  admin: { email: string; password: string } | undefined,
  development: boolean,
): Promise<{ email: string; password: string } | undefined> {
  if (admin) {
    await grantRole(sql, { ...admin, role: 'administrator', resetPassword: true });
    return undefined;
  }
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from users) as found`;
  if (row?.found || !development) return undefined;
  const generated = { email: 'admin@example.org', password: randomBytes(12).toString('base64url') };
  await grantRole(sql, { ...generated, role: 'administrator' });
  return generated;
}
