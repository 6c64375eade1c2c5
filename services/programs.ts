/**
 * A programme made from a template, and a programme as other systems see it. The admin page and the
 * integration API both create programmes through `createProgram`, so there is one way to do it.
 */
import type { Sql } from '../platform/db/connect.js';
import { findTemplate } from '../domain/program-templates.js';
import {
  editableSettings,
  PRESETS,
  saveSettings,
  type EditableSettings,
  type PresetId,
} from './program-settings.js';

export interface NewProgram {
  /** The programme's slug: it names workflows and URLs. */
  id: string;
  name: string;
  /** A template id of domain/program-templates.ts. */
  template: string;
  language: string;
  coordinatorEmail: string;
  /** A preset's timings instead of the template's (a demo that runs in minutes, say). */
  preset?: PresetId;
}

export interface ProgramSummary {
  id: string;
  name: string;
  model: string;
  language: string;
  applicationsOpen: boolean;
  template: string | null;
  settings: EditableSettings;
}

const summaryOf = (row: {
  id: string;
  name: string;
  model: string;
  language: string;
  applications_open: boolean;
  settings: { template?: unknown } | null;
  retention_days: number;
}): ProgramSummary => ({
  id: row.id,
  name: row.name,
  model: row.model,
  language: row.language,
  applicationsOpen: row.applications_open,
  template: typeof row.settings?.template === 'string' ? row.settings.template : null,
  settings: editableSettings(row.settings, row.retention_days),
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
    returning id, name, model, language, applications_open, settings, retention_days`;
  if (!created) return undefined;
  if (input.preset) {
    await saveSettings(sql, input.id, { ...summaryOf(created).settings, ...PRESETS[input.preset] });
    return findProgram(sql, input.id);
  }
  return summaryOf(created);
}

export async function findProgram(sql: Sql, id: string): Promise<ProgramSummary | undefined> {
  const [row] = await sql<Parameters<typeof summaryOf>[0][]>`
    select id, name, model, language, applications_open, settings, retention_days from programs where id = ${id}`;
  return row && summaryOf(row);
}
