import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonSlow } from '../../../src/journal/canonical.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, writes undefined array slots as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined, 'x'], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,null,"x"]},"b":1}',
    );
  });

  it('keeps integer-like keys in code-unit order (V8 would list them numerically first)', () => {
    expect(canonicalJson({ b: 1, '10': 2, '9': 3, a: 4 })).toBe('{"10":2,"9":3,"a":4,"b":1}');
  });

  it('refuses what JSON cannot hold faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: 1n })).toThrow();
  });

  it('the fast path writes exactly what the reference walk writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(canonicalJsonSlow(v));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '12', '__proto__', 'a')), fc.jsonValue()),
        (v) => {
          expect(canonicalJson(v)).toBe(canonicalJsonSlow(v));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
