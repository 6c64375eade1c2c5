/** The users page's data: every account with its roles and state, in the administrator's language. */
import type { FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { Sql } from '../../platform/db/connect.js';
import { Role } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';

/** What the change-role form of one account shows: the submitted choice after a refusal, else the account's role. */
export interface RoleForm {
  role?: string;
  programId?: string;
  /** A refusal's message, shown at the field it concerns. */
  roleError?: string;
  programError?: string;
}

interface Row {
  id: string;
  email: string;
  deactivated_at: Date | null;
  role: Role | null;
  program_id: string | null;
  program_name: string | null;
}

/** An account's roles as words ("coordinator of Mentoring 2028, auditor"). */
function rolesText(t: TFunction, rows: Row[]): string {
  const words = rows.flatMap(({ role, program_id, program_name }) => {
    if (!role) return [];
    const name = t('admin.roles.role', { context: role });
    return [program_id ? t('admin.roles.roleOf', { role: name, program: program_name ?? program_id }) : name];
  });
  return words.length ? words.join(', ') : t('admin.roles.none');
}

export interface ListedAccount {
  id: string;
  email: string;
  active: boolean;
  deactivatedAt: Date | null;
  roles: string;
  form: RoleForm;
}

export async function accounts(
  sql: Sql,
  t: TFunction,
  forms: Record<string, RoleForm> = {},
): Promise<ListedAccount[]> {
  const rows = await sql<Row[]>`
    select u.id, u.email, u.deactivated_at, r.role, r.program_id, p.name as program_name
    from users u left join user_roles r on r.user_id = u.id left join programs p on p.id = r.program_id
    order by u.email, r.role, r.program_id`;
  const byId = new Map<string, Row[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.values()].map((own) => {
    const { id, email, deactivated_at } = own[0]!;
    return {
      id,
      email,
      active: !deactivated_at,
      deactivatedAt: deactivated_at,
      roles: rolesText(t, own),
      form: forms[id] ?? { role: own[0]!.role ?? undefined, programId: own[0]!.program_id ?? undefined },
    };
  });
}

/** The page with everything it lists; `extra` adds a confirmation, a new password or errors. */
export async function usersPage(
  sql: Sql,
  request: FastifyRequest,
  extra: Record<string, unknown> & { forms?: Record<string, RoleForm> } = {},
) {
  const t = translator(pickLanguage(request.pageContext.lang));
  const { forms, ...rest } = extra;
  const programs = await sql`select id, name from programs order by id`;
  return {
    title: t('admin.users.title'),
    accounts: await accounts(sql, t, forms),
    programs,
    roles: Role.options,
    values: {},
    ...rest,
  };
}
