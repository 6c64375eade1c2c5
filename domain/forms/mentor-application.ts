/** What a prospective mentor tells the programme (DOMAIN.md, "Application"). */
import { FormDefinition } from './definition.js';
import { menteeApplication } from './mentee-application.js';

/** The languages question, asked of the one who mentors rather than the one mentored. */
const MENTOR_LANGUAGES = {
  en: 'Languages you can mentor in',
  nb: 'Språk du kan være mentor på',
  da: 'Sprog, du kan være mentor på',
  sv: 'Språk du kan vara mentor på',
  nl: 'Talen waarin je kunt begeleiden',
} as const;

/** The same questions about where someone sits in the organisation, so matching compares like with like. */
const aboutYou = menteeApplication.sections[0]!.fields.filter((f) => f.name !== 'managerEmail').map((f) =>
  f.name === 'languages' ? { ...f, label: MENTOR_LANGUAGES.en } : f,
);
/** Those questions' texts in `lang`, worded as the mentee application words them (but for languages). */
const aboutYouIn = (lang: 'nb' | 'da' | 'sv' | 'nl') =>
  Object.fromEntries(
    aboutYou.map((f) => {
      const text = menteeApplication.translations?.[lang]?.fields?.[f.name];
      return [f.name, f.name === 'languages' ? { ...text, label: MENTOR_LANGUAGES[lang] } : text];
    }),
  );

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
  translations: {
    nb: {
      title: 'Meld deg som mentor',
      intro:
        'Mentorer møter en kollega fra en annen del av organisasjonen omtrent én time i måneden. Fortell om ' +
        'erfaringen din og hva du kan tilby; koordinatoren inviterer deg til en kort samtale.',
      sections: ['Om deg', 'Hva du tilbyr', 'Samtykke'],
      fields: {
        ...aboutYouIn('nb'),
        experience: { label: 'Erfaringen din' },
        motivation: { label: 'Hvorfor vil du være mentor?' },
        offers: { label: 'Hva kan en adept lære av deg?' },
        capacity: {
          label: 'Hvor mange adepter kan du ta på én gang?',
          options: { '1': 'Én', '2': 'To', '3': 'Tre' },
        },
        consent: {
          label:
            'Jeg samtykker i at programgruppen bruker svarene mine til samtale og til å matche meg med adepter.',
        },
      },
    },
    da: {
      title: 'Meld dig som mentor',
      intro:
        'Mentorer mødes med en kollega fra en anden del af organisationen cirka en time om måneden. Fortæl om ' +
        'din erfaring, og hvad du kan tilbyde; koordinatoren inviterer dig til en kort samtale.',
      sections: ['Om dig', 'Hvad du tilbyder', 'Samtykke'],
      fields: {
        ...aboutYouIn('da'),
        experience: { label: 'Din erfaring' },
        motivation: { label: 'Hvorfor vil du være mentor?' },
        offers: { label: 'Hvad kan en mentee lære af dig?' },
        capacity: {
          label: 'Hvor mange mentees kan du have ad gangen?',
          options: { '1': 'Én', '2': 'To', '3': 'Tre' },
        },
        consent: {
          label:
            'Jeg giver samtykke til, at programgruppen bruger mine svar til samtale og til at matche mig med mentees.',
        },
      },
    },
    sv: {
      title: 'Anmäl dig som mentor',
      intro:
        'Mentorer träffar en kollega från en annan del av organisationen ungefär en timme i månaden. Berätta om ' +
        'din erfarenhet och vad du kan erbjuda; koordinatorn bjuder in dig till en kort intervju.',
      sections: ['Om dig', 'Vad du erbjuder', 'Samtycke'],
      fields: {
        ...aboutYouIn('sv'),
        experience: { label: 'Din erfarenhet' },
        motivation: { label: 'Varför vill du bli mentor?' },
        offers: { label: 'Vad kan en adept lära sig av dig?' },
        capacity: {
          label: 'Hur många adepter kan du ta emot samtidigt?',
          options: { '1': 'En', '2': 'Två', '3': 'Tre' },
        },
        consent: {
          label:
            'Jag samtycker till att programgruppen använder mina svar för intervju och för att matcha mig med adepter.',
        },
      },
    },
    nl: {
      title: 'Aanmelden als mentor',
      intro:
        'Mentoren spreken ongeveer een uur per maand af met een collega uit een ander deel van de organisatie. ' +
        'Vertel over je ervaring en wat je kunt bieden; de coördinator nodigt je uit voor een kort gesprek.',
      sections: ['Over jou', 'Wat je te bieden hebt', 'Toestemming'],
      fields: {
        ...aboutYouIn('nl'),
        experience: { label: 'Je ervaring' },
        motivation: { label: 'Waarom wil je mentor worden?' },
        offers: { label: 'Wat kan een mentee van je leren?' },
        capacity: {
          label: 'Hoeveel mentees kun je tegelijk begeleiden?',
          options: { '1': 'Eén', '2': 'Twee', '3': 'Drie' },
        },
        consent: {
          label:
            'Ik geef toestemming dat de programmagroep mijn antwoorden gebruikt voor het gesprek en om mij aan mentees te koppelen.',
        },
      },
    },
  },
});
