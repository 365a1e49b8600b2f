// Pictures: a sparkline of events per minute per source in the live-events title, the
// detections on a time axis under the timeline, and a phase bar in the header.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkedLog } from '../../store/chunked.js';
import type { EventRow, TimelineEntry } from '../../store/state.js';
import { detectionAxis, eventRates, phaseBar, rateTitle, sparkline } from '../../views/pictures.js';
import { Scratch, createJournal, linesOf, mount, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const T = Date.UTC(2026, 3, 20, 14, 30, 0);

function row(n: number, source: EventRow['source'], minute: number): EventRow {
  return {
    seq: n + 1,
    key: `${source}:${n}`,
    source,
    id: String(n),
    eventTime: T + minute * 60_000 + (n % 50) * 100,
    discoveredAt: T + minute * 60_000,
    actor: 'a',
    action: 'GetObject',
    target: '',
    scope: '',
    sourceIp: '',
    outcome: 'success',
    errorCode: undefined,
    accessKeyId: undefined,
    offset: 0,
    length: 0,
  };
}

describe('the event-rate sparkline', () => {
  it('draws the heights relative to the busiest minute; an empty minute is blank', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(' ▁▂▄█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('counts events per minute per source over the last minutes of the feed', () => {
    const log = new ChunkedLog<EventRow>();
    let n = 0;
    // CloudTrail: 1, 2, 4, 8 events in minutes 0..3; Kubernetes: 3 events in minute 3 only.
    for (const [m, k] of [
      [0, 1],
      [1, 2],
      [2, 4],
      [3, 8],
    ] as const)
      for (let i = 0; i < k; i++) log.push(row(n++, 'cloudtrail', m));
    for (let i = 0; i < 3; i++) log.push(row(n++, 'kubernetes', 3));
    const r = eventRates(log, log.length, 4);
    expect(r.bySource.get('CT')).toEqual([1, 2, 4, 8]);
    expect(r.bySource.get('K8')).toEqual([0, 0, 0, 3]);
    expect(rateTitle(r)).toBe('CT ▁▂▄█ 8/m · K8    █ 3/m');
    // As of the first 3 events, only what had arrived then counts.
    expect(eventRates(log, 3, 4).bySource.get('CT')).toEqual([0, 0, 1, 2]);
  });
});

describe('the detection axis', () => {
  it('puts each detection at its event time between the ends, several in a column as *', () => {
    const det = new ChunkedLog<TimelineEntry>();
    const at = (seq: number, min: number) =>
      det.push({
        seq,
        ts: new Date(T + min * 60_000).toISOString(),
        kind: 'detection',
        actor: 'fb',
        text: 'x',
        eventTime: T + min * 60_000,
      });
    at(1, 0);
    at(2, 30);
    at(3, 30);
    at(9, 59);
    const line = detectionAxis(det, 8, T, T + 60 * 60_000, 40);
    expect(line).toHaveLength(40);
    expect(line.startsWith('14:30 ^')).toBe(true);
    expect(line).toContain('*');
    expect(line.endsWith(' 15:30 3 det')).toBe(true); // the fourth (seq 9) is after the as-of point
  });

  it('the phase bar fills up to the current phase', () => {
    expect(phaseBar('detection')).toBe('▰▰▱▱▱▱▱▱ 2/8');
    expect(phaseBar('review')).toBe('▰▰▰▰▰▰▰▰ 8/8');
  });
});

describe('in the cockpit (120x40)', () => {
  it('the live-events title carries the sparkline, the header the phase bar, the timeline the axis', async () => {
    const { file, store } = await createJournal(scratch, { events: 30 });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
    let f = c.frame();
    expect(linesOf(f)[0]).toContain('phase Detection ▰▰▱▱▱▱▱▱ 2/8');
    // 30 events, one a second from 14:30:00: all in the newest minute.
    expect(f).toMatch(/3 Live events {2}30 of 30 · following · CT {15}█ 30\/m/);
    expect(f).toContain('no detections yet');
    await store.getState().actions.raiseDetection({
      ruleId: 'cloudtrail.s3-getobject-volume',
      title: 'Unusual S3 GetObject volume',
      severity: 1,
      eventKeys: [],
      why: 'test',
    });
    f = await c.waitFor((x) => /1 det$/m.test(x), 'the axis with one detection');
    expect(linesOf(f).find((l) => l.endsWith('1 det'))).toMatch(/^ \d\d:\d\d -*\^-* \d\d:\d\d 1 det$/);
  });
});
