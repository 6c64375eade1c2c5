/**
 * The forms of a learning network (seed 004): an organisation's enrolment, the evaluation of each
 * gathering, the homework between gatherings, the project leader's guidance log, and the final evaluation.
 */
import { builtInForm } from './built-in.js';

export const networkEnrolment = builtInForm({
  id: 'network-enrolment',
  version: 1,
  texts: 'forms.networkEnrolment',
  sections: [
    {
      key: 'organisation',
      fields: [
        { name: 'organisation', kind: 'short-text', required: true, maxLength: 200 },
        { name: 'ownerName', kind: 'short-text', required: true, maxLength: 120 },
        { name: 'ownerEmail', kind: 'email', required: true },
        { name: 'leaderName', kind: 'short-text', required: true, maxLength: 120 },
        { name: 'leaderEmail', kind: 'email', required: true },
      ],
    },
    {
      key: 'projectGroup',
      fields: [
        { name: 'members', kind: 'long-text', maxLength: 4000 },
        { name: 'motivation', kind: 'long-text', required: true, maxLength: 3000 },
        { name: 'consent', kind: 'consent', required: true },
      ],
    },
  ],
});

export const gatheringEvaluation = builtInForm({
  id: 'gathering-evaluation',
  version: 1,
  texts: 'forms.gatheringEvaluation',
  sections: [
    {
      key: 'gathering',
      fields: [
        { name: 'useful', kind: 'rating', required: true },
        { name: 'comment', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});

export const networkHomework = builtInForm({
  id: 'network-homework',
  version: 1,
  texts: 'forms.networkHomework',
  sections: [
    {
      key: 'assignment',
      fields: [
        { name: 'report', kind: 'long-text', required: true, maxLength: 4000 },
        { name: 'questions', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});

export const guidanceLog = builtInForm({
  id: 'guidance-log',
  version: 1,
  texts: 'forms.guidanceLog',
  sections: [
    {
      key: 'session',
      fields: [
        { name: 'held', kind: 'yes-no', required: true },
        { name: 'date', kind: 'date' },
        { name: 'topics', kind: 'long-text', maxLength: 2000 },
      ],
    },
  ],
});

export const networkFinalEvaluation = builtInForm({
  id: 'network-final-evaluation',
  version: 1,
  texts: 'forms.networkFinalEvaluation',
  sections: [
    {
      key: 'lookingBack',
      fields: [
        { name: 'overall', kind: 'rating', required: true },
        {
          name: 'programme',
          kind: 'single-choice',
          required: true,
          options: ['running', 'starting', 'planned', 'not-yet'],
        },
        { name: 'comment', kind: 'long-text', maxLength: 3000 },
      ],
    },
  ],
});

export const learningNetworkForms = [
  networkEnrolment,
  gatheringEvaluation,
  networkHomework,
  guidanceLog,
  networkFinalEvaluation,
];
