// Pure row renderers: fixtures in, text out.
import { describe, expect, it } from 'vitest';
import { duration, shortArn, timelineLine, wrapLines } from '../../views/format.js';
import { eventLine } from '../../views/event-table.js';
import type { EventRow, TimelineEntry } from '../../store/state.js';

const T = Date.parse('2026-04-20T14:20:11Z');
const row: EventRow = {
  seq: 9,
  key: 'cloudtrail:e1',
  source: 'cloudtrail',
  id: 'e1',
  eventTime: T,
  discoveredAt: T + 7 * 60_000,
  actor: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/sess',
  action: 'CreateAccessKey',
  target: 'arn:aws:iam::123456789012:user/dba-breakglass',
  scope: 'us-east-1',
  sourceIp: '203.0.113.45',
  outcome: 'failure',
  errorCode: 'AccessDenied',
  offset: 0,
  length: 0,
};

describe('event rows', () => {
  it('show UTC time, source, action, short actor, target, IP, failure and lateness, within the width', () => {
    const line = eventLine(row, 120, true);
    expect(line).toHaveLength(120);
    expect(line.startsWith('*14:20:11 CT CreateAccessKey')).toBe(true);
    // ASCII-only markers: Ink measures ASCII lines on its fast path.
    expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
    expect(line).toContain('orders-api-prod/sess');
    expect(line).toContain('dba-breakglass 203.0.113.45 us-east-1 !AccessDenied +7m');
    expect(eventLine(row, 40, false)).toHaveLength(40);
  });

  it('neutralise attacker text', () => {
    const line = eventLine({ ...row, action: 'Get\u001b]0;pwned\u0007', actor: 'x\u202ey' }, 120, false);
    expect(line).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(line).toContain('␛]0;pwned␇');
    expect(line).toContain('<U+202E>');
  });
});

describe('timeline rows', () => {
  const pin: TimelineEntry = {
    seq: 12,
    ts: '2026-04-20T14:30:00.000Z',
    kind: 'pin',
    actor: 'alice',
    text: 'Pinned: CreateAccessKey',
    eventTime: T,
    discoveredAt: T + 7 * 60_000,
  };
  it('show the record time, kind, who, what, and for pins the event time and when it was seen', () => {
    expect(timelineLine(pin, 120).trimEnd()).toBe(
      '14:30:00 PIN  alice    Pinned: CreateAccessKey (event 14:20:11, seen 14:27:11)',
    );
    expect(timelineLine({ ...pin, discoveredAt: T + 5000 }, 120).trimEnd()).toMatch(/\(event 14:20:11\)$/);
  });
});

describe('helpers', () => {
  it('durations, ARNs and wrapping', () => {
    expect([duration(45_000), duration(750_000), duration(3_900_000), duration(-60_000)]).toEqual([
      '45s',
      '12m30s',
      '1h05m',
      '-1m00s',
    ]);
    expect(shortArn('arn:aws:sts::123456789012:assumed-role/r/s')).toBe('r/s');
    expect(shortArn('not-an-arn')).toBe('not-an-arn');
    const w = wrapLines(['    "arn": "' + 'x'.repeat(50) + '"'], 30);
    expect(w.every((l) => l.length <= 30)).toBe(true);
    expect(w.join('').replace(/\s+/g, '')).toBe('"arn":"' + 'x'.repeat(50) + '"');
  });
});
