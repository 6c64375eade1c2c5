/**
 * What the shape of a pool cannot see: ids that must name people of the pool, one person on one side
 * only, and the coordinator's locks within what can be kept. Each of these used to be passed over in
 * silence (the first of two locks kept, a lock on nobody ignored, a person paired with themself), so a
 * coordinator trusted a proposal that was not what they asked for. Each issue names its field.
 */
import type { z } from 'zod';

/** The parts of a parsed pool these checks read (the pool type itself is defined by the schema they refine). */
interface Person {
  id: string;
  profile?: Record<string, unknown>;
}
interface PoolToCheck {
  mentees: (Person & { nominated?: string[] })[];
  mentors: (Person & { capacity?: number })[];
  weights?: { custom?: Record<string, number> };
  locked?: [string, string][];
  forbidden?: [string, string][];
}

type Context = z.core.$RefinementCtx<PoolToCheck>;
type Path = (string | number)[];

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function checkPool(pool: PoolToCheck, ctx: Context): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const menteeAt = new Map<string, number>();
  const mentorAt = new Map<string, number>();
  for (const [list, name, at] of [
    [pool.mentees, 'mentees', menteeAt],
    [pool.mentors, 'mentors', mentorAt],
  ] as const)
    list.forEach((p, i) => {
      if (at.has(p.id)) issue([name, i, 'id'], `duplicate id ${p.id}`);
      else at.set(p.id, i);
    });
  // The same id on both sides made the CLI pair a person with themself.
  pool.mentors.forEach((m, i) => {
    const j = menteeAt.get(m.id);
    if (j !== undefined && mentorAt.get(m.id) === i)
      issue(
        ['mentors', i, 'id'],
        `${m.id} is also a mentee (mentees[${j}]); one person cannot be on both sides`,
      );
  });

  /** Whether the pair's ids name a mentee and a mentor of the pool; an issue for each that does not. */
  const known = (field: 'locked' | 'forbidden', i: number, [mentee, mentor]: [string, string]) => {
    const side = (k: 0 | 1, id: string, role: 'mentee' | 'mentor', other: 'mentee' | 'mentor') => {
      if ((role === 'mentee' ? menteeAt : mentorAt).has(id)) return true;
      const wrongWay = (other === 'mentee' ? menteeAt : mentorAt).has(id);
      issue(
        [field, i, k],
        `no ${role} ${id} in the pool` +
          (wrongWay ? ` (${id} is a ${other}; a pair is [mentee, mentor])` : ''),
      );
      return false;
    };
    const a = side(0, mentee, 'mentee', 'mentor');
    const b = side(1, mentor, 'mentor', 'mentee');
    return a && b;
  };

  // Locks: each mentee once, and no mentor past their places.
  const lockOf = new Map<string, number>();
  const lockedTo = new Map<string, { mentees: string[]; first: number[] }>();
  (pool.locked ?? []).forEach((pair, i) => {
    if (!known('locked', i, pair)) return;
    const [mentee, mentor] = pair;
    const earlier = lockOf.get(mentee);
    if (earlier !== undefined) {
      const [, was] = pool.locked![earlier]!;
      issue(
        ['locked', i, 0],
        `${mentee} is already locked to ${was} (locked[${earlier}]); a mentee has one mentor`,
      );
      return;
    }
    lockOf.set(mentee, i);
    const to = lockedTo.get(mentor) ?? { mentees: [], first: [] };
    to.mentees.push(mentee);
    to.first.push(i);
    lockedTo.set(mentor, to);
  });
  for (const [mentor, { mentees, first }] of lockedTo) {
    const capacity = pool.mentors[mentorAt.get(mentor)!]?.capacity ?? 1;
    if (mentees.length > capacity)
      issue(
        ['locked', first[capacity]!, 1],
        `${mentor} has ${count(capacity, 'place')} but is locked to ${count(mentees.length, 'mentee')} (${mentees.join(', ')})`,
      );
  }

  const lockedPair = new Map((pool.locked ?? []).map(([a, b], i) => [`${a}\u0000${b}`, i]));
  (pool.forbidden ?? []).forEach((pair, i) => {
    if (!known('forbidden', i, pair)) return;
    const j = lockedPair.get(`${pair[0]}\u0000${pair[1]}`);
    if (j !== undefined) issue(['forbidden', i], `the pair is also locked (locked[${j}])`);
  });

  pool.mentees.forEach((m, i) =>
    (m.nominated ?? []).forEach((id, k) => {
      if (!mentorAt.has(id)) issue(['mentees', i, 'nominated', k], `no mentor ${id} in the pool`);
    }),
  );

  // A custom weight on a profile field nobody has is most likely a misspelled field name.
  const people = [...pool.mentees, ...pool.mentors];
  if (people.length > 0)
    for (const field of Object.keys(pool.weights?.custom ?? {}))
      if (!people.some((p) => p.profile && Object.hasOwn(p.profile, field)))
        issue(['weights', 'custom', field], `no person has a profile field ${field}`);
}
