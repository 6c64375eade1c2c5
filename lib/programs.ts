/**
 * A programme made from a template, and a programme as other systems see it. The admin page and the
 * integration API both create programmes through `createProgram`, so there is one way to do it.
 */
import type { Sql } from '../db/connect.js';
import { findTemplate } from './program-templates.js';

export interface NewProgram {
  /** The programme's slug: it names workflows and URLs. */
  id: string;
  name: string;
  /** A template id of lib/program-templates.ts. */
  template: string;
  language: string;
  coordinatorEmail: string;
}

export interface ProgramSummary {
  id: string;
  name: string;
  model: string;
  language: string;
  applicationsOpen: boolean;
  template: string | null;
}

const summaryOf = (row: {
  id: string;
  name: string;
  model: string;
  language: string;
  applications_open: boolean;
  settings: { template?: unknown } | null;
}): ProgramSummary => ({
  id: row.id,
  name: row.name,
  model: row.model,
  language: row.language,
  applicationsOpen: row.applications_open,
  template: typeof row.settings?.template === 'string' ? row.settings.template : null,
});

/**
 * Creates the programme, closed for applications (they open when the coordinator opens a round or opens
 * them on the programme page). Undefined when a programme with this id exists already.
 */
export async function createProgram(sql: Sql, input: NewProgram): Promise<ProgramSummary | undefined> {
  const template = findTemplate(input.template);
  if (!template) throw new Error(`no programme template ${input.template}`);
  const [created] = await sql<Parameters<typeof summaryOf>[0][]>`
    insert into programs (id, name, model, language, coordinator_email, applications_open, settings)
    values (${input.id}, ${input.name}, ${template.model}, ${input.language},
            ${input.coordinatorEmail.trim().toLowerCase()}, false,
            ${sql.json({ ...template.settings, template: template.id } as never)})
    on conflict (id) do nothing
    returning id, name, model, language, applications_open, settings`;
  return created && summaryOf(created);
}

export async function findProgram(sql: Sql, id: string): Promise<ProgramSummary | undefined> {
  const [row] = await sql<Parameters<typeof summaryOf>[0][]>`
    select id, name, model, language, applications_open, settings from programs where id = ${id}`;
  return row && summaryOf(row);
}
