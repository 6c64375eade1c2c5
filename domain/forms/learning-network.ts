/**
 * The forms of a learning network (seed 004): an organisation's enrolment, the evaluation of each
 * gathering, the homework between gatherings, the project leader's guidance log, and the final evaluation.
 */
import { FormDefinition } from './definition.js';
import { ratingOptions, yesNo } from './scales.js';

export const networkEnrolment = FormDefinition.parse({
  id: 'network-enrolment',
  version: 1,
  title: 'Enrol your organisation in the learning network',
  intro:
    'The network helps your organisation build its own mentor programme over two years: seven gatherings, homework between them and guidance for your project leader. Anchoring matters: name the project owner, the project leader and the project group who will attend every gathering.',
  sections: [
    {
      title: 'Your organisation',
      fields: [
        { name: 'organisation', kind: 'short-text', label: 'Organisation', required: true, maxLength: 200 },
        {
          name: 'ownerName',
          kind: 'short-text',
          label: 'Project owner’s name',
          required: true,
          maxLength: 120,
        },
        { name: 'ownerEmail', kind: 'email', label: 'Project owner’s email', required: true },
        {
          name: 'leaderName',
          kind: 'short-text',
          label: 'Project leader’s name',
          required: true,
          maxLength: 120,
        },
        {
          name: 'leaderEmail',
          kind: 'email',
          label: 'Project leader’s email',
          help: 'The project leader receives the homework, the guidance log and the final evaluation.',
          required: true,
        },
      ],
    },
    {
      title: 'The project group',
      fields: [
        {
          name: 'members',
          kind: 'long-text',
          label: 'Other members of the project group',
          help: 'One per line: name, then email, such as “Kari Nordmann, kari@example.org”. Everyone is invited to the gatherings.',
          maxLength: 4000,
        },
        {
          name: 'motivation',
          kind: 'long-text',
          label: 'Why your organisation wants a mentor programme',
          required: true,
          maxLength: 3000,
        },
        {
          name: 'consent',
          kind: 'consent',
          label:
            'We will take part in every gathering and do the homework, and agree that the network keeps these names and addresses for as long as it runs.',
          required: true,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Meld organisasjonen deres på læringsnettverket',
      intro:
        'Nettverket hjelper organisasjonen deres med å bygge et eget mentorprogram over to år: sju samlinger, hjemmeoppgaver mellom dem og veiledning for prosjektlederen. Forankring er viktig: oppgi prosjekteieren, prosjektlederen og prosjektgruppen som skal delta på alle samlingene.',
      sections: ['Organisasjonen deres', 'Prosjektgruppen'],
      fields: {
        organisation: { label: 'Organisasjon' },
        ownerName: { label: 'Prosjekteierens navn' },
        ownerEmail: { label: 'Prosjekteierens e-postadresse' },
        leaderName: { label: 'Prosjektlederens navn' },
        leaderEmail: {
          label: 'Prosjektlederens e-postadresse',
          help: 'Prosjektlederen får hjemmeoppgavene, veiledningsloggen og sluttevalueringen.',
        },
        members: {
          label: 'Andre medlemmer av prosjektgruppen',
          help: 'Én per linje: navn, deretter e-postadresse, for eksempel «Kari Nordmann, kari@example.org». Alle blir invitert til samlingene.',
        },
        motivation: { label: 'Hvorfor organisasjonen deres ønsker et mentorprogram' },
        consent: {
          label:
            'Vi deltar på alle samlingene og gjør hjemmeoppgavene, og samtykker i at nettverket tar vare på disse navnene og adressene så lenge det varer.',
        },
      },
    },
    da: {
      title: 'Tilmeld jeres organisation til læringsnetværket',
      intro:
        'Netværket hjælper jeres organisation med at opbygge sit eget mentorprogram over to år: syv samlinger, hjemmeopgaver mellem dem og vejledning til jeres projektleder. Forankring er vigtig: Angiv projektejeren, projektlederen og den projektgruppe, der deltager i alle samlinger.',
      sections: ['Jeres organisation', 'Projektgruppen'],
      fields: {
        organisation: { label: 'Organisation' },
        ownerName: { label: 'Projektejerens navn' },
        ownerEmail: { label: 'Projektejerens e-mail' },
        leaderName: { label: 'Projektlederens navn' },
        leaderEmail: {
          label: 'Projektlederens e-mail',
          help: 'Projektlederen modtager hjemmeopgaverne, vejledningsloggen og slutevalueringen.',
        },
        members: {
          label: 'Andre medlemmer af projektgruppen',
          help: 'Én pr. linje: navn og derefter e-mail, fx »Mette Hansen, mette@example.org«. Alle inviteres til samlingerne.',
        },
        motivation: { label: 'Hvorfor jeres organisation ønsker et mentorprogram' },
        consent: {
          label:
            'Vi deltager i alle samlinger og laver hjemmeopgaverne og giver samtykke til, at netværket opbevarer disse navne og adresser, så længe det løber.',
        },
      },
    },
    sv: {
      title: 'Anmäl er organisation till det lärande nätverket',
      intro:
        'Nätverket hjälper er organisation att bygga ett eget mentorprogram under två år: sju träffar, hemuppgifter mellan dem och handledning för er projektledare. Förankring är viktig: ange projektägaren, projektledaren och den projektgrupp som ska delta i varje träff.',
      sections: ['Er organisation', 'Projektgruppen'],
      fields: {
        organisation: { label: 'Organisation' },
        ownerName: { label: 'Projektägarens namn' },
        ownerEmail: { label: 'Projektägarens e-postadress' },
        leaderName: { label: 'Projektledarens namn' },
        leaderEmail: {
          label: 'Projektledarens e-postadress',
          help: 'Projektledaren får hemuppgifterna, handledningsloggen och slututvärderingen.',
        },
        members: {
          label: 'Övriga medlemmar i projektgruppen',
          help: 'En per rad: namn och sedan e-postadress, till exempel ”Anna Andersson, anna@example.org”. Alla bjuds in till träffarna.',
        },
        motivation: { label: 'Varför er organisation vill ha ett mentorprogram' },
        consent: {
          label:
            'Vi deltar i varje träff och gör hemuppgifterna, och samtycker till att nätverket sparar dessa namn och adresser så länge det pågår.',
        },
      },
    },
    nl: {
      title: 'Meld je organisatie aan voor het lerend netwerk',
      intro:
        'Het netwerk helpt je organisatie om in twee jaar een eigen mentorprogramma op te bouwen: zeven bijeenkomsten, huiswerk daartussen en begeleiding voor je projectleider. Verankering is belangrijk: noem de projecteigenaar, de projectleider en de projectgroep die elke bijeenkomst bijwonen.',
      sections: ['Je organisatie', 'De projectgroep'],
      fields: {
        organisation: { label: 'Organisatie' },
        ownerName: { label: 'Naam van de projecteigenaar' },
        ownerEmail: { label: 'E-mailadres van de projecteigenaar' },
        leaderName: { label: 'Naam van de projectleider' },
        leaderEmail: {
          label: 'E-mailadres van de projectleider',
          help: 'De projectleider ontvangt het huiswerk, het verslag van de begeleiding en de eindevaluatie.',
        },
        members: {
          label: 'Andere leden van de projectgroep',
          help: 'Eén per regel: naam en dan e-mailadres, zoals “Jan Jansen, jan@example.org”. Iedereen wordt uitgenodigd voor de bijeenkomsten.',
        },
        motivation: { label: 'Waarom je organisatie een mentorprogramma wil' },
        consent: {
          label:
            'We nemen deel aan elke bijeenkomst en maken het huiswerk, en geven toestemming dat het netwerk deze namen en adressen bewaart zolang het loopt.',
        },
      },
    },
  },
});

export const gatheringEvaluation = FormDefinition.parse({
  id: 'gathering-evaluation',
  version: 1,
  title: 'Evaluation of the gathering',
  intro: 'Thank you for coming. Two questions help the network plan the next gatherings.',
  sections: [
    {
      title: 'The gathering',
      fields: [
        {
          name: 'useful',
          kind: 'rating',
          label: 'The gathering was useful for our programme',
          required: true,
        },
        {
          name: 'comment',
          kind: 'long-text',
          label: 'What worked, and what should change (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Evaluering av samlingen',
      intro: 'Takk for at du kom. To spørsmål hjelper nettverket med å planlegge de neste samlingene.',
      sections: ['Samlingen'],
      fields: {
        useful: { label: 'Samlingen var nyttig for programmet vårt', options: ratingOptions.nb },
        comment: { label: 'Hva som fungerte, og hva som bør endres (valgfritt)' },
      },
    },
    da: {
      title: 'Evaluering af samlingen',
      intro: 'Tak, fordi du kom. To spørgsmål hjælper netværket med at planlægge de næste samlinger.',
      sections: ['Samlingen'],
      fields: {
        useful: { label: 'Samlingen var nyttig for vores program', options: ratingOptions.da },
        comment: { label: 'Hvad der fungerede, og hvad der bør ændres (valgfrit)' },
      },
    },
    sv: {
      title: 'Utvärdering av träffen',
      intro: 'Tack för att du kom. Två frågor hjälper nätverket att planera de kommande träffarna.',
      sections: ['Träffen'],
      fields: {
        useful: { label: 'Träffen var användbar för vårt program', options: ratingOptions.sv },
        comment: { label: 'Vad som fungerade och vad som bör ändras (frivilligt)' },
      },
    },
    nl: {
      title: 'Evaluatie van de bijeenkomst',
      intro: 'Bedankt voor je komst. Twee vragen helpen het netwerk de volgende bijeenkomsten te plannen.',
      sections: ['De bijeenkomst'],
      fields: {
        useful: { label: 'De bijeenkomst was nuttig voor ons programma', options: ratingOptions.nl },
        comment: { label: 'Wat werkte er, en wat moet er anders (optioneel)' },
      },
    },
  },
});

export const networkHomework = FormDefinition.parse({
  id: 'network-homework',
  version: 1,
  title: 'Homework before the next gathering',
  intro: 'A short report from your project group on the assignment of the last gathering.',
  sections: [
    {
      title: 'The assignment',
      fields: [
        {
          name: 'report',
          kind: 'long-text',
          label: 'What your project group did and found',
          required: true,
          maxLength: 4000,
        },
        {
          name: 'questions',
          kind: 'long-text',
          label: 'Questions to bring to the gathering (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Hjemmeoppgave før neste samling',
      intro: 'En kort rapport fra prosjektgruppen deres om oppgaven fra forrige samling.',
      sections: ['Oppgaven'],
      fields: {
        report: { label: 'Hva prosjektgruppen deres gjorde og fant ut' },
        questions: { label: 'Spørsmål dere vil ta med til samlingen (valgfritt)' },
      },
    },
    da: {
      title: 'Hjemmeopgave før næste samling',
      intro: 'En kort rapport fra jeres projektgruppe om opgaven fra sidste samling.',
      sections: ['Opgaven'],
      fields: {
        report: { label: 'Hvad jeres projektgruppe gjorde og fandt ud af' },
        questions: { label: 'Spørgsmål, I vil tage med til samlingen (valgfrit)' },
      },
    },
    sv: {
      title: 'Hemuppgift inför nästa träff',
      intro: 'En kort rapport från er projektgrupp om uppgiften från förra träffen.',
      sections: ['Uppgiften'],
      fields: {
        report: { label: 'Vad er projektgrupp gjorde och kom fram till' },
        questions: { label: 'Frågor att ta med till träffen (frivilligt)' },
      },
    },
    nl: {
      title: 'Huiswerk voor de volgende bijeenkomst',
      intro: 'Een kort verslag van je projectgroep over de opdracht van de vorige bijeenkomst.',
      sections: ['De opdracht'],
      fields: {
        report: { label: 'Wat je projectgroep heeft gedaan en ontdekt' },
        questions: { label: 'Vragen om mee te nemen naar de bijeenkomst (optioneel)' },
      },
    },
  },
});

export const guidanceLog = FormDefinition.parse({
  id: 'guidance-log',
  version: 1,
  title: 'Guidance session log',
  intro: 'Between gatherings the network offers the project leader a guidance session. Log it here.',
  sections: [
    {
      title: 'The guidance session',
      fields: [
        { name: 'held', kind: 'yes-no', label: 'Did the guidance session take place?', required: true },
        { name: 'date', kind: 'date', label: 'When' },
        { name: 'topics', kind: 'long-text', label: 'What you worked on', maxLength: 2000 },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Logg fra veiledningen',
      intro: 'Mellom samlingene tilbyr nettverket prosjektlederen en veiledningssamtale. Logg den her.',
      sections: ['Veiledningen'],
      fields: {
        held: { label: 'Ble veiledningen gjennomført?', options: yesNo.nb },
        date: { label: 'Når' },
        topics: { label: 'Hva dere jobbet med' },
      },
    },
    da: {
      title: 'Log fra vejledningen',
      intro: 'Mellem samlingerne tilbyder netværket projektlederen en vejledningssamtale. Log den her.',
      sections: ['Vejledningen'],
      fields: {
        held: { label: 'Blev vejledningen gennemført?', options: yesNo.da },
        date: { label: 'Hvornår' },
        topics: { label: 'Hvad I arbejdede med' },
      },
    },
    sv: {
      title: 'Logg från handledningen',
      intro: 'Mellan träffarna erbjuder nätverket projektledaren ett handledningssamtal. Logga det här.',
      sections: ['Handledningen'],
      fields: {
        held: { label: 'Blev handledningen av?', options: yesNo.sv },
        date: { label: 'När' },
        topics: { label: 'Vad ni arbetade med' },
      },
    },
    nl: {
      title: 'Verslag van de begeleiding',
      intro:
        'Tussen de bijeenkomsten biedt het netwerk de projectleider een begeleidingsgesprek aan. Leg het hier vast.',
      sections: ['Het begeleidingsgesprek'],
      fields: {
        held: { label: 'Heeft het begeleidingsgesprek plaatsgevonden?', options: yesNo.nl },
        date: { label: 'Wanneer' },
        topics: { label: 'Waar jullie aan hebben gewerkt' },
      },
    },
  },
});

export const networkFinalEvaluation = FormDefinition.parse({
  id: 'network-final-evaluation',
  version: 1,
  title: 'Final evaluation of the learning network',
  intro: 'The network is closing. Your evaluation goes into the cohort’s report.',
  sections: [
    {
      title: 'Looking back',
      fields: [
        {
          name: 'overall',
          kind: 'rating',
          label: 'The network helped us build our mentor programme',
          required: true,
        },
        {
          name: 'programme',
          kind: 'single-choice',
          label: 'Where your mentor programme stands',
          required: true,
          options: [
            { value: 'running', label: 'Running, with mentors and mentees' },
            { value: 'starting', label: 'Starting soon' },
            { value: 'planned', label: 'Planned' },
            { value: 'not-yet', label: 'Not yet decided' },
          ],
        },
        { name: 'comment', kind: 'long-text', label: 'What you take with you (optional)', maxLength: 3000 },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Sluttevaluering av læringsnettverket',
      intro: 'Nettverket avsluttes. Evalueringen din går inn i kullets rapport.',
      sections: ['Tilbakeblikk'],
      fields: {
        overall: {
          label: 'Nettverket hjalp oss med å bygge mentorprogrammet vårt',
          options: ratingOptions.nb,
        },
        programme: {
          label: 'Hvor mentorprogrammet deres står nå',
          options: {
            running: 'I gang, med mentorer og adepter',
            starting: 'Starter snart',
            planned: 'Planlagt',
            'not-yet': 'Ikke bestemt ennå',
          },
        },
        comment: { label: 'Hva du tar med deg videre (valgfritt)' },
      },
    },
    da: {
      title: 'Slutevaluering af læringsnetværket',
      intro: 'Netværket afsluttes. Din evaluering indgår i holdets rapport.',
      sections: ['Tilbageblik'],
      fields: {
        overall: {
          label: 'Netværket hjalp os med at opbygge vores mentorprogram',
          options: ratingOptions.da,
        },
        programme: {
          label: 'Hvor jeres mentorprogram står nu',
          options: {
            running: 'I gang med mentorer og mentees',
            starting: 'Starter snart',
            planned: 'Planlagt',
            'not-yet': 'Endnu ikke besluttet',
          },
        },
        comment: { label: 'Hvad du tager med dig (valgfrit)' },
      },
    },
    sv: {
      title: 'Slututvärdering av det lärande nätverket',
      intro: 'Nätverket avslutas. Din utvärdering ingår i kohortens rapport.',
      sections: ['Tillbakablick'],
      fields: {
        overall: { label: 'Nätverket hjälpte oss att bygga vårt mentorprogram', options: ratingOptions.sv },
        programme: {
          label: 'Var ert mentorprogram står nu',
          options: {
            running: 'Igång, med mentorer och adepter',
            starting: 'Startar snart',
            planned: 'Planerat',
            'not-yet': 'Inte bestämt ännu',
          },
        },
        comment: { label: 'Vad du tar med dig (frivilligt)' },
      },
    },
    nl: {
      title: 'Eindevaluatie van het lerend netwerk',
      intro: 'Het netwerk wordt afgesloten. Je evaluatie wordt opgenomen in het rapport van het cohort.',
      sections: ['Terugblik'],
      fields: {
        overall: {
          label: 'Het netwerk heeft ons geholpen ons mentorprogramma op te bouwen',
          options: ratingOptions.nl,
        },
        programme: {
          label: 'Waar je mentorprogramma nu staat',
          options: {
            running: 'Loopt, met mentoren en mentees',
            starting: 'Start binnenkort',
            planned: 'Gepland',
            'not-yet': 'Nog niet besloten',
          },
        },
        comment: { label: 'Wat je meeneemt (optioneel)' },
      },
    },
  },
});

export const learningNetworkForms = [
  networkEnrolment,
  gatheringEvaluation,
  networkHomework,
  guidanceLog,
  networkFinalEvaluation,
];
