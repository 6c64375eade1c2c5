/**
 * `npm run match -- <pool.json>`: a matching proposal for a pool of mentees and mentors (the format is
 * in docs/matching.md, an example in examples/matching-pool.json), printed as JSON. A coordinator can try
 * matching on an HR export before running a programme; nothing is stored or sent.
 */
import { z } from 'zod';
import { writeJson } from '../domain/matching/json-stream.js';
import { readPoolFile, visible } from './matching-pool-file.js';
import { Pool } from '../domain/matching/pool.js';
import { propose } from '../domain/matching/propose.js';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write('usage: npm run match -- <pool.json>\n');
  process.exit(2);
}

const read = readPoolFile(file);
if (!read.ok) {
  process.stderr.write(`${read.message}\n`);
  process.exit(2);
}
const pool = Pool.safeParse(read.json);
if (!pool.success) {
  process.stderr.write(visible(`${file} is not a valid pool:\n${z.prettifyError(pool.error)}\n`));
  process.exit(1);
}
// Streamed: a large pool's proposal is longer than one string can be.
await writeJson(propose(pool.data), process.stdout);
