/** What a prospective mentor tells the programme: the first form of a programme, read at the interview and by matching. */
import { builtInForm, type FieldStructure } from './built-in.js';
import { menteeApplicationStructure as mentee } from './mentee-application.js';

/**
 * The same questions about where someone sits in the organisation, so matching compares like with like,
 * worded as the mentee application words them; but languages are asked of the one who mentors (its
 * own label, the mentee application's option words).
 */
const aboutYou: FieldStructure[] = mentee.sections[0]!.fields.filter((f) => f.name !== 'managerEmail').map(
  (f) =>
    f.name === 'languages'
      ? { ...f, optionTexts: `${mentee.texts}.fields.languages.options` }
      : { ...f, texts: `${mentee.texts}.fields.${f.name}` },
);

export const mentorApplication = builtInForm({
  id: 'mentor-application',
  version: 1,
  texts: 'forms.mentorApplication',
  sections: [
    { key: 'aboutYou', fields: aboutYou },
    {
      key: 'whatYouOffer',
      fields: [
        { name: 'experience', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'motivation', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'offers', kind: 'long-text', required: true, maxLength: 2000 },
        { name: 'capacity', kind: 'single-choice', required: true, options: ['1', '2', '3'] },
      ],
    },
    { key: 'consent', fields: [{ name: 'consent', kind: 'consent', required: true }] },
  ],
});
