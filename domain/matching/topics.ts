/**
 * Topics from free text, for the application forms' open questions ("what do you want to learn", "what
 * can a mentee learn from you"): the distinct words of four letters or more, lower-cased, without the
 * commonest words of the five languages. Crude, but every shared topic is a word a coordinator can see.
 */
const COMMON = new Set(
  (
    'about also been from have into more most much only other over some such than that their them then ' +
    'there these they this those through very want what when which while will with would your work learn ' +
    'eller ikke også over mine meget noget være skal have hvad hvor efter ' +
    'eller inte också mycket några vara skall ska hade till från ' +
    'ikke også noen være skal hadde fra til ' +
    'niet ook veel wat waar zijn hebben voor naar over deze door meer maar'
  ).split(' '),
);

export function topicsOf(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const words = text.toLowerCase().match(/\p{L}{4,}/gu) ?? [];
  return [...new Set(words.filter((w) => w.length <= 60 && !COMMON.has(w)))].slice(0, 200);
}
