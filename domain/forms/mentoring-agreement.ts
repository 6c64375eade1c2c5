/** The mutual, binding agreement both sign at kickoff (DOMAIN.md, "Kickoff"). */
import { FormDefinition } from './definition.js';

export const mentoringAgreement = FormDefinition.parse({
  id: 'mentoring-agreement',
  version: 1,
  title: 'Your mentoring agreement',
  intro: 'Agree together on what you want from the relationship, then each of you signs this form.',
  sections: [
    {
      title: 'Goals',
      fields: [
        {
          name: 'goals',
          kind: 'long-text',
          label: 'What the mentee wants to achieve',
          required: true,
          maxLength: 2000,
        },
        {
          name: 'milestones',
          kind: 'long-text',
          label: 'Concrete milestones on the way',
          required: true,
          maxLength: 2000,
        },
      ],
    },
    {
      title: 'Meetings',
      fields: [
        {
          name: 'frequency',
          kind: 'single-choice',
          label: 'How often you meet',
          required: true,
          options: [
            { value: 'monthly', label: 'About once a month' },
            { value: 'fortnightly', label: 'Every two weeks' },
            { value: 'other', label: 'Something else we agreed' },
          ],
        },
        {
          name: 'form',
          kind: 'single-choice',
          label: 'How you meet',
          required: true,
          options: [
            { value: 'in-person', label: 'In person' },
            { value: 'video', label: 'By video' },
            { value: 'mixed', label: 'Both' },
          ],
        },
      ],
    },
    {
      title: 'Signature',
      fields: [
        {
          name: 'confidentiality',
          kind: 'consent',
          label: 'What we discuss stays between us unless we both agree otherwise.',
          required: true,
        },
        { name: 'signed', kind: 'consent', label: 'I sign this agreement.', required: true },
      ],
    },
  ],
  translations: {
    nb: {
      title: 'Mentoravtalen deres',
      intro: 'Bli enige om hva dere vil med relasjonen, og signer så dette skjemaet hver for dere.',
      sections: ['Mål', 'Møter', 'Signatur'],
      fields: {
        goals: { label: 'Hva adepten vil oppnå' },
        milestones: { label: 'Konkrete delmål på veien' },
        frequency: {
          label: 'Hvor ofte dere møtes',
          options: {
            monthly: 'Omtrent én gang i måneden',
            fortnightly: 'Hver andre uke',
            other: 'Noe annet vi har avtalt',
          },
        },
        form: {
          label: 'Hvordan dere møtes',
          options: { 'in-person': 'Fysisk', video: 'På video', mixed: 'Begge deler' },
        },
        confidentiality: { label: 'Det vi snakker om, blir mellom oss, med mindre vi begge sier noe annet.' },
        signed: { label: 'Jeg signerer denne avtalen.' },
      },
    },
    da: {
      title: 'Jeres mentoraftale',
      intro: 'Bliv enige om, hvad I vil med forløbet, og underskriv derefter denne formular hver for sig.',
      sections: ['Mål', 'Møder', 'Underskrift'],
      fields: {
        goals: { label: 'Hvad mentee vil opnå' },
        milestones: { label: 'Konkrete delmål undervejs' },
        frequency: {
          label: 'Hvor ofte I mødes',
          options: {
            monthly: 'Cirka én gang om måneden',
            fortnightly: 'Hver anden uge',
            other: 'Noget andet, vi har aftalt',
          },
        },
        form: {
          label: 'Hvordan I mødes',
          options: { 'in-person': 'Fysisk', video: 'Over video', mixed: 'Begge dele' },
        },
        confidentiality: { label: 'Det, vi taler om, bliver mellem os, medmindre vi begge aftaler andet.' },
        signed: { label: 'Jeg underskriver denne aftale.' },
      },
    },
    sv: {
      title: 'Ert mentorsavtal',
      intro: 'Kom överens om vad ni vill med relationen och skriv sedan under detta formulär var för sig.',
      sections: ['Mål', 'Möten', 'Underskrift'],
      fields: {
        goals: { label: 'Vad adepten vill uppnå' },
        milestones: { label: 'Konkreta delmål på vägen' },
        frequency: {
          label: 'Hur ofta ni träffas',
          options: {
            monthly: 'Ungefär en gång i månaden',
            fortnightly: 'Varannan vecka',
            other: 'Något annat vi kommit överens om',
          },
        },
        form: {
          label: 'Hur ni träffas',
          options: { 'in-person': 'Fysiskt', video: 'Via video', mixed: 'Båda' },
        },
        confidentiality: { label: 'Det vi pratar om stannar mellan oss, om vi inte båda bestämmer annat.' },
        signed: { label: 'Jag skriver under detta avtal.' },
      },
    },
    nl: {
      title: 'Jullie mentorovereenkomst',
      intro:
        'Spreek samen af wat jullie van de relatie willen en onderteken dit formulier daarna ieder apart.',
      sections: ['Doelen', 'Gesprekken', 'Ondertekening'],
      fields: {
        goals: { label: 'Wat de mentee wil bereiken' },
        milestones: { label: 'Concrete tussenstappen' },
        frequency: {
          label: 'Hoe vaak jullie afspreken',
          options: {
            monthly: 'Ongeveer eens per maand',
            fortnightly: 'Om de twee weken',
            other: 'Iets anders dat we hebben afgesproken',
          },
        },
        form: {
          label: 'Hoe jullie afspreken',
          options: { 'in-person': 'Fysiek', video: 'Via video', mixed: 'Allebei' },
        },
        confidentiality: {
          label: 'Wat we bespreken blijft tussen ons, tenzij we allebei iets anders afspreken.',
        },
        signed: { label: 'Ik onderteken deze overeenkomst.' },
      },
    },
  },
});
