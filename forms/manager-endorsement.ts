/** The daily manager's endorsement of a mentee's application (DOMAIN.md, "Manager endorsement"). */
import { FormDefinition } from './definition.js';

export const managerEndorsement = FormDefinition.parse({
  id: 'manager-endorsement',
  version: 1,
  title: 'Endorse a mentoring application',
  intro:
    'Someone you manage has applied for a mentor. The mentor does not take over your role: appraisal talks ' +
    'and daily leadership stay with you. Please tell the programme group whether you support the application.',
  sections: [
    {
      title: 'Your endorsement',
      fields: [
        {
          name: 'endorse',
          kind: 'single-choice',
          label: 'Do you support this application?',
          required: true,
          options: [
            { value: 'yes', label: 'Yes, I support it' },
            { value: 'no', label: 'No, not at this time' },
          ],
        },
        {
          name: 'comment',
          kind: 'long-text',
          label: 'Anything the programme group should know (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
});
