/** The forms of a running relationship: meeting logs, the early fit check, mid-point and final feedback. */
import { SCALES } from './definition.js';
import { builtInForm, type FieldStructure } from './built-in.js';

/** A 1–5 rating asked as a single choice (as version 1 of these forms asks it), in the rating scale's words. */
const rating = (name: string): FieldStructure => ({
  name,
  kind: 'single-choice',
  required: true,
  options: SCALES.rating.values,
  optionTexts: SCALES.rating.texts,
});

export const meetingLog = builtInForm({
  id: 'meeting-log',
  version: 1,
  texts: 'forms.meetingLog',
  sections: [
    {
      key: 'meeting',
      fields: [
        {
          name: 'held',
          kind: 'single-choice',
          required: true,
          options: SCALES['yes-no'].values,
          optionTexts: SCALES['yes-no'].texts,
        },
        { name: 'date', kind: 'date' },
        { name: 'topics', kind: 'long-text', maxLength: 2000 },
        { name: 'learning', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});

export const fitCheck = builtInForm({
  id: 'fit-check',
  version: 1,
  texts: 'forms.fitCheck',
  sections: [
    {
      key: 'yourView',
      fields: [
        { name: 'choice', kind: 'single-choice', required: true, options: ['continue', 'rematch'] },
        { name: 'comment', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});

export const midpointFeedback = builtInForm({
  id: 'midpoint-feedback',
  version: 1,
  texts: 'forms.midpointFeedback',
  sections: [
    {
      key: 'soFar',
      fields: [rating('working'), rating('progress'), { name: 'adjust', kind: 'long-text', maxLength: 2000 }],
    },
  ],
});

export const finalEvaluation = builtInForm({
  id: 'final-evaluation',
  version: 1,
  texts: 'forms.finalEvaluation',
  sections: [
    {
      key: 'lookingBack',
      fields: [
        rating('goals'),
        rating('satisfaction'),
        { name: 'summary', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'trainingNeeds', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});
