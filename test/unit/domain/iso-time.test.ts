// parseIsoTime must answer exactly what Date.parse answers, for every string: the fold and the
// journal scan use it in Date.parse's place.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoTime } from '../../../src/domain/iso-time.js';

const same = (s: string) => expect(Object.is(parseIsoTime(s), Date.parse(s)), s).toBe(true);

describe('parseIsoTime', () => {
  it('reads the two shapes firebreak and CloudTrail write', () => {
    expect(parseIsoTime('2025-03-14T09:30:00.006Z')).toBe(Date.UTC(2025, 2, 14, 9, 30, 0, 6));
    expect(parseIsoTime('2025-03-14T09:00:00Z')).toBe(Date.UTC(2025, 2, 14, 9, 0, 0));
  });

  it('agrees with Date.parse on edge cases', () => {
    for (const s of [
      '2025-02-29T00:00:00Z',
      '2024-02-29T00:00:00.000Z',
      '2025-04-31T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-00-10T00:00:00Z',
      '2025-01-10T24:00:00Z',
      '2025-01-10T23:60:00Z',
      '2025-01-10T23:59:60Z',
      '0099-01-10T10:00:00Z',
      '1969-12-31T23:59:59.999Z',
      '2025-01-1xT10:00:00Z',
      '2025-01-10T10:00:00.0a0Z',
      '2025-01-10T10:00:00+01:00',
      '2025-01-10 10:00:00Z',
      '+2025-01-10T10:00:00Z',
      '',
      'not a time',
    ])
      same(s);
  });

  it('agrees with Date.parse on any time toISOString writes, with or without milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 }), (t) => {
        const iso = new Date(t).toISOString();
        same(iso);
        same(iso.replace(/\.\d{3}Z$/, 'Z'));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Date.parse on strings shaped like one with any characters in the fields', () => {
    const ch = fc.constantFrom(...'0123456789:-.TZ +/a'.split(''));
    fc.assert(
      fc.property(fc.array(ch, { minLength: 20, maxLength: 24 }), fc.boolean(), (cs, ms) => {
        const base = ms ? '2025-03-14T09:30:00.006Z' : '2025-03-14T09:00:00Z';
        // Mostly a valid time with a few characters changed.
        const s = base
          .split('')
          .map((c, i) => (cs[i] !== undefined && i % 5 === cs.length % 5 ? cs[i] : c))
          .join('');
        same(s);
      }),
      { numRuns: 5000 },
    );
  });
});
