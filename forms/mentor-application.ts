/** What a prospective mentor tells the programme (DOMAIN.md, "Application"). */
import { FormDefinition } from './definition.js';
import { menteeApplication } from './mentee-application.js';

/** The same questions about where someone sits in the organisation, so matching compares like with like. */
const aboutYou = menteeApplication.sections[0]!.fields.filter((f) => f.name !== 'managerEmail');

export const mentorApplication = FormDefinition.parse({
  id: 'mentor-application',
  version: 1,
  title: 'Offer to be a mentor',
  intro:
    'Mentors meet a colleague from another part of the organisation about an hour a month. Tell us about ' +
    'your experience and what you can offer; the coordinator will invite you to a short interview.',
  sections: [
    { title: 'About you', fields: aboutYou },
    {
      title: 'What you offer',
      fields: [
        { name: 'experience', kind: 'long-text', label: 'Your experience', required: true, maxLength: 2000 },
        {
          name: 'motivation',
          kind: 'long-text',
          label: 'Why do you want to be a mentor?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'offers',
          kind: 'long-text',
          label: 'What can a mentee learn from you?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'capacity',
          kind: 'single-choice',
          label: 'How many mentees can you take at once?',
          required: true,
          options: [
            { value: '1', label: 'One' },
            { value: '2', label: 'Two' },
            { value: '3', label: 'Three' },
          ],
        },
      ],
    },
    {
      title: 'Consent',
      fields: [
        {
          name: 'consent',
          kind: 'consent',
          label:
            'I agree that the programme group uses my answers to interview me and match me with mentees.',
          required: true,
        },
      ],
    },
  ],
});
