/**
 * CSV for spreadsheets, safe to open: a cell that starts like a formula gets a leading apostrophe, and a
 * cell holding a semicolon or a tab is quoted, so spreadsheets that split on those (as Nordic and Dutch
 * Excel does on `;`) cannot turn its second half into a formula either.
 */
import { stringify } from 'csv-stringify/sync';

const cell = (value: unknown) => {
  const text = value instanceof Date ? value.toISOString() : value == null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

export function toCsv(rows: unknown[][]): string {
  return stringify(
    rows.map((row) => row.map(cell)),
    { quoted_match: /[;\t]/ },
  );
}
