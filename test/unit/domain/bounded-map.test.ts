// BoundedMap keeps the newest `max` entries, evicts the oldest (set again = newest), and says
// which it evicted — checked against a plain array model under random operations.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { BoundedMap } from '../../../src/domain/bounded-map.js';

it('evicts the least recently set entry and returns it', () => {
  const m = new BoundedMap<string, number>(2);
  expect(m.set('a', 1)).toBeUndefined();
  expect(m.set('b', 2)).toBeUndefined();
  expect(m.set('a', 3)).toBeUndefined(); // a is now the newest
  expect(m.set('c', 4)).toEqual(['b', 2]);
  expect([m.has('a'), m.has('b'), m.has('c'), m.size]).toEqual([true, false, true, 2]);
  expect(m.delete('a')).toBe(true);
  expect(m.set('d', 5)).toBeUndefined();
  expect(m.set('e', 6)).toEqual(['c', 4]);
});

it('matches a model of the same rules under any sequence of sets and deletes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 })), { maxLength: 300 }),
      (max, ops) => {
        const m = new BoundedMap<number, number>(max);
        let model: [number, number][] = [];
        ops.forEach(([isSet, k], i) => {
          if (isSet) {
            model = model.filter(([x]) => x !== k);
            model.push([k, i]);
            const want = model.length > max ? model.shift() : undefined;
            expect(m.set(k, i)).toEqual(want);
          } else {
            const had = model.some(([x]) => x === k);
            model = model.filter(([x]) => x !== k);
            expect(m.delete(k)).toBe(had);
          }
          expect(m.size).toBe(model.length);
        });
        for (const [k, v] of model) expect(m.get(k)).toBe(v);
      },
    ),
  );
});
