/** The daily manager's endorsement of a mentee's application (DOMAIN.md, "Manager endorsement"). */
import { FormDefinition } from './definition.js';

export const managerEndorsement = FormDefinition.parse({
  id: 'manager-endorsement',
  version: 1,
  title: 'Endorse a mentoring application',
  intro:
    'Someone you manage has applied for a mentor. The mentor does not take over your role: appraisal talks ' +
    'and daily leadership stay with you. Please tell the programme group whether you support the application.',
  sections: [
    {
      title: 'Your endorsement',
      fields: [
        {
          name: 'endorse',
          kind: 'single-choice',
          label: 'Do you support this application?',
          required: true,
          options: [
            { value: 'yes', label: 'Yes, I support it' },
            { value: 'no', label: 'No, not at this time' },
          ],
        },
        {
          name: 'comment',
          kind: 'long-text',
          label: 'Anything the programme group should know (optional)',
          maxLength: 2000,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Anbefal en søknad om mentor',
      intro:
        'En av medarbeiderne dine har søkt om mentor. Mentoren overtar ikke din rolle: medarbeidersamtaler ' +
        'og den daglige ledelsen er fortsatt ditt ansvar. Gi programgruppen beskjed om du støtter søknaden.',
      sections: ['Din anbefaling'],
      fields: {
        endorse: {
          label: 'Støtter du denne søknaden?',
          options: { yes: 'Ja, jeg støtter den', no: 'Nei, ikke nå' },
        },
        comment: { label: 'Noe programgruppen bør vite (valgfritt)' },
      },
    },
    da: {
      title: 'Anbefal en ansøgning om mentor',
      intro:
        'En af dine medarbejdere har søgt om en mentor. Mentoren overtager ikke din rolle: medarbejdersamtaler ' +
        'og den daglige ledelse ligger stadig hos dig. Fortæl programgruppen, om du støtter ansøgningen.',
      sections: ['Din anbefaling'],
      fields: {
        endorse: {
          label: 'Støtter du denne ansøgning?',
          options: { yes: 'Ja, jeg støtter den', no: 'Nej, ikke på nuværende tidspunkt' },
        },
        comment: { label: 'Noget, programgruppen bør vide (valgfrit)' },
      },
    },
    sv: {
      title: 'Stöd en ansökan om mentor',
      intro:
        'En av dina medarbetare har ansökt om en mentor. Mentorn tar inte över din roll: medarbetarsamtal ' +
        'och det dagliga ledarskapet ligger kvar hos dig. Berätta för programgruppen om du stöder ansökan.',
      sections: ['Ditt stöd'],
      fields: {
        endorse: {
          label: 'Stöder du den här ansökan?',
          options: { yes: 'Ja, jag stöder den', no: 'Nej, inte just nu' },
        },
        comment: { label: 'Något programgruppen bör veta (frivilligt)' },
      },
    },
    nl: {
      title: 'Een aanmelding voor een mentor steunen',
      intro:
        'Iemand aan wie je leidinggeeft, heeft zich aangemeld voor een mentor. De mentor neemt je rol niet over: ' +
        'functioneringsgesprekken en het dagelijks leidinggeven blijven bij jou. Laat de programmagroep weten ' +
        'of je de aanmelding steunt.',
      sections: ['Je steun'],
      fields: {
        endorse: {
          label: 'Steun je deze aanmelding?',
          options: { yes: 'Ja, ik steun de aanmelding', no: 'Nee, nu niet' },
        },
        comment: { label: 'Iets wat de programmagroep moet weten (optioneel)' },
      },
    },
  },
});
