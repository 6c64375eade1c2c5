/** A form definition with every field kind and two conditional questions, for the form tests. */
import { FormDefinition } from '../../domain/forms/definition.js';

export const everyKind = FormDefinition.parse({
  id: 'every-kind',
  version: 1,
  title: 'Every kind',
  sections: [
    {
      title: 'All of them',
      fields: [
        { name: 'intro', kind: 'info', label: 'Read this first.' },
        { name: 'name', kind: 'short-text', label: 'Name', required: true, maxLength: 20 },
        { name: 'story', kind: 'long-text', label: 'Story', maxLength: 300 },
        { name: 'mail', kind: 'email', label: 'Mail' },
        { name: 'hours', kind: 'number', label: 'Hours a month', required: true, min: 1, max: 40 },
        { name: 'start', kind: 'date', label: 'Start' },
        { name: 'firstMeeting', kind: 'date-time', label: 'First meeting' },
        {
          name: 'form',
          kind: 'single-choice',
          label: 'Form',
          display: 'radio',
          required: true,
          options: [
            { value: 'video', label: 'Video' },
            { value: 'room', label: 'In a room' },
          ],
        },
        {
          name: 'room',
          kind: 'short-text',
          label: 'Which room',
          required: true,
          showWhen: { field: 'form', equals: ['room'] },
        },
        {
          name: 'topics',
          kind: 'multiple-choice',
          label: 'Topics',
          options: [
            { value: 'career', label: 'Career' },
            { value: 'leading', label: 'Leading' },
            { value: 'balance', label: 'Balance' },
          ],
        },
        { name: 'useful', kind: 'rating', label: 'Useful', required: true },
        { name: 'agree', kind: 'likert', label: 'I would recommend it' },
        { name: 'again', kind: 'yes-no', label: 'Again?', required: true },
        { name: 'why', kind: 'long-text', label: 'Why not', showWhen: { field: 'again', equals: ['no'] } },
        { name: 'consent', kind: 'consent', label: 'I agree', required: true },
      ],
    },
  ],
});
