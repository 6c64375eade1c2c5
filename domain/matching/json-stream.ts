/**
 * A proposal as JSON in pieces. For a large pool the text is longer than the longest string V8 can make
 * (every unmatched mentee lists every mentor a rule excluded: 10,000 × 10,000 ids), so
 * `JSON.stringify` fails with "Invalid string length" after the solving is done. These pieces are the
 * same text as `JSON.stringify(value, null, space)`, cut into chunks of about `chunkSize` characters.
 */
import type { Writable } from 'node:stream';

/** The JSON text of plain data (objects, arrays, strings, numbers, booleans, null), in chunks. */
export function* jsonChunks(value: unknown, space = '  ', chunkSize = 64 * 1024): Generator<string> {
  const line = space ? '\n' : '';
  const colon = space ? ': ' : ':';
  let buffer = '';
  // One explicit stack rather than recursion, so deep data cannot overflow the call stack either.
  type Frame = { entries: [string | undefined, unknown][]; next: number; indent: string; close: string };
  const stack: Frame[] = [];

  /** The opening of a value, or all of it when it is a leaf or empty. */
  const open = (v: unknown, indent: string) => {
    const plain =
      v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
    if (!plain) return JSON.stringify(v) ?? 'null';
    const isArray = Array.isArray(v);
    const entries: [string | undefined, unknown][] = isArray
      ? (v as unknown[]).map((x) => [undefined, x === undefined || typeof x === 'function' ? null : x])
      : Object.entries(v as object).filter(([, x]) => x !== undefined && typeof x !== 'function');
    if (entries.length === 0) return isArray ? '[]' : '{}';
    stack.push({ entries, next: 0, indent, close: isArray ? ']' : '}' });
    return isArray ? '[' : '{';
  };

  buffer += open(value, '');
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (frame.next === frame.entries.length) {
      stack.pop();
      buffer += `${line}${frame.indent}${frame.close}`;
    } else {
      const [key, v] = frame.entries[frame.next]!;
      const inner = `${frame.indent}${space}`;
      buffer += `${frame.next > 0 ? ',' : ''}${line}${inner}${key === undefined ? '' : `${JSON.stringify(key)}${colon}`}`;
      frame.next++;
      buffer += open(v, inner);
    }
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** Writes the JSON of `value` and a newline to `out`, waiting whenever the stream asks to (a slow pipe). */
export async function writeJson(value: unknown, out: Writable): Promise<void> {
  for (const chunk of jsonChunks(value)) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  if (!out.write('\n')) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** The length in bytes of the compact JSON text of `value` (as stored), without ever holding all of it. */
export function jsonBytes(value: unknown): number {
  let bytes = 0;
  for (const chunk of jsonChunks(value, '')) bytes += Buffer.byteLength(chunk);
  return bytes;
}
