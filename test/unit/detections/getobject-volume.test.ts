// The windowed GetObject counter: threshold edges, event time not arrival order, once per
// principal per window, lateness and bounded memory.

import { describe, expect, it } from 'vitest';
import { createDetector, getObjectVolumeRule, type VolumeOptions } from '../../../src/detections/index.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { getObject } from './fixtures.js';

const T0 = Date.parse('2026-04-20T14:36:00Z');
const at = (ms: number, arn?: string) => getObject(new Date(T0 + ms).toISOString(), arn);
const P = (n: number) => `arn:aws:sts::123456789012:assumed-role/reader/${n}`;

function detector(opts: VolumeOptions = {}) {
  const d = createDetector([getObjectVolumeRule({ threshold: 5, ...opts })]);
  return (events: IncidentEvent[]) => events.flatMap((e) => d.observe(e));
}

describe('cloudtrail.s3-getobject-volume', () => {
  it('fires at exactly the threshold within the window, not one below', () => {
    const observe = detector();
    expect(observe([0, 1, 2, 3].map((i) => at(i * 60_000)))).toEqual([]);
    const hits = observe([at(4 * 60_000 + 59_999)]); // 5th call, 4:59.999 after the first
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventKeys).toHaveLength(5);
  });

  it('a window is half-open: five calls spanning exactly 5 minutes are not a burst', () => {
    expect(detector()([0, 1, 2, 3, 5].map((i) => at(i * 60_000)))).toEqual([]);
  });

  it('counts by event time, so late out-of-order deliveries still complete a burst', () => {
    const observe = detector();
    // Delivered newest first, the way CloudTrail's 5–15 min delay can shuffle them.
    expect(observe([at(240_000), at(10 * 60_000), at(180_000), at(60_000), at(120_000)])).toEqual([]);
    const hits = observe([at(0)]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventKeys).toHaveLength(5);
  });

  it('does not count calls spread out in time', () => {
    expect(detector()([0, 2, 4, 6, 8, 10, 12].map((m) => at(m * 60_000)))).toEqual([]);
  });

  it('fires once per principal per window, then again for a new window', () => {
    const observe = detector();
    const first = observe(Array.from({ length: 20 }, (_, i) => at(i * 1_000)));
    expect(first).toHaveLength(1);
    // Still inside the reported window: nothing new.
    expect(observe([at(60_000), at(61_000), at(62_000), at(63_000), at(64_000)])).toEqual([]);
    // After it: a second burst is a second detection.
    const second = observe(Array.from({ length: 5 }, (_, i) => at(6 * 60_000 + i * 1_000)));
    expect(second).toHaveLength(1);
    expect(second[0]!.title).toBe(first[0]!.title);
  });

  it('keeps principals apart', () => {
    const observe = detector();
    const hits = observe(Array.from({ length: 10 }, (_, i) => at(i * 1_000, P(i % 2))));
    expect(hits).toHaveLength(2);
    expect(hits.map((h) => h.title).join()).toContain('reader/0');
    expect(hits.map((h) => h.title).join()).toContain('reader/1');
  });

  it('the same call observed twice is counted once', () => {
    const observe = detector();
    const e = [at(0), at(1_000), at(2_000), at(3_000)];
    expect(observe([...e, ...e])).toEqual([]);
  });

  it('drops calls later than window + lateness behind the newest seen', () => {
    const observe = detector({ lateMs: 60_000 });
    observe([at(60 * 60_000)]); // an hour later, from another principal
    expect(observe([0, 1, 2, 3, 4].map((i) => at(i * 1_000, P(9))))).toEqual([]);
  });

  it('ignores a clock far ahead of discovery (it would blind the window)', () => {
    const observe = detector();
    const future = { ...at(0), eventTime: '2999-01-01T00:00:00.000Z' };
    observe([future]);
    expect(observe([0, 1, 2, 3, 4].map((i) => at(i * 1_000)))).toHaveLength(1);
  });

  it('evicts the least recently seen principal past maxPrincipals', () => {
    const observe = detector({ maxPrincipals: 2 });
    observe([at(0, P(1)), at(1_000, P(1)), at(2_000, P(1)), at(3_000, P(1))]); // P1 one short
    observe([at(4_000, P(2)), at(5_000, P(3))]); // P1 forgotten
    expect(observe([at(6_000, P(1))])).toEqual([]);
    // Without eviction the same sequence completes P1's burst.
    const roomy = detector({ maxPrincipals: 10 });
    roomy([at(0, P(1)), at(1_000, P(1)), at(2_000, P(1)), at(3_000, P(1)), at(4_000, P(2)), at(5_000, P(3))]);
    expect(roomy([at(6_000, P(1))])).toHaveLength(1);
  });

  it('forgets quiet principals once their calls fall behind the horizon', () => {
    const observe = detector({ lateMs: 0, maxPrincipals: 1_000 });
    observe([at(0, P(1)), at(1_000, P(1)), at(2_000, P(1)), at(3_000, P(1))]);
    observe([at(30 * 60_000, P(2))]);
    // P1's four old calls no longer count toward a new burst.
    expect(observe([at(30 * 60_000 + 1, P(1))])).toEqual([]);
  });

  it('does not count denied GetObject calls', () => {
    const observe = detector();
    const denied = [0, 1, 2, 3, 4].map((i) => {
      const e = at(i * 1_000);
      return { ...e, outcome: 'failure' as const, raw: { ...(e.raw as object), errorCode: 'AccessDenied' } };
    });
    expect(observe(denied)).toEqual([]);
  });
});
