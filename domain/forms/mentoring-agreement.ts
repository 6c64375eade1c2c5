/** The mutual, binding agreement both sign at kickoff: goals, how often they meet, confidentiality and how it ends. */
import { builtInForm } from './built-in.js';

export const mentoringAgreement = builtInForm({
  id: 'mentoring-agreement',
  version: 1,
  texts: 'forms.mentoringAgreement',
  sections: [
    {
      key: 'goals',
      fields: [
        { name: 'goals', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'milestones', kind: 'long-text', required: true, maxLength: 2000 },
      ],
    },
    {
      key: 'meetings',
      fields: [
        {
          name: 'frequency',
          kind: 'single-choice',
          required: true,
          options: ['monthly', 'fortnightly', 'other'],
        },
        { name: 'form', kind: 'single-choice', required: true, options: ['in-person', 'video', 'mixed'] },
      ],
    },
    {
      key: 'signature',
      fields: [
        { name: 'confidentiality', kind: 'consent', required: true },
        { name: 'signed', kind: 'consent', required: true },
      ],
    },
  ],
});
