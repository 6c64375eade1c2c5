/** What a prospective mentee tells the programme (DOMAIN.md, "Application"). */
import { FormDefinition } from './definition.js';

export const menteeApplication = FormDefinition.parse({
  id: 'mentee-application',
  version: 1,
  title: 'Apply for a mentor',
  intro:
    'Tell us who you are and what you hope to gain. The programme coordinator reads every application ' +
    'and will invite you to a short interview. Your answers are used only to run this programme.',
  sections: [
    {
      title: 'About you',
      fields: [
        { name: 'name', kind: 'short-text', label: 'Your name', required: true, maxLength: 120 },
        {
          name: 'email',
          kind: 'email',
          label: 'Your work email',
          required: true,
          help: 'We send your personal status link here.',
        },
        {
          name: 'department',
          kind: 'short-text',
          label: 'Department or unit',
          required: true,
          maxLength: 120,
        },
        {
          name: 'location',
          kind: 'short-text',
          label: 'Where you work (site or city)',
          required: true,
          maxLength: 120,
        },
        {
          name: 'level',
          kind: 'single-choice',
          label: 'Your level in the organisation',
          required: true,
          options: [
            { value: '1', label: 'Employee' },
            { value: '2', label: 'Team lead or specialist' },
            { value: '3', label: 'Manager' },
            { value: '4', label: 'Senior manager' },
            { value: '5', label: 'Director or executive' },
          ],
        },
        {
          name: 'languages',
          kind: 'multiple-choice',
          label: 'Languages you can be mentored in',
          required: true,
          options: [
            { value: 'en', label: 'English' },
            { value: 'nb', label: 'Norwegian' },
            { value: 'da', label: 'Danish' },
            { value: 'sv', label: 'Swedish' },
            { value: 'nl', label: 'Dutch' },
          ],
        },
        {
          name: 'managerEmail',
          kind: 'email',
          label: "Your daily manager's email",
          required: true,
          help: 'Your manager is told about your application and asked to endorse it.',
        },
      ],
    },
    {
      title: 'Why a mentor',
      fields: [
        {
          name: 'reasons',
          kind: 'long-text',
          label: 'Why do you want a mentor now?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'goals',
          kind: 'long-text',
          label: 'What do you want to achieve or learn?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'experience',
          kind: 'long-text',
          label: 'Earlier experience with mentoring, if any',
          maxLength: 2000,
        },
        { name: 'interests', kind: 'short-text', label: 'Interests outside work (optional)', maxLength: 300 },
      ],
    },
    {
      title: 'Consent',
      fields: [
        {
          name: 'consent',
          kind: 'consent',
          label:
            'I agree that the programme group uses my answers to interview and match me, and that my manager is told.',
          required: true,
        },
      ],
    },
  ],
});
