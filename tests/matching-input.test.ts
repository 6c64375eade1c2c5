/**
 * What matching refuses to read (issue 20): locks it could not keep, ids it does not know, one person on
 * both sides, misspelled keys; and what it reads the same however it was typed (units in either Unicode
 * form, any case). Each refusal names the field it is about.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Pool, type PoolInput } from '../domain/matching/pool.js';
import { propose } from '../domain/matching/propose.js';

const mentee = (id: string, extra: object = {}) => ({ id, languages: ['en'], ...extra });
const mentor = (id: string, extra: object = {}) => ({ id, languages: ['en'], ...extra });
const base: PoolInput = {
  mentees: [mentee('ann'), mentee('bo')],
  mentors: [mentor('mia'), mentor('ola')],
  rules: { levelsAbove: null },
};

/** Each problem of the pool as `path: message`, the way the CLI prints them. */
function problems(input: unknown): string[] {
  const parsed = Pool.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `${z.core.toDotPath(i.path)}: ${i.message}`);
}

describe('the pool refuses', () => {
  it('locks that put more mentees on a mentor than the mentor has places', () => {
    const found = problems({
      ...base,
      locked: [
        ['ann', 'mia'],
        ['bo', 'mia'],
      ],
    });
    expect(found).toEqual([
      expect.stringMatching(/^locked\[1\]\[1\]: mia has 1 place but is locked to 2 mentees \(ann, bo\)/),
    ]);
    // With two places, the same locks are kept.
    const two = { ...base, mentors: [mentor('mia', { capacity: 2 }), mentor('ola')] };
    expect(
      problems({
        ...two,
        locked: [
          ['ann', 'mia'],
          ['bo', 'mia'],
        ],
      }),
    ).toEqual([]);
    expect(
      propose({
        ...two,
        locked: [
          ['ann', 'mia'],
          ['bo', 'mia'],
        ],
      }).matched,
    ).toBe(2);
  });

  it('a mentee locked to two mentors, whichever comes first', () => {
    expect(
      problems({
        ...base,
        locked: [
          ['ann', 'ola'],
          ['ann', 'mia'],
        ],
      }),
    ).toEqual([expect.stringMatching(/^locked\[1\]\[0\]: ann is already locked to ola \(locked\[0\]\)/)]);
  });

  it('locks and forbidden pairs that name someone not in the pool', () => {
    expect(
      problems({
        ...base,
        locked: [['anne', 'mia']],
        forbidden: [
          ['bo', 'ole'],
          ['mia', 'ann'],
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^locked\[0\]\[0\]: no mentee anne in the pool/),
      expect.stringMatching(/^forbidden\[0\]\[1\]: no mentor ole in the pool/),
      expect.stringMatching(/^forbidden\[1\]\[0\]: no mentee mia in the pool \(mia is a mentor/),
      expect.stringMatching(/^forbidden\[1\]\[1\]: no mentor ann in the pool \(ann is a mentee/),
    ]);
  });

  it('a pair both locked and forbidden, a nomination of nobody, a weight on a profile field nobody has', () => {
    expect(
      problems({
        ...base,
        mentees: [mentee('ann', { nominated: ['olaf'], profile: { track: 'lead' } }), mentee('bo')],
        weights: { custom: { trak: 1, track: 1 } },
        locked: [['ann', 'mia']],
        forbidden: [['ann', 'mia']],
      }),
    ).toEqual([
      'forbidden[0]: the pair is also locked (locked[0])',
      'mentees[0].nominated[0]: no mentor olaf in the pool',
      'weights.custom.trak: no person has a profile field trak',
    ]);
  });

  it('one id as both a mentee and a mentor (it was paired with itself)', () => {
    expect(problems({ mentees: [mentee('x')], mentors: [mentor('x')] })).toEqual([
      expect.stringMatching(/^mentors\[0\]\.id: x is also a mentee \(mentees\[0\]\)/),
    ]);
  });

  it('keys it does not know, naming them and the key that was meant', () => {
    const found = problems({
      ...base,
      mentors: [{ ...mentor('mia'), capacty: 2 }],
      rules: { diferentUnit: false },
      lockd: [],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mentors\[0\]: unknown key "capacty" \(did you mean "capacity"\?\)/),
        expect.stringMatching(/^rules: unknown key "diferentUnit" \(did you mean "differentUnit"\?\)/),
        expect.stringMatching(/^: unknown key "lockd" \(did you mean "locked"\?\)/),
      ]),
    );
    expect(found).toHaveLength(3);
  });
});

describe('the pool reads the same however it was typed', () => {
  it('compares units in either Unicode form and any case as one unit', () => {
    const composed = 'Caf\u00e9';
    const decomposed = 'CAFE\u0301';
    const pool: PoolInput = {
      mentees: [mentee('ann', { unit: composed, location: 'Tromsø' })],
      mentors: [mentor('mia', { unit: decomposed, location: 'TROMSØ' })],
      rules: { levelsAbove: null, notCoLocated: true },
    };
    const proposal = propose(pool);
    expect(proposal.pairs).toEqual([]);
    expect(proposal.unmatched[0]!.excludedBy).toEqual({ differentUnit: ['mia'], notCoLocated: ['mia'] });
  });

  it('reads ids in either Unicode form as one id', () => {
    expect(problems({ mentees: [mentee('Jos\u00e9'), mentee('Jose\u0301')], mentors: [] })).toEqual([
      expect.stringMatching(/^mentees\[1\]\.id: duplicate id José/),
    ]);
  });
});

describe('why a mentee is left without a mentor', () => {
  it('does not say a mentor without places gave them to others', () => {
    const proposal = propose({
      mentees: [mentee('ann'), mentee('bo')],
      mentors: [mentor('mia'), mentor('nil', { capacity: 0 })],
      rules: { levelsAbove: null },
    });
    expect(proposal.matched).toBe(1);
    const [why] = proposal.unmatched;
    expect(why).toMatchObject({ reason: 'mentors-full', fullMentors: ['mia', 'nil'], noPlaces: ['nil'] });
    expect(why!.explanation).toContain("mia's places went to other mentees");
    expect(why!.explanation).toContain('nil has no places (capacity 0)');
    expect(why!.explanation).not.toMatch(/nil[^.]*went to other mentees/);
  });
});
