/**
 * Control characters nobody means to type (C0 except tab, line feed and carriage return, and DEL).
 * PostgreSQL cannot store U+0000 at all, in text or in jsonb, so an answer holding one must be refused
 * at the edge: accepted, it would fail every write after the person was told it was in.
 */
const CONTROLS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f';
const CONTROL = new RegExp(`[${CONTROLS}]`, 'gu');

export const hasControlCharacters = (text: string) => text.search(CONTROL) !== -1;

/** The text as a browser shows it: what a form sent back with errors shows again. */
export const withoutControlCharacters = (text: string) => text.replace(CONTROL, '');

/** The same rule for JSON Schema (the integration API): at least one visible character, no controls. */
export const PRINTABLE_PATTERN = `^[^${CONTROLS}]*[^${CONTROLS}\\s][^${CONTROLS}]*$`;
