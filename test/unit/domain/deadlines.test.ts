// Regulatory clocks and the cadence on a fake clock: exact due times at the boundaries, SEC
// business days across a weekend and a US federal holiday, DORA's 4 h / 24 h rule.

import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  cadence,
  easternToUtc,
  formatCountdown,
  readClock,
  regulatoryClocks,
  secDueMs,
  type Regime,
} from '../../../src/domain/deadlines.js';
import { isUsFederalHoliday, usFederalHolidays } from '../../../src/domain/us-holidays.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const flag = (aware: string, regimes: Regime[], flagged = aware) => ({
  awareMs: at(aware),
  flaggedMs: at(flagged),
  regimes,
});
const due = (id: string, flags: ReturnType<typeof flag>[]) =>
  iso(regulatoryClocks(flags).find((c) => c.id === id)!.dueMs);

describe('GDPR and HIPAA', () => {
  it('GDPR is due exactly 72 h after awareness; overdue one millisecond later', () => {
    const [c] = regulatoryClocks([flag('2026-04-20T14:32:00Z', ['gdpr'])]);
    expect(iso(c!.dueMs)).toBe('2026-04-23T14:32:00.000Z');
    expect(readClock(c!.dueMs, c!.dueMs)).toMatchObject({ remainingMs: 0, overdue: false, urgent: true });
    expect(readClock(c!.dueMs, c!.dueMs + 1).overdue).toBe(true);
    // 71 h 12 min left reads as the header shows it.
    expect(formatCountdown(readClock(c!.dueMs, at('2026-04-20T15:20:00Z')).remainingMs)).toBe('71:12');
    // Urgent (red) from 6 h before the deadline, not before.
    expect(readClock(c!.dueMs, c!.dueMs - 6 * H).urgent).toBe(false);
    expect(readClock(c!.dueMs, c!.dueMs - 6 * H + 1).urgent).toBe(true);
  });

  it('HIPAA is 60 calendar days, across a month end', () => {
    expect(due('hipaa', [flag('2026-04-20T14:32:00Z', ['hipaa'])])).toBe('2026-06-19T14:32:00.000Z');
    expect(formatCountdown(60 * 24 * H - 60_000)).toBe('59d23h');
  });

  it('a regime flagged twice keeps the earliest awareness', () => {
    const c = regulatoryClocks([
      flag('2026-04-21T10:00:00Z', ['gdpr']),
      flag('2026-04-20T09:00:00Z', ['gdpr', 'nis2']),
    ]);
    expect(c.filter((x) => x.regime === 'gdpr')).toHaveLength(1);
    expect(due('gdpr', [flag('2026-04-21T10:00:00Z', ['gdpr']), flag('2026-04-20T09:00:00Z', ['gdpr'])])).toBe(
      '2026-04-23T09:00:00.000Z',
    );
    // Soonest first.
    expect(c.map((x) => x.id)).toEqual(['nis2.early', 'gdpr', 'nis2.notification', 'nis2.final']);
  });
});

describe('NIS2', () => {
  it('24 h early warning, 72 h notification, one calendar month final report', () => {
    const f = [flag('2026-01-31T23:30:00Z', ['nis2'])];
    expect(due('nis2.early', f)).toBe('2026-02-01T23:30:00.000Z');
    expect(due('nis2.notification', f)).toBe('2026-02-03T23:30:00.000Z');
    // 31 January + one month is the last day of February.
    expect(due('nis2.final', f)).toBe('2026-02-28T23:30:00.000Z');
  });
});

describe('DORA', () => {
  it('initial notification 4 h after classification when that is within 24 h of awareness', () => {
    // Aware 08:00, classified major (the flag journaled) at 10:00: due 14:00.
    const f = [flag('2026-04-20T08:00:00Z', ['dora'], '2026-04-20T10:00:00Z')];
    expect(due('dora.initial', f)).toBe('2026-04-20T14:00:00.000Z');
    expect(due('dora.intermediate', f)).toBe('2026-04-23T10:00:00.000Z');
    expect(due('dora.final', f)).toBe('2026-05-20T10:00:00.000Z');
  });

  it('never later than 24 h after awareness, however late the classification', () => {
    const f = [flag('2026-04-20T08:00:00Z', ['dora'], '2026-04-21T06:00:00Z')];
    expect(due('dora.initial', f)).toBe('2026-04-21T08:00:00.000Z');
  });
});

