/**
 * A large pool's proposal: the CLI writes its JSON in bounded pieces, since the whole text
 * can be longer than any one string (`RangeError: Invalid string length` after a 10,000 × 10,000 pool
 * was solved); the app refuses, with the figures, a pool or a proposal larger than it can compute and
 * store. Solving a pool that large takes minutes, so it is not run here.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { APP_MAX_PAIRS, poolTooLargeForApp, proposalTooLargeToStore } from '../domain/matching/app-limits.js';
import { jsonBytes, jsonChunks, writeJson } from '../domain/matching/json-stream.js';
import { Pool, type PoolInput } from '../domain/matching/pool.js';
import { propose } from '../domain/matching/propose.js';

/** Mentees half of whom share no language with any mentor, so each of those lists every mentor. */
function manyLeftOut(mentees: number, mentors: number): PoolInput {
  return {
    mentees: Array.from({ length: mentees }, (_, i) => ({
      id: `mentee-${i}`,
      languages: [i % 2 ? 'en' : 'fi'],
    })),
    mentors: Array.from({ length: mentors }, (_, i) => ({ id: `mentor-${i}`, languages: ['en'] })),
    rules: { levelsAbove: null },
  };
}

describe('the proposal as JSON', () => {
  const proposal = propose(manyLeftOut(60, 400));

  it('is the same text as JSON.stringify, in pieces no longer than asked', () => {
    const chunks = [...jsonChunks(proposal, '  ', 4096)];
    expect(chunks.join('')).toBe(JSON.stringify(proposal, null, 2));
    expect(chunks.length).toBeGreaterThan(10);
    // A piece ends at the first value past the size asked for; no value here is near 1 KB.
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(4096 + 1024);
    expect(jsonBytes(proposal)).toBe(Buffer.byteLength(JSON.stringify(proposal)));
  });

  it('is written as the stream takes it, waiting while its buffer is full', async () => {
    const received: string[] = [];
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString());
        mostBuffered = Math.max(mostBuffered, slow.writableLength);
        setImmediate(done);
      },
    });
    await writeJson(proposal, slow);
    const text = `${JSON.stringify(proposal, null, 2)}\n`;
    expect(received.join('')).toBe(text);
    // Never more than one piece (64 KB) waits in the stream, however long the whole text is.
    expect(text.length).toBeGreaterThan(2 * 70_000);
    expect(mostBuffered).toBeLessThan(70_000);
  });

  it('says in a sentence how many mentors a rule excluded, naming only the first ten', () => {
    const [why] = proposal.unmatched;
    expect(why!.excludedBy.commonLanguage).toHaveLength(400);
    expect(why!.explanation).toMatch(
      /^No mentor fits: 400 without a common language \(mentor-0, .* and 390 more\)\.$/,
    );
  });
});

describe('in the app, a pool that large', () => {
  it('is refused before any work, with its figures and where to match it instead', () => {
    const person = (id: string) => ({ id });
    const huge = Pool.parse({
      mentees: Array.from({ length: 10_000 }, (_, i) => person(`e${i}`)),
      mentors: Array.from({ length: 10_000 }, (_, i) => person(`m${i}`)),
    });
    expect(poolTooLargeForApp(huge)).toBe(
      'the pool has 10,000 mentees and 10,000 mentors, 100,000,000 pairs to compare; a round matches at ' +
        'most 4,000,000 in the app. Match a pool this large with `npm run match`.',
    );
    expect(
      poolTooLargeForApp({ mentees: huge.mentees.slice(0, 2000), mentors: huge.mentors.slice(0, 2000) }),
    ).toBe(undefined);
    expect(APP_MAX_PAIRS).toBe(2000 * 2000);
  });

  it('is refused when its proposal is larger than the app stores', () => {
    const proposal = propose(manyLeftOut(60, 400));
    expect(proposalTooLargeToStore(proposal)).toBe(undefined);
    expect(proposalTooLargeToStore(proposal, 100_000)).toMatch(
      /^the proposal is \d+ KB of JSON \(30 mentees left out, each with the mentors every rule excluded\); the app stores at most 98 KB\./,
    );
  });
});
