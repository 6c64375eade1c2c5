/**
 * The words of the built-in answer scales in the other languages, by value: the 1–5 scale of a
 * `rating` field (and of forms that spell it out), and the answers of a `yes-no` field.
 */
export const ratingOptions = {
  nb: { '1': '1 – ikke i det hele tatt', '2': '2', '3': '3', '4': '4', '5': '5 – helt' },
  da: { '1': '1 – slet ikke', '2': '2', '3': '3', '4': '4', '5': '5 – helt' },
  sv: { '1': '1 – inte alls', '2': '2', '3': '3', '4': '4', '5': '5 – helt' },
  nl: { '1': '1 – helemaal niet', '2': '2', '3': '3', '4': '4', '5': '5 – helemaal' },
};
export const yesNo = {
  nb: { yes: 'Ja', no: 'Nei' },
  da: { yes: 'Ja', no: 'Nej' },
  sv: { yes: 'Ja', no: 'Nej' },
  nl: { yes: 'Ja', no: 'Nee' },
};