describe('SEC 8-K Item 1.05: four business days', () => {
  it('a Monday determination is due Friday 17:30 New York (EDT, UTC−4)', () => {
    expect(iso(secDueMs(at('2026-04-20T14:00:00Z')).dueMs)).toBe('2026-04-24T21:30:00.000Z');
  });

  it('skips the weekend: a Thursday determination is due the next Wednesday', () => {
    expect(iso(secDueMs(at('2026-04-23T14:00:00Z')).dueMs)).toBe('2026-04-29T21:30:00.000Z');
  });

  it('skips a US federal holiday: Thanksgiving 2026 moves a Tuesday determination to Monday', () => {
    // Tue 24 Nov → Wed 25 (1), Thu 26 Thanksgiving (skip), Fri 27 (2), Mon 30 (3), Tue 1 Dec (4).
    expect(addBusinessDays('2026-11-24', 4).date).toBe('2026-12-01');
    // 1 Dec is EST (UTC−5): 17:30 ET = 22:30 UTC.
    expect(iso(secDueMs(at('2026-11-24T15:00:00Z')).dueMs)).toBe('2026-12-01T22:30:00.000Z');
  });

  it('counts in New York days: 02:00 UTC Saturday is still Friday evening there', () => {
    // Fri 3 Jul 2026 is the observed Independence Day; Fri 22:00 ET = Sat 02:00 UTC.
    expect(addBusinessDays('2026-07-02', 1).date).toBe('2026-07-06');
    expect(iso(secDueMs(at('2026-07-04T02:00:00Z')).dueMs)).toBe('2026-07-09T21:30:00.000Z');
  });

  it('says when the holiday table does not cover the dates', () => {
    expect(secDueMs(at('2029-03-01T12:00:00Z')).note).toContain('2025–2028 only');
    expect(secDueMs(at('2026-03-02T12:00:00Z')).note).not.toContain('only');
  });

  it('the holiday table matches the statutory rules (observed on Friday/Monday)', () => {
    const rules: string[] = [];
    for (const y of [2025, 2026, 2027, 2028]) {
      const d = (m: number, day: number) => new Date(Date.UTC(y, m, day));
      const nth = (m: number, dow: number, n: number) => {
        let c = 0;
        for (let day = 1; ; day++) if (d(m, day).getUTCDay() === dow && ++c === n) return d(m, day);
      };
      const last = (m: number, dow: number) => {
        for (let day = new Date(Date.UTC(y, m + 1, 0)).getUTCDate(); ; day--)
          if (d(m, day).getUTCDay() === dow) return d(m, day);
      };
      const observed = (m: number, day: number) => {
        const x = d(m, day);
        return new Date(x.getTime() + (x.getUTCDay() === 6 ? -1 : x.getUTCDay() === 0 ? 1 : 0) * 24 * H);
      };
      for (const x of [
        observed(0, 1),
        nth(0, 1, 3),
        nth(1, 1, 3),
        last(4, 1),
        observed(5, 19),
        observed(6, 4),
        nth(8, 1, 1),
        nth(9, 1, 2),
        observed(10, 11),
        nth(10, 4, 4),
        observed(11, 25),
      ])
        rules.push(x.toISOString().slice(0, 10));
    }
    expect(usFederalHolidays()).toEqual([...rules].sort());
    expect(isUsFederalHoliday('2027-12-31')).toBe(true);
  });

  it('converts New York wall time across the DST switch', () => {
    expect(iso(easternToUtc('2026-03-06', 17, 30))).toBe('2026-03-06T22:30:00.000Z');
    expect(iso(easternToUtc('2026-03-09', 17, 30))).toBe('2026-03-09T21:30:00.000Z');
  });
});

describe('leadership cadence', () => {
  const start = at('2026-04-20T14:32:00Z');
  it('first summary due N h after detection, then N h after the last leadership update', () => {
    expect(cadence({ hours: 3, startMs: start, resolved: false }, start + H)).toMatchObject({
      dueMs: start + 3 * H,
      overdue: false,
      since: 'detection',
    });
    const late = cadence({ hours: 3, startMs: start, resolved: false }, start + 3 * H + 25 * 60_000)!;
    expect(late.overdue).toBe(true);
    expect(formatCountdown(late.remainingMs)).toBe('0:25');
    expect(
      cadence({ hours: 2, startMs: start, lastUpdateMs: start + 3 * H, resolved: false }, start + 4 * H),
    ).toMatchObject({ dueMs: start + 5 * H, overdue: false, since: 'update' });
  });
  it('no summary is owed once the incident is resolved', () => {
    expect(cadence({ hours: 3, startMs: start, resolved: true }, start + 10 * H)).toBeUndefined();
  });
});
