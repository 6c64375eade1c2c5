/**
 * `npm run match -- <pool.json>`: a matching proposal for a pool of mentees and mentors (the format is
 * in README.md, an example in examples/matching-pool.json), printed as JSON. A coordinator can try
 * matching on an HR export before running a programme; nothing is stored or sent.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Pool } from '../lib/matching/pool.js';
import { propose } from '../lib/matching/propose.js';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write('usage: npm run match -- <pool.json>\n');
  process.exit(2);
}

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  process.stderr.write(`cannot read ${file}: ${(err as Error).message}\n`);
  process.exit(2);
}
const pool = Pool.safeParse(raw);
if (!pool.success) {
  process.stderr.write(`${file} is not a valid pool:\n${z.prettifyError(pool.error)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(propose(pool.data), null, 2)}\n`);
