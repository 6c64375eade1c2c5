/**
 * The applicant confirms their own address before anyone else is written to: a public form could
 * otherwise make the programme email any manager address anyone typed, in the company's name.
 */
import { builtInForm } from './built-in.js';

export const addressConfirmation = builtInForm({
  id: 'address-confirmation',
  version: 1,
  texts: 'forms.addressConfirmation',
  sections: [{ key: 'confirmation', fields: [{ name: 'confirm', kind: 'consent', required: true }] }],
});
