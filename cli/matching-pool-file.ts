/**
 * A pool file as the CLI reads it: UTF-8 JSON, with or without the byte order mark spreadsheet tools
 * write. A file in another encoding (Latin-1 from an old HR export) is refused where its first foreign
 * byte is, rather than read with its names mangled into U+FFFD; and messages show invisible characters
 * by their code, since "Unexpected token ''" does not tell anyone what to fix.
 */
import { readFileSync } from 'node:fs';

export type PoolFile = { ok: true; json: unknown } | { ok: false; message: string };

const BOM = [0xef, 0xbb, 0xbf];

/** Where the first byte that is not part of a UTF-8 character is, or -1 for a file that is all UTF-8. */
export function firstNonUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range is narrower after some leads (no overlong forms, no surrogates, ≤ U+10FFFF).
    const second = bytes[i + 1]!;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k]! < 0x80 || bytes[i + k]! > 0xbf) return i;
    i += length;
  }
  return -1;
}

/** Characters one cannot see (controls, format characters, odd spaces) written as their code. */
export function visible(text: string): string {
  return text.replace(
    /[^\P{C}\n\t]|[\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu,
    (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/** Line and column (from 1, in characters) of a byte offset in a UTF-8 prefix. */
function lineAndColumn(bytes: Uint8Array, offset: number): string {
  const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
  const lines = before.split('\n');
  return `line ${lines.length}, column ${[...lines.at(-1)!].length + 1}`;
}

export function readPoolFile(file: string): PoolFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, message: `cannot read ${file}: ${(err as Error).message}` };
  }
  if (BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(BOM.length);
  const bad = firstNonUtf8(bytes);
  if (bad >= 0) {
    const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      message:
        `${file} is not UTF-8 text: byte 0x${hex} at ${lineAndColumn(bytes, bad)} is not part of a UTF-8 character ` +
        '(Latin-1 or Windows-1252, perhaps); save it as UTF-8',
    };
  }
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      message: visible(`${file} is not valid JSON: ${where(text, (err as Error).message)}`),
    };
  }
}

/** JSON.parse's message, with the line, column and character its "position" (a UTF-16 index) points at. */
function where(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const index = Number(at[1]);
  const lines = text.slice(0, index).split('\n');
  const found = text.codePointAt(index);
  const character = found === undefined ? 'the end of the file' : JSON.stringify(String.fromCodePoint(found));
  return `${message} (line ${lines.length}, column ${[...lines.at(-1)!].length + 1}: ${character})`;
}
