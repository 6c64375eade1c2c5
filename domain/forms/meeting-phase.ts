/** The forms of a running relationship: meeting logs, the early fit check, mid-point and final feedback. */
import { FormDefinition, RATING_OPTIONS } from './definition.js';
import { ratingOptions } from './scales.js';

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
  translations: {
    nb: {
      title: 'Hvordan fungerer mentorparet deres?',
      intro:
        'Etter det første møtet: Føles matchen riktig? Å be om en ny match betyr ikke at noen har gjort noe ' +
        'galt, og den andre får bare vite at paret avsluttes.',
      sections: ['Din vurdering'],
      fields: {
        choice: {
          label: 'Hvordan vil du gå videre?',
          options: { continue: 'Fortsette sammen', rematch: 'Be om en ny match' },
        },
        comment: { label: 'Noe koordinatoren bør vite (valgfritt)' },
      },
    },
    da: {
      title: 'Hvordan fungerer jeres mentorpar?',
      intro:
        'Efter jeres første møde: Føles matchet rigtigt? Det er ingens skyld at bede om et nyt match, og den ' +
        'anden får kun at vide, at parret ophører.',
      sections: ['Din vurdering'],
      fields: {
        choice: {
          label: 'Hvordan vil du gerne fortsætte?',
          options: { continue: 'Fortsætte sammen', rematch: 'Bede om et nyt match' },
        },
        comment: { label: 'Noget, koordinatoren bør vide (valgfrit)' },
      },
    },
    sv: {
      title: 'Hur fungerar ert mentorspar?',
      intro:
        'Efter ert första möte: känns matchningen rätt? Att be om en ny matchning är ingens fel, och den andra ' +
        'personen får bara veta att paret avslutas.',
      sections: ['Din bedömning'],
      fields: {
        choice: {
          label: 'Hur vill du gå vidare?',
          options: { continue: 'Fortsätta tillsammans', rematch: 'Be om en ny matchning' },
        },
        comment: { label: 'Något koordinatorn bör veta (frivilligt)' },
      },
    },
    nl: {
      title: 'Hoe loopt jullie mentorkoppel?',
      intro:
        'Na jullie eerste gesprek: voelt de koppeling goed? Om een nieuwe koppeling vragen is niemands schuld, ' +
        'en de ander hoort alleen dat het koppel stopt.',
      sections: ['Jouw kijk'],
      fields: {
        choice: {
          label: 'Hoe wil je verder?',
          options: { continue: 'Samen doorgaan', rematch: 'Om een nieuwe koppeling vragen' },
        },
        comment: { label: 'Iets wat de coördinator moet weten (optioneel)' },
      },
    },
  },
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
  translations: {
    nb: {
      title: 'Tilbakemelding halvveis',
      intro: 'Halvveis i forløpet: Hvordan fungerer relasjonen, og hvilken fremgang har du hatt?',
      sections: ['Så langt'],
      fields: {
        working: { label: 'Relasjonen fungerer godt', options: ratingOptions.nb },
        progress: { label: 'Vi gjør fremskritt mot målene', options: ratingOptions.nb },
        adjust: { label: 'Hva bør endres i andre halvdel?' },
      },
    },
    da: {
      title: 'Feedback midtvejs',
      intro: 'Halvvejs i forløbet: Hvordan fungerer relationen, og hvilke fremskridt har du gjort?',
      sections: ['Indtil nu'],
      fields: {
        working: { label: 'Relationen fungerer godt', options: ratingOptions.da },
        progress: { label: 'Vi gør fremskridt mod målene', options: ratingOptions.da },
        adjust: { label: 'Hvad bør ændres i anden halvdel?' },
      },
    },
    sv: {
      title: 'Feedback halvvägs',
      intro: 'Halvvägs: hur fungerar relationen, och vilka framsteg har du gjort?',
      sections: ['Hittills'],
      fields: {
        working: { label: 'Relationen fungerar bra', options: ratingOptions.sv },
        progress: { label: 'Vi gör framsteg mot målen', options: ratingOptions.sv },
        adjust: { label: 'Vad bör ändras under andra halvan?' },
      },
    },
    nl: {
      title: 'Feedback halverwege',
      intro: 'Halverwege: hoe werkt de relatie, en welke vooruitgang heb je geboekt?',
      sections: ['Tot nu toe'],
      fields: {
        working: { label: 'De relatie werkt goed', options: ratingOptions.nl },
        progress: { label: 'We boeken vooruitgang richting de doelen', options: ratingOptions.nl },
        adjust: { label: 'Wat moet er anders in de tweede helft?' },
      },
    },
  },
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
  translations: {
    nb: {
      title: 'Sluttevaluering',
      intro:
        'Relasjonen avsluttes. Evalueringen din hjelper programmet og overleveres til HR som statistikk.',
      sections: ['Tilbakeblikk'],
      fields: {
        goals: { label: 'Målene i avtalen ble nådd', options: ratingOptions.nb },
        satisfaction: { label: 'Jeg er fornøyd med relasjonen', options: ratingOptions.nb },
        summary: { label: 'Hva du tar med deg videre' },
        trainingNeeds: { label: 'Opplæringsbehov du har oppdaget (valgfritt)' },
      },
    },
    da: {
      title: 'Slutevaluering',
      intro: 'Relationen afsluttes. Din evaluering hjælper programmet og gives videre til HR som statistik.',
      sections: ['Tilbageblik'],
      fields: {
        goals: { label: 'Målene i aftalen blev nået', options: ratingOptions.da },
        satisfaction: { label: 'Jeg er tilfreds med relationen', options: ratingOptions.da },
        summary: { label: 'Hvad du tager med dig' },
        trainingNeeds: { label: 'Uddannelsesbehov, du har opdaget (valgfrit)' },
      },
    },
    sv: {
      title: 'Slututvärdering',
      intro: 'Relationen avslutas. Din utvärdering hjälper programmet och lämnas till HR som statistik.',
      sections: ['Tillbakablick'],
      fields: {
        goals: { label: 'Målen i avtalet har nåtts', options: ratingOptions.sv },
        satisfaction: { label: 'Jag är nöjd med relationen', options: ratingOptions.sv },
        summary: { label: 'Vad du tar med dig' },
        trainingNeeds: { label: 'Utbildningsbehov du har upptäckt (frivilligt)' },
      },
    },
    nl: {
      title: 'Eindevaluatie',
      intro: 'De relatie wordt afgesloten. Je evaluatie helpt het programma en gaat als statistiek naar HR.',
      sections: ['Terugblik'],
      fields: {
        goals: { label: 'De doelen uit de overeenkomst zijn bereikt', options: ratingOptions.nl },
        satisfaction: { label: 'Ik ben tevreden over de relatie', options: ratingOptions.nl },
        summary: { label: 'Wat je meeneemt' },
        trainingNeeds: { label: 'Opleidingsbehoeften die je hebt ontdekt (optioneel)' },
      },
    },
  },
});
