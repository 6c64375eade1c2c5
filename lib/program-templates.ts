/**
 * The programme shapes the seeds describe, ready to start from: each names its model, durations and
 * the forms its participants answer. A coordinator edits the forms afterwards (new versions).
 */
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

export const PROGRAM_TEMPLATES: ProgramTemplate[] = [
  {
    id: 'one-to-one-12',
    name: 'One-to-one mentoring, 12 months',
    description:
      'One mentor and one mentee meet monthly for a year, with an agreement, logs, a mid-point and a close.',
    model: 'one-to-one',
    settings: { duration: 'P12M', meetingCadence: 'P1M', managerEndorsement: true },
    forms: relationshipForms,
  },
  {
    id: 'one-to-one-24',
    name: 'One-to-one mentoring, 24 months',
    description:
      'The two-year programme the seeds recommend: monthly meetings, mid-point feedback after a year.',
    model: 'one-to-one',
    settings: { duration: 'P24M', meetingCadence: 'P1M', managerEndorsement: true },
    forms: relationshipForms,
  },
  {
    id: 'group-mentoring',
    name: 'Group mentoring, 12 months',
    description:
      'One mentor with a small group of mentees (the mentor offers a capacity of 3–5), meeting monthly.',
    model: 'group',
    settings: { duration: 'P12M', meetingCadence: 'P1M', managerEndorsement: false },
    forms: relationshipForms,
  },
  {
    id: 'learning-network',
    name: 'Learning network, 7 gatherings over 2 years',
    description:
      'Member organisations build their own mentor programmes: seven themed gatherings, homework and guidance between them.',
    model: 'learning-network',
    settings: { duration: 'P24M', managerEndorsement: false },
    forms: [],
    gatherings: [
      'Establishing the project group',
      'Mentor competence',
      'The mentor programme',
      'The phases of implementation',
      'Change management',
      'Law, ethics and psychological safety',
      'Emotional strain and sharing experience',
    ],
  },
];

export function findTemplate(id: string): ProgramTemplate | undefined {
  return PROGRAM_TEMPLATES.find((t) => t.id === id);
}
