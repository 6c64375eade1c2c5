/**
 * The API's few seconds' memory (api/plugins/short-memory.ts): an entry is made once and kept, a value
 * that says it must not be kept is asked for again, and forgetting is at once (one entry or all).
 */
import { describe, expect, it } from 'vitest';
import { ShortMemory } from '../api/plugins/short-memory.js';

describe('short memory', () => {
  it('keeps what it made, asks again for what may not be kept, and forgets at once', async () => {
    const memory = new ShortMemory(60_000, 10);
    let asked = 0;
    const make = async () => ++asked;
    expect(await memory.get('a', make)).toBe(1);
    expect(await memory.get('a', make)).toBe(1);
    // "Keep it until a moment already past": not kept.
    expect(await memory.get('b', make, { until: () => 0 })).toBe(2);
    expect(await memory.get('b', make, { until: () => 0 })).toBe(3);
    memory.forget('a');
    expect(await memory.get('a', make)).toBe(4);
    expect(await memory.get('c', make)).toBe(5);
    memory.forget();
    expect(await memory.get('a', make)).toBe(6);
    expect(await memory.get('c', make)).toBe(7);
  });

  it('keeps no longer than its time, nor past a moment the value names', async () => {
    let now = 1_000_000;
    const memory = new ShortMemory(5_000, 10, () => now);
    let asked = 0;
    const make = async () => ++asked;
    await memory.get('a', make);
    await memory.get('b', make, { until: () => now + 1_000 });
    now += 2_000;
    expect(await memory.get('a', make)).toBe(1);
    expect(await memory.get('b', make)).toBe(3);
    now += 4_000;
    expect(await memory.get('a', make)).toBe(4);
  });

  it('makes afresh a kept value its caller cannot use, and keeps the new one', async () => {
    const memory = new ShortMemory(60_000, 10);
    let asked = 0;
    const make = async () => ++asked;
    await memory.get('a', make);
    expect(await memory.get('a', make, { usable: (v) => v > 1 })).toBe(2);
    expect(await memory.get('a', make)).toBe(2);
  });
});
