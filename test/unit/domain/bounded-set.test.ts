// BoundedSet remembers exactly the last `max` distinct members, and evicting never walks the set.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoundedSet } from '../../../src/domain/bounded-set.js';

describe('BoundedSet', () => {
  afterEach(() => vi.restoreAllMocks());

  it('agrees with a naive last-max model on any sequence of adds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 80 }),
        (max, adds) => {
          const s = new BoundedSet<number>(max);
          const model: number[] = [];
          for (const k of adds) {
            const fresh = !model.includes(k);
            expect(s.add(k)).toBe(fresh);
            if (fresh) {
              model.push(k);
              if (model.length > max) model.shift();
            }
            expect(s.size).toBe(model.length);
            for (let q = 0; q <= 12; q++) expect(s.has(q)).toBe(model.includes(q));
          }
        },
      ),
    );
  });

  it('evicts at its cap without iterating a Set (no walk over deleted slots)', () => {
    const s = new BoundedSet<string>(100);
    for (let i = 0; i < 100; i++) s.add(`k${i}`);
    const walks = [
      vi.spyOn(Set.prototype, 'values'),
      vi.spyOn(Set.prototype, 'keys'),
      vi.spyOn(Set.prototype, Symbol.iterator),
    ];
    for (let i = 100; i < 1000; i++) s.add(`k${i}`);
    expect(walks.map((w) => w.mock.calls.length)).toEqual([0, 0, 0]);
    expect(s.has('k899')).toBe(false);
    expect(s.has('k900')).toBe(true);
    expect(s.size).toBe(100);
  });

  it('refuses a cap below 1', () => {
    expect(() => new BoundedSet(0)).toThrow(RangeError);
  });
});
