/**
 * The programme shapes the seeds describe, ready to start from: each names its model, durations and
 * the forms its participants answer. A coordinator edits the forms afterwards (new versions). Their
 * names, descriptions and gathering themes are texts of the catalogues (`templates.<id>.…`), English
 * here and in the administrator's language on the pages.
 */
import { translator, type Language } from '../platform/i18n.js';
import type { ProgramSettings } from '../workflows/program-settings.js';
import { FORM_IDS } from '../workflows/program-settings.js';

export interface ProgramTemplate {
  id: string;
  name: string;
  description: string;
  model: 'one-to-one' | 'group' | 'learning-network';
  settings: Partial<ProgramSettings>;
  /** The forms its participants answer, by id. */
  forms: string[];
  /** For a learning network: the gatherings and their themes (the cohort workflow is issue 8's). */
  gatherings?: string[];
}

const relationshipForms = ['mentee-application', 'mentor-application', ...Object.values(FORM_IDS)];

/** A template's texts in a language, from the catalogue. */
function textsOf(id: string, lang: Language): Pick<ProgramTemplate, 'name' | 'description' | 'gatherings'> {
  const t = translator(lang);
  const gatherings = t(`templates.${id}.gatherings`, { returnObjects: true, defaultValue: null });
  return {
    name: t(`templates.${id}.name`),
    description: t(`templates.${id}.description`),
    ...(Array.isArray(gatherings) ? { gatherings: gatherings as string[] } : {}),
  };
}

export const PROGRAM_TEMPLATES: ProgramTemplate[] = [
  {
    id: 'one-to-one-12',
    ...textsOf('one-to-one-12', 'en'),
    model: 'one-to-one',
    settings: { duration: 'P12M', meetingCadence: 'P1M', managerEndorsement: true },
    forms: relationshipForms,
  },
  {
    id: 'one-to-one-24',
    ...textsOf('one-to-one-24', 'en'),
    model: 'one-to-one',
    settings: { duration: 'P24M', meetingCadence: 'P1M', managerEndorsement: true },
    forms: relationshipForms,
  },
  {
    id: 'group-mentoring',
    ...textsOf('group-mentoring', 'en'),
    model: 'group',
    settings: { duration: 'P12M', meetingCadence: 'P1M', managerEndorsement: false },
    forms: relationshipForms,
  },
  {
    id: 'learning-network',
    ...textsOf('learning-network', 'en'),
    model: 'learning-network',
    settings: { duration: 'P24M', managerEndorsement: false },
    forms: [],
  },
];

export function findTemplate(id: string): ProgramTemplate | undefined {
  return PROGRAM_TEMPLATES.find((t) => t.id === id);
}

/** A template with its name, description and gathering themes in `lang`. */
export function templateIn(template: ProgramTemplate, lang: Language): ProgramTemplate {
  return { ...template, ...textsOf(template.id, lang) };
}
