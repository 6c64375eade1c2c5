/** What a prospective mentee tells the programme (DOMAIN.md, "Application"). */
import { FormDefinition } from './definition.js';

export const menteeApplication = FormDefinition.parse({
  id: 'mentee-application',
  version: 1,
  title: 'Apply for a mentor',
  intro:
    'Tell us who you are and what you hope to gain. The programme coordinator reads every application ' +
    'and will invite you to a short interview. Your answers are used only to run this programme.',
  sections: [
    {
      title: 'About you',
      fields: [
        { name: 'name', kind: 'short-text', label: 'Your name', required: true, maxLength: 120 },
        {
          name: 'email',
          kind: 'email',
          label: 'Your work email',
          required: true,
          help: 'We send your personal status link here.',
        },
        {
          name: 'department',
          kind: 'short-text',
          label: 'Department or unit',
          required: true,
          maxLength: 120,
        },
        {
          name: 'location',
          kind: 'short-text',
          label: 'Where you work (site or city)',
          required: true,
          maxLength: 120,
        },
        {
          name: 'level',
          kind: 'single-choice',
          label: 'Your level in the organisation',
          required: true,
          options: [
            { value: '1', label: 'Employee' },
            { value: '2', label: 'Team lead or specialist' },
            { value: '3', label: 'Manager' },
            { value: '4', label: 'Senior manager' },
            { value: '5', label: 'Director or executive' },
          ],
        },
        {
          name: 'languages',
          kind: 'multiple-choice',
          label: 'Languages you can be mentored in',
          required: true,
          options: [
            { value: 'en', label: 'English' },
            { value: 'nb', label: 'Norwegian' },
            { value: 'da', label: 'Danish' },
            { value: 'sv', label: 'Swedish' },
            { value: 'nl', label: 'Dutch' },
          ],
        },
        {
          name: 'managerEmail',
          kind: 'email',
          label: "Your daily manager's email",
          required: true,
          help: 'Your manager is told about your application and asked to endorse it.',
        },
      ],
    },
    {
      title: 'Why a mentor',
      fields: [
        {
          name: 'reasons',
          kind: 'long-text',
          label: 'Why do you want a mentor now?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'goals',
          kind: 'long-text',
          label: 'What do you want to achieve or learn?',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'experience',
          kind: 'long-text',
          label: 'Earlier experience with mentoring, if any',
          maxLength: 2000,
        },
        { name: 'interests', kind: 'short-text', label: 'Interests outside work (optional)', maxLength: 300 },
      ],
    },
    {
      title: 'Consent',
      fields: [
        {
          name: 'consent',
          kind: 'consent',
          label:
            'I agree that the programme group uses my answers to interview and match me, and that my manager is told.',
          required: true,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Søk om mentor',
      intro:
        'Fortell hvem du er og hva du håper å få ut av programmet. Koordinatoren leser alle søknader og ' +
        'inviterer deg til en kort samtale. Svarene brukes bare til å drive dette programmet.',
      sections: ['Om deg', 'Hvorfor mentor', 'Samtykke'],
      fields: {
        name: { label: 'Navnet ditt' },
        email: {
          label: 'E-postadressen din på jobb',
          help: 'Hit sender vi lenken til din personlige statusside.',
        },
        department: { label: 'Avdeling eller enhet' },
        location: { label: 'Hvor du jobber (sted eller by)' },
        level: {
          label: 'Nivået ditt i organisasjonen',
          options: {
            '1': 'Medarbeider',
            '2': 'Teamleder eller spesialist',
            '3': 'Leder',
            '4': 'Overordnet leder',
            '5': 'Direktør',
          },
        },
        languages: {
          label: 'Språk du kan ha mentor på',
          options: { en: 'Engelsk', nb: 'Norsk', da: 'Dansk', sv: 'Svensk', nl: 'Nederlandsk' },
        },
        managerEmail: {
          label: 'E-postadressen til nærmeste leder',
          help: 'Lederen din får vite om søknaden og blir bedt om å anbefale den.',
        },
        reasons: { label: 'Hvorfor vil du ha en mentor nå?' },
        goals: { label: 'Hva vil du oppnå eller lære?' },
        experience: { label: 'Tidligere erfaring med mentoring, om noen' },
        interests: { label: 'Interesser utenfor jobben (valgfritt)' },
        consent: {
          label:
            'Jeg samtykker i at programgruppen bruker svarene mine til samtale og matching, og at lederen min får beskjed.',
        },
      },
    },
    da: {
      title: 'Søg om en mentor',
      intro:
        'Fortæl, hvem du er, og hvad du håber at få ud af forløbet. Koordinatoren læser alle ansøgninger og ' +
        'inviterer dig til en kort samtale. Dine svar bruges kun til at drive dette program.',
      sections: ['Om dig', 'Hvorfor en mentor', 'Samtykke'],
      fields: {
        name: { label: 'Dit navn' },
        email: { label: 'Din arbejdsmail', help: 'Her sender vi linket til din personlige statusside.' },
        department: { label: 'Afdeling eller enhed' },
        location: { label: 'Hvor du arbejder (sted eller by)' },
        level: {
          label: 'Dit niveau i organisationen',
          options: {
            '1': 'Medarbejder',
            '2': 'Teamleder eller specialist',
            '3': 'Leder',
            '4': 'Overordnet leder',
            '5': 'Direktør',
          },
        },
        languages: {
          label: 'Sprog, du kan have mentor på',
          options: { en: 'Engelsk', nb: 'Norsk', da: 'Dansk', sv: 'Svensk', nl: 'Nederlandsk' },
        },
        managerEmail: {
          label: 'Din nærmeste leders e-mail',
          help: 'Din leder får besked om ansøgningen og bliver bedt om at anbefale den.',
        },
        reasons: { label: 'Hvorfor ønsker du en mentor nu?' },
        goals: { label: 'Hvad vil du opnå eller lære?' },
        experience: { label: 'Tidligere erfaring med mentorordninger, hvis nogen' },
        interests: { label: 'Interesser uden for arbejdet (valgfrit)' },
        consent: {
          label:
            'Jeg giver samtykke til, at programgruppen bruger mine svar til samtale og matchning, og at min leder får besked.',
        },
      },
    },
    sv: {
      title: 'Ansök om en mentor',
      intro:
        'Berätta vem du är och vad du hoppas få ut av programmet. Koordinatorn läser varje ansökan och ' +
        'bjuder in dig till en kort intervju. Dina svar används bara för att driva detta program.',
      sections: ['Om dig', 'Varför en mentor', 'Samtycke'],
      fields: {
        name: { label: 'Ditt namn' },
        email: {
          label: 'Din e-postadress på jobbet',
          help: 'Hit skickar vi länken till din personliga statussida.',
        },
        department: { label: 'Avdelning eller enhet' },
        location: { label: 'Var du arbetar (ort eller stad)' },
        level: {
          label: 'Din nivå i organisationen',
          options: {
            '1': 'Medarbetare',
            '2': 'Teamledare eller specialist',
            '3': 'Chef',
            '4': 'Högre chef',
            '5': 'Direktör',
          },
        },
        languages: {
          label: 'Språk du kan ha mentor på',
          options: { en: 'Engelska', nb: 'Norska', da: 'Danska', sv: 'Svenska', nl: 'Nederländska' },
        },
        managerEmail: {
          label: 'E-postadress till din närmaste chef',
          help: 'Din chef får veta om ansökan och ombeds att stödja den.',
        },
        reasons: { label: 'Varför vill du ha en mentor nu?' },
        goals: { label: 'Vad vill du uppnå eller lära dig?' },
        experience: { label: 'Tidigare erfarenhet av mentorskap, om någon' },
        interests: { label: 'Intressen utanför jobbet (frivilligt)' },
        consent: {
          label:
            'Jag samtycker till att programgruppen använder mina svar för intervju och matchning, och att min chef informeras.',
        },
      },
    },
    nl: {
      title: 'Aanmelden voor een mentor',
      intro:
        'Vertel wie je bent en wat je hoopt te bereiken. De coördinator leest elke aanmelding en nodigt je ' +
        'uit voor een kort gesprek. Je antwoorden worden alleen gebruikt voor dit programma.',
      sections: ['Over jou', 'Waarom een mentor', 'Toestemming'],
      fields: {
        name: { label: 'Je naam' },
        email: {
          label: 'Je e-mailadres op het werk',
          help: 'Hierheen sturen we de link naar je persoonlijke statuspagina.',
        },
        department: { label: 'Afdeling of eenheid' },
        location: { label: 'Waar je werkt (locatie of stad)' },
        level: {
          label: 'Je niveau in de organisatie',
          options: {
            '1': 'Medewerker',
            '2': 'Teamleider of specialist',
            '3': 'Leidinggevende',
            '4': 'Senior leidinggevende',
            '5': 'Directeur',
          },
        },
        languages: {
          label: 'Talen waarin je begeleid kunt worden',
          options: { en: 'Engels', nb: 'Noors', da: 'Deens', sv: 'Zweeds', nl: 'Nederlands' },
        },
        managerEmail: {
          label: 'E-mailadres van je direct leidinggevende',
          help: 'Je leidinggevende hoort van je aanmelding en wordt gevraagd die te steunen.',
        },
        reasons: { label: 'Waarom wil je nu een mentor?' },
        goals: { label: 'Wat wil je bereiken of leren?' },
        experience: { label: 'Eerdere ervaring met mentoring, als je die hebt' },
        interests: { label: 'Interesses buiten het werk (optioneel)' },
        consent: {
          label:
            'Ik geef toestemming dat de programmagroep mijn antwoorden gebruikt voor het gesprek en de koppeling, en dat mijn leidinggevende het hoort.',
        },
      },
    },
  },
});
