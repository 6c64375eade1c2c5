/**
 * Objects of the pool file that refuse keys they do not know. A misspelled key (`capacty`) would
 * otherwise be dropped without a word and its default used, so the message names the key and, when one
 * is close, the key that was meant.
 */
import { z } from 'zod';

/** Edits (insert, delete, replace, swap neighbours) between two short keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The known key a misspelling most likely meant: at most two edits away, and fewer than half its length. */
export function meant(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; edits: number } | undefined;
  const folded = key.toLowerCase();
  for (const name of known) {
    const edits = distance(folded, name.toLowerCase());
    if (edits <= 2 && edits < name.length / 2 && (!best || edits < best.edits)) best = { name, edits };
  }
  return best?.name;
}

function unknownKeys(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const guess = meant(key, known);
      return `unknown key ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`;
    })
    .join('; ');
}

/** `z.strictObject` whose message for an unknown key names it and the key it was probably meant to be. */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeys(issue.keys, known) : undefined),
  });
}
