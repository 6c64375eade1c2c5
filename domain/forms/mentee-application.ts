/** What a prospective mentee tells the programme: the first form of a programme, read at the interview and by matching. */
import { builtInForm, type FormStructure } from './built-in.js';

export const menteeApplicationStructure = {
  id: 'mentee-application',
  version: 1,
  texts: 'forms.menteeApplication',
  sections: [
    {
      key: 'aboutYou',
      fields: [
        { name: 'name', kind: 'short-text', required: true, maxLength: 120 },
        { name: 'email', kind: 'email', required: true },
        { name: 'department', kind: 'short-text', required: true, maxLength: 120 },
        { name: 'location', kind: 'short-text', required: true, maxLength: 120 },
        { name: 'level', kind: 'single-choice', required: true, options: ['1', '2', '3', '4', '5'] },
        {
          name: 'languages',
          kind: 'multiple-choice',
          required: true,
          options: ['en', 'nb', 'da', 'sv', 'nl'],
        },
        { name: 'managerEmail', kind: 'email', required: true },
      ],
    },
    {
      key: 'whyAMentor',
      fields: [
        { name: 'reasons', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'goals', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'experience', kind: 'long-text', maxLength: 2000 },
        { name: 'interests', kind: 'short-text', maxLength: 300 },
      ],
    },
    { key: 'consent', fields: [{ name: 'consent', kind: 'consent', required: true }] },
  ],
} satisfies FormStructure;

export const menteeApplication = builtInForm(menteeApplicationStructure);
