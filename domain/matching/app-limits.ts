/**
 * How large a pool a programme round matches in the app. The worker that computes a round's proposal
 * also runs the programme's workflows, the activity has five minutes, and the proposal is stored whole
 * (one JSONB value) and drawn on the programme page. A 10,000 × 10,000 pool takes over a minute and
 * gigabytes there, and its proposal (every left-out mentee lists the mentors each rule excluded) runs to
 * gigabytes of JSON: such a pool is refused with this message, before any work, and belongs to
 * `npm run match`, which streams its output and has the machine to itself.
 */
import { jsonBytes } from './json-stream.js';
import type { Pool } from './pool.js';
import type { Proposal } from './propose.js';

/** Mentee–mentor pairs compared in one run: 2,000 × 2,000 takes seconds. */
export const APP_MAX_PAIRS = 4_000_000;
/** A stored proposal, far below PostgreSQL's 255 MB for one JSONB value, and still a page one can load. */
export const APP_MAX_PROPOSAL_BYTES = 64 * 1024 * 1024;

const figure = (n: number) => n.toLocaleString('en');

/** Why the app will not match this pool, or nothing when it will. */
export function poolTooLargeForApp(pool: Pick<Pool, 'mentees' | 'mentors'>, maxPairs = APP_MAX_PAIRS) {
  const pairs = pool.mentees.length * pool.mentors.length;
  if (pairs <= maxPairs) return undefined;
  return (
    `the pool has ${figure(pool.mentees.length)} mentees and ${figure(pool.mentors.length)} mentors, ` +
    `${figure(pairs)} pairs to compare; a round matches at most ${figure(maxPairs)} in the app. ` +
    'Match a pool this large with `npm run match`.'
  );
}

/** Why the app will not store this proposal, or nothing when it will. */
export function proposalTooLargeToStore(proposal: Proposal, maxBytes = APP_MAX_PROPOSAL_BYTES) {
  const bytes = jsonBytes(proposal);
  if (bytes <= maxBytes) return undefined;
  const size = (n: number) =>
    n >= 1024 * 1024 ? `${figure(Math.round(n / (1024 * 1024)))} MB` : `${figure(Math.round(n / 1024))} KB`;
  return (
    `the proposal is ${size(bytes)} of JSON (${figure(proposal.unmatched.length)} mentees left out, each with ` +
    `the mentors every rule excluded); the app stores at most ${size(maxBytes)}. ` +
    'Match this pool with `npm run match`, or switch off rules that exclude most mentors.'
  );
}
