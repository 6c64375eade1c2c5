/**
 * Where form versions live: the built-in ones in forms/, a programme's own edits in `program_forms`.
 * A relationship pins the versions current when the mentee applied; an answer always renders with the
 * version it was given against.
 */
import type { Sql } from '../platform/db/connect.js';
import { FormDefinition } from '../domain/forms/definition.js';
import { allForms, findForm } from '../domain/forms/index.js';
import type { FormRef, PinnedForms } from '../workflows/program-settings.js';
import { FORM_IDS } from '../workflows/program-settings.js';

/** The forms a coordinator may edit: every built-in one. */
export const editableForms = allForms.map((f) => ({ id: f.id, title: f.title }));

/** The newest version of one form in a programme. */
export async function currentForm(
  sql: Sql,
  programId: string,
  formId: string,
): Promise<FormDefinition | undefined> {
  const [row] = await sql<{ definition: unknown }[]>`
    select definition from program_forms where program_id = ${programId} and form_id = ${formId}
    order by version desc limit 1`;
  return row ? FormDefinition.parse(row.definition) : allForms.find((f) => f.id === formId);
}

/** One exact version: a programme's own, or the built-in one. */
export async function loadForm(
  sql: Sql,
  programId: string,
  { id, version }: FormRef,
): Promise<FormDefinition | undefined> {
  const [row] = await sql<{ definition: unknown }[]>`
    select definition from program_forms where program_id = ${programId} and form_id = ${id} and version = ${version}`;
  return row ? FormDefinition.parse(row.definition) : findForm(id, version);
}

/**
 * The versions a workflow starting now pins, for each form it asks (by the part the form plays): a
 * relationship's by default, a cohort's when given its forms.
 */
export async function pinForms(sql: Sql, programId: string): Promise<PinnedForms>;
export async function pinForms<K extends string>(
  sql: Sql,
  programId: string,
  ids: Record<K, string>,
): Promise<Record<K, FormRef>>;
export async function pinForms(
  sql: Sql,
  programId: string,
  ids: Record<string, string> = FORM_IDS,
): Promise<Record<string, FormRef>> {
  const rows = await sql<{ form_id: string; version: number }[]>`
    select form_id, max(version)::int as version from program_forms where program_id = ${programId} group by form_id`;
  const latest = new Map(rows.map((r) => [r.form_id, r.version]));
  return Object.fromEntries(
    Object.entries(ids).map(([part, id]) => [
      part,
      { id, version: latest.get(id) ?? findBuiltIn(id).version },
    ]),
  );
}

function findBuiltIn(id: string): FormDefinition {
  const form = allForms.find((f) => f.id === id);
  if (!form) throw new Error(`no built-in form ${id}`);
  return form;
}

/** Saves an edited definition as the programme's next version of that form; returns the version. */
export async function saveFormVersion(
  sql: Sql,
  programId: string,
  definition: Omit<FormDefinition, 'version'>,
  userId: string,
): Promise<number> {
  return sql.begin(async (tx) => {
    // One editor at a time per programme and form; the next number is taken under the lock.
    await tx`select pg_advisory_xact_lock(hashtext(${`${programId}/${definition.id}`}))`;
    const [row] = await tx<{ version: number | null }[]>`
      select max(version)::int as version from program_forms where program_id = ${programId} and form_id = ${definition.id}`;
    const version = Math.max(row?.version ?? 0, findBuiltIn(definition.id).version) + 1;
    const parsed = FormDefinition.parse({ ...definition, version });
    await tx`
      insert into program_forms (program_id, form_id, version, definition, created_by)
      values (${programId}, ${definition.id}, ${version}, ${tx.json(parsed as never)}, ${userId})`;
    return version;
  });
}
