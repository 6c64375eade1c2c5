/**
 * The applicant confirms their own address before anyone else is written to: a public form could
 * otherwise make the programme email any manager address anyone typed, in the company's name.
 */
import { FormDefinition } from './definition.js';

export const addressConfirmation = FormDefinition.parse({
  id: 'address-confirmation',
  version: 1,
  title: 'Confirm your application',
  intro:
    'Before the programme asks your manager to endorse your application, please confirm that you applied ' +
    'and that this is your own work address.',
  sections: [
    {
      title: 'Your confirmation',
      fields: [
        {
          name: 'confirm',
          kind: 'consent',
          label: 'I applied for a mentor in this programme, and this email address is mine.',
          required: true,
        },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Bekreft søknaden din',
      intro:
        'Før programmet ber lederen din om å anbefale søknaden, ber vi deg bekrefte at du har søkt, og at ' +
        'dette er din egen jobbadresse.',
      sections: ['Din bekreftelse'],
      fields: {
        confirm: { label: 'Jeg har søkt om mentor i dette programmet, og denne e-postadressen er min.' },
      },
    },
    da: {
      title: 'Bekræft din ansøgning',
      intro:
        'Før programmet beder din leder om at anbefale ansøgningen, beder vi dig bekræfte, at du har søgt, ' +
        'og at dette er din egen arbejdsadresse.',
      sections: ['Din bekræftelse'],
      fields: {
        confirm: { label: 'Jeg har søgt om en mentor i dette program, og denne e-mailadresse er min.' },
      },
    },
    sv: {
      title: 'Bekräfta din ansökan',
      intro:
        'Innan programmet ber din chef att ställa sig bakom ansökan ber vi dig bekräfta att du har ansökt ' +
        'och att det här är din egen jobbadress.',
      sections: ['Din bekräftelse'],
      fields: {
        confirm: {
          label: 'Jag har ansökt om en mentor i det här programmet, och den här e-postadressen är min.',
        },
      },
    },
    nl: {
      title: 'Bevestig je aanmelding',
      intro:
        'Voordat het programma je leidinggevende vraagt je aanmelding te steunen, vragen we je te bevestigen ' +
        'dat jij je hebt aangemeld en dat dit je eigen werkadres is.',
      sections: ['Je bevestiging'],
      fields: {
        confirm: {
          label: 'Ik heb me aangemeld voor een mentor in dit programma, en dit e-mailadres is van mij.',
        },
      },
    },
  },
});
