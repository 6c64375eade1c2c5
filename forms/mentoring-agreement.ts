/** The mutual, binding agreement both sign at kickoff (DOMAIN.md, "Kickoff"). */
import { FormDefinition } from './definition.js';

export const mentoringAgreement = FormDefinition.parse({
  id: 'mentoring-agreement',
  version: 1,
  title: 'Your mentoring agreement',
  intro: 'Agree together on what you want from the relationship, then each of you signs this form.',
  sections: [
    {
      title: 'Goals',
      fields: [
        {
          name: 'goals',
          kind: 'long-text',
          label: 'What the mentee wants to achieve',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'milestones',
          kind: 'long-text',
          label: 'Concrete milestones on the way',
          required: true,
          maxLength: 2000,
        },
      ],
    },
    {
      title: 'Meetings',
      fields: [
        {
          name: 'frequency',
          kind: 'single-choice',
          label: 'How often you meet',
          required: true,
          options: [
            { value: 'monthly', label: 'About once a month' },
            { value: 'fortnightly', label: 'Every two weeks' },
            { value: 'other', label: 'Something else we agreed' },
          ],
        },
        {
          name: 'form',
          kind: 'single-choice',
          label: 'How you meet',
          required: true,
          options: [
            { value: 'in-person', label: 'In person' },
            { value: 'video', label: 'By video' },
            { value: 'mixed', label: 'Both' },
          ],
        },
      ],
    },
    {
      title: 'Signature',
      fields: [
        {
          name: 'confidentiality',
          kind: 'consent',
          label: 'What we discuss stays between us unless we both agree otherwise.',
          required: true,
        },
        { name: 'signed', kind: 'consent', label: 'I sign this agreement.', required: true },
      ],
    },
  ],
});
