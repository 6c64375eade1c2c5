/** The forms of a running relationship: meeting logs, the early fit check, mid-point and final feedback. */
import { FormDefinition, RATING_OPTIONS } from './definition.js';

const rating = (name: string, label: string) => ({
  name,
  kind: 'single-choice' as const,
  label,
  required: true,
  options: RATING_OPTIONS,
});

export const meetingLog = FormDefinition.parse({
  id: 'meeting-log',
  version: 1,
  title: 'Log of your mentoring meeting',
  intro:
    'A few lines after each meeting help you see your progress; only you and the programme group read them.',
  sections: [
    {
      title: 'The meeting',
      fields: [
        {
          name: 'held',
          kind: 'single-choice',
          label: 'Did the meeting take place?',
          required: true,
          options: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ],
        },
        { name: 'date', kind: 'date', label: 'When you met' },
        { name: 'topics', kind: 'long-text', label: 'What you talked about (the agenda)', maxLength: 2000 },
        { name: 'learning', kind: 'long-text', label: 'What you learned or will try', maxLength: 2000 },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Logg fra mentormøtet',
      intro:
        'Noen linjer etter hvert møte hjelper deg å se utviklingen; bare du og programgruppen leser dem.',
      sections: ['Møtet'],
      fields: {
        held: { label: 'Ble møtet holdt?', options: { yes: 'Ja', no: 'Nei' } },
        date: { label: 'Når dere møttes' },
        topics: { label: 'Hva dere snakket om (agendaen)' },
        learning: { label: 'Hva du lærte eller vil prøve' },
      },
    },
    da: {
      title: 'Log fra mentormødet',
      intro:
        'Et par linjer efter hvert møde hjælper dig med at se din udvikling; kun du og programgruppen læser dem.',
      sections: ['Mødet'],
      fields: {
        held: { label: 'Blev mødet holdt?', options: { yes: 'Ja', no: 'Nej' } },
        date: { label: 'Hvornår I mødtes' },
        topics: { label: 'Hvad I talte om (dagsordenen)' },
        learning: { label: 'Hvad du lærte eller vil prøve' },
      },
    },
    sv: {
      title: 'Logg från mentorsmötet',
      intro:
        'Några rader efter varje möte hjälper dig att se din utveckling; bara du och programgruppen läser dem.',
      sections: ['Mötet'],
      fields: {
        held: { label: 'Blev mötet av?', options: { yes: 'Ja', no: 'Nej' } },
        date: { label: 'När ni träffades' },
        topics: { label: 'Vad ni pratade om (dagordningen)' },
        learning: { label: 'Vad du lärde dig eller vill prova' },
      },
    },
    nl: {
      title: 'Verslag van je mentorgesprek',
      intro:
        'Een paar regels na elk gesprek helpen je je voortgang te zien; alleen jij en de programmagroep lezen ze.',
      sections: ['Het gesprek'],
      fields: {
        held: { label: 'Heeft het gesprek plaatsgevonden?', options: { yes: 'Ja', no: 'Nee' } },
        date: { label: 'Wanneer jullie afspraken' },
        topics: { label: 'Waar jullie over spraken (de agenda)' },
        learning: { label: 'Wat je hebt geleerd of wilt proberen' },
      },
    },
  },
});

export const fitCheck = FormDefinition.parse({
  id: 'fit-check',
  version: 1,
  title: 'How is your mentoring pair working?',
  intro:
    'After your first meeting: does the match feel right? Asking for a new match is no one’s fault, and the ' +
    'other person is only told that the pair ends.',
  sections: [
    {
      title: 'Your view',
      fields: [
        {
          name: 'choice',
          kind: 'single-choice',
          label: 'How would you like to go on?',
          required: true,
          options: [
            { value: 'continue', label: 'Continue together' },
            { value: 'rematch', label: 'Ask for a new match' },
          ],
        },
        {
          name: 'comment',
          kind: 'long-text',
          label: 'Anything the coordinator should know (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
});

export const midpointFeedback = FormDefinition.parse({
  id: 'midpoint-feedback',
  version: 1,
  title: 'Mid-point feedback',
  intro: 'Half-way through: how does the relationship work, and what progress have you made?',
  sections: [
    {
      title: 'So far',
      fields: [
        rating('working', 'The relationship works well'),
        rating('progress', 'We make progress towards the goals'),
        {
          name: 'adjust',
          kind: 'long-text',
          label: 'What should change for the second half?',
          maxLength: 2000,
        },
      ],
    },
  ],
});

export const finalEvaluation = FormDefinition.parse({
  id: 'final-evaluation',
  version: 1,
  title: 'Final evaluation',
  intro:
    'The relationship is closing. Your evaluation helps the programme and is handed to HR as statistics.',
  sections: [
    {
      title: 'Looking back',
      fields: [
        rating('goals', 'The goals of the agreement were reached'),
        rating('satisfaction', 'I am satisfied with the relationship'),
        {
          name: 'summary',
          kind: 'long-text',
          label: 'What you take with you',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'trainingNeeds',
          kind: 'long-text',
          label: 'Training needs you discovered (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
});
