/** The daily manager’s endorsement of a mentee’s application: whether the mentee may take part in work time. */
import { builtInForm } from './built-in.js';

export const managerEndorsement = builtInForm({
  id: 'manager-endorsement',
  version: 1,
  texts: 'forms.managerEndorsement',
  sections: [
    {
      key: 'endorsement',
      fields: [
        { name: 'endorse', kind: 'single-choice', required: true, options: ['yes', 'no'] },
        { name: 'comment', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});
