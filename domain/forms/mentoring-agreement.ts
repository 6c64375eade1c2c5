/**
 * The mutual, binding agreement both sign at kickoff: goals, how they meet, confidentiality and how it
 * ends. Since version 2 the agreement sets the pair's meeting rhythm: how often (no less often than the
 * programme asks), the first meeting's day and time, how long and where. Those answers are the pair's
 * together: whoever signs second finds the first one's plan filled in, and confirms or changes it; the
 * plan of the later signature stands (workflows/relationship/meeting-plan.ts).
 */
import { builtInForm, type FormStructure } from './built-in.js';

const goals: FormStructure['sections'][number] = {
  key: 'goals',
  fields: [
    { name: 'goals', kind: 'long-text', required: true, maxLength: 2000 },
    { name: 'milestones', kind: 'long-text', required: true, maxLength: 2000 },
  ],
};
const signature: FormStructure['sections'][number] = {
  key: 'signature',
  fields: [
    { name: 'confidentiality', kind: 'consent', required: true },
    { name: 'signed', kind: 'consent', required: true },
  ],
};
const form = {
  name: 'form',
  kind: 'single-choice',
  required: true,
  options: ['in-person', 'video', 'mixed'],
} as const;

export const mentoringAgreement = builtInForm({
  id: 'mentoring-agreement',
  version: 2,
  texts: 'forms.mentoringAgreement',
  sections: [
    goals,
    {
      key: 'meetings',
      shared: true,
      fields: [
        // Left empty, the programme's own rhythm and a first date it proposes (either can move it).
        {
          name: 'frequency',
          texts: 'forms.mentoringAgreement.fields.rhythm',
          kind: 'single-choice',
          display: 'radio',
          options: ['P1W', 'P2W', 'P1M'],
          upTo: 'meetingCadence',
        },
        { name: 'firstMeeting', kind: 'date-time', ahead: true },
        {
          name: 'meetingMinutes',
          kind: 'single-choice',
          display: 'radio',
          options: ['30', '45', '60', '90'],
        },
        { name: 'place', kind: 'short-text', maxLength: 300 },
        form,
      ],
    },
    signature,
  ],
});

/** Version 1: how often was a word, and the programme's cadence set the meetings. Answers given on it render with it. */
export const mentoringAgreementV1 = builtInForm({
  id: 'mentoring-agreement',
  version: 1,
  texts: 'forms.mentoringAgreement',
  sections: [
    goals,
    {
      key: 'meetings',
      fields: [
        {
          name: 'frequency',
          kind: 'single-choice',
          required: true,
          options: ['monthly', 'fortnightly', 'other'],
        },
        form,
      ],
    },
    signature,
  ],
});
