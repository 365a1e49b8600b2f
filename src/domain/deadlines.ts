// Regulatory notification clocks and the leadership-update cadence. Pure and UTC: every function
// takes the times it needs (epoch ms) and "now", so a fake clock tests them to the millisecond.
// These are aids, not legal advice: counsel decides whether and whom to notify; the cockpit keeps
// the clock and records the decision.
//
// Sources (the deadline each clock uses):
// - GDPR Art. 33(1): notify the supervisory authority without undue delay and, where feasible,
//   not later than 72 hours after having become aware of the personal data breach.
// - HIPAA Breach Notification Rule, 45 CFR 164.404(b) (and 164.408 for HHS when 500+): without
//   unreasonable delay and in no case later than 60 calendar days after discovery.
// - NIS2 Directive (EU) 2022/2555 Art. 23(4): early warning within 24 h of becoming aware;
//   incident notification within 72 h; final report within one month after the notification.
// - DORA: Commission Delegated Regulation (EU) 2025/301 Art. 5(1): initial notification within
//   4 h of classifying the incident as major and no later than 24 h after becoming aware;
//   intermediate report within 72 h of the initial notification; final report within one month
//   of the latest intermediate report.
// - SEC Form 8-K Item 1.05 (General Instruction B.1): within four business days after the
//   registrant determines a cybersecurity incident is material. Business days skip weekends and
//   US federal holidays (the table in us-holidays.ts, 2025–2028); EDGAR dates a filing the same
//   business day up to 17:30 Eastern (Regulation S-T Rule 13(a)(2)), so that is the due time.
//
// Where the law counts from a submission the journal does not hold (NIS2 final report, DORA
// intermediate and final), the clock counts from the earlier moment it does hold (awareness or
// classification): the aid is then early, never late, and its note says so.

import { didYouMean } from './suggest.js';
import { holidaysKnown, isUsFederalHoliday } from './us-holidays.js';

export const REGIMES = ['gdpr', 'hipaa', 'nis2', 'dora', 'sec'] as const;
export type Regime = (typeof REGIMES)[number];

export const AID_LABEL = 'aid, not legal advice';

export const REGIME_NAMES: Record<Regime, string> = {
  gdpr: 'GDPR',
  hipaa: 'HIPAA',
  nis2: 'NIS2',
  dora: 'DORA',
  sec: 'SEC',
};

export function isRegime(x: unknown): x is Regime {
  return typeof x === 'string' && (REGIMES as readonly string[]).includes(x);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RegulatoryClock {
  /** Stable id: "gdpr", "nis2.early", "dora.initial" … */
  id: string;
  regime: Regime;
  /** Short, for the header: "GDPR", "NIS2 24h". */
  short: string;
  /** What is due: "notify the supervisory authority". */
  what: string;
  /** The article the deadline comes from. */
  basis: string;
  /** What the clock counts from (epoch ms). */
  fromMs: number;
  dueMs: number;
  /** How the due time was derived, where it needs saying. */
  note?: string;
}

/** One "personal data / regulated incident involved" flag as journaled. */
export interface ExposureFlag {
  /** When the organisation became aware (the record's awareAt), epoch ms. */
  awareMs: number;
  /** When it was journaled (the record's ts): DORA's classification as major. */
  flaggedMs: number;
  regimes: readonly Regime[];
}

/** Calendar month later in UTC (31 Jan + 1 month = 28/29 Feb, as date-fns addMonths does). */
export function addMonthUtc(ms: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(
    y,
    m,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

const ET_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const ET_HM = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The calendar date (YYYY-MM-DD) in New York at `ms`. */
export function easternDate(ms: number): string {
  return ET_DATE.format(ms);
}

/** The UTC instant of HH:MM New York time on `date` (EST −5 or EDT −4, whichever holds). */
export function easternToUtc(date: string, hh: number, mm: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  for (const offset of [4, 5]) {
    const ms = Date.UTC(y, m - 1, d, hh + offset, mm);
    if (
      easternDate(ms) === date &&
      ET_HM.format(ms) === `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`
    )
      return ms;
  }
  throw new RangeError(`no ${hh}:${mm} on ${date} in New York`);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
}

export function isBusinessDay(date: string): boolean {
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !isUsFederalHoliday(date);
}

/** The `n`th business day after `date` (the date itself is day 0), and whether every holiday was known. */
export function addBusinessDays(date: string, n: number): { date: string; holidaysKnown: boolean } {
  let d = date;
  let known = holidaysKnown(d);
  for (let left = n; left > 0;) {
    d = nextDate(d);
    known &&= holidaysKnown(d);
    if (isBusinessDay(d)) left--;
  }
  return { date: d, holidaysKnown: known };
}

/** The SEC 8-K Item 1.05 due time for a materiality determination at `ms`. */
export function secDueMs(ms: number): { dueMs: number; note: string } {
  const r = addBusinessDays(easternDate(ms), 4);
  const note = `4 business days (New York) after the determination, 17:30 ET on ${r.date}${r.holidaysKnown ? '' : '; holiday table covers 2025–2028 only, weekends skipped'}`;
  return { dueMs: easternToUtc(r.date, 17, 30), note };
}

function clocksFor(regime: Regime, awareMs: number, flaggedMs: number): RegulatoryClock[] {
  const c = (
    id: string,
    short: string,
    what: string,
    basis: string,
    fromMs: number,
    dueMs: number,
    note?: string,
  ): RegulatoryClock => ({
    id,
    regime,
    short,
    what,
    basis,
    fromMs,
    dueMs,
    ...(note ? { note } : {}),
  });
  switch (regime) {
    case 'gdpr':
      return [
        c(
          'gdpr',
          'GDPR',
          'notify the supervisory authority',
          'GDPR Art. 33(1): 72 h after awareness',
          awareMs,
          awareMs + 72 * HOUR,
        ),
      ];
    case 'hipaa':
      return [
        c(
          'hipaa',
          'HIPAA',
          'notify affected individuals (and HHS if 500+)',
          '45 CFR 164.404(b): 60 days after discovery',
          awareMs,
          awareMs + 60 * DAY,
        ),
      ];
    case 'nis2':
      return [
        c(
          'nis2.early',
          'NIS2 24h',
          'early warning to the CSIRT / authority',
          'NIS2 Art. 23(4)(a): 24 h after awareness',
          awareMs,
          awareMs + 24 * HOUR,
        ),
        c(
          'nis2.notification',
          'NIS2 72h',
          'incident notification',
          'NIS2 Art. 23(4)(b): 72 h after awareness',
          awareMs,
          awareMs + 72 * HOUR,
        ),
        c(
          'nis2.final',
          'NIS2 final',
          'final report',
          'NIS2 Art. 23(4)(d): one month after the notification',
          awareMs,
          addMonthUtc(awareMs),
          'counted from awareness (the law counts from the notification, which is later)',
        ),
      ];
    case 'dora': {
      const classified = Math.max(flaggedMs, awareMs);
      return [
        c(
          'dora.initial',
          'DORA 4h',
          'initial notification',
          'Reg. (EU) 2025/301 Art. 5(1)(a): 4 h after classification as major, at most 24 h after awareness',
          awareMs,
          Math.min(classified + 4 * HOUR, awareMs + 24 * HOUR),
          'classification = when the flag was journaled',
        ),
        c(
          'dora.intermediate',
          'DORA 72h',
          'intermediate report',
          'Reg. (EU) 2025/301 Art. 5(1)(b): 72 h after the initial notification',
          classified,
          classified + 72 * HOUR,
          'counted from classification (the law counts from the initial notification, which is later)',
        ),
        c(
          'dora.final',
          'DORA final',
          'final report',
          'Reg. (EU) 2025/301 Art. 5(1)(c): one month after the latest intermediate report',
          classified,
          addMonthUtc(classified),
          'counted from classification (the law counts from the intermediate report, which is later)',
        ),
      ];
    }
    case 'sec': {
      const { dueMs, note } = secDueMs(awareMs);
      return [
        c(
          'sec',
          'SEC 8-K',
          'file Form 8-K Item 1.05',
          'Form 8-K Item 1.05: 4 business days after the materiality determination',
          awareMs,
          dueMs,
          note,
        ),
      ];
    }
  }
}

/**
 * Every clock the flags start. A regime flagged twice keeps its earliest awareness: a clock
 * started by the law does not restart because the team flagged it again.
 */
export function regulatoryClocks(flags: readonly ExposureFlag[]): RegulatoryClock[] {
  const first = new Map<Regime, ExposureFlag>();
  for (const f of flags)
    for (const r of f.regimes) {
      const had = first.get(r);
      if (!had || f.awareMs < had.awareMs) first.set(r, f);
    }
  const out: RegulatoryClock[] = [];
  for (const r of REGIMES) {
    const f = first.get(r);
    if (f) out.push(...clocksFor(r, f.awareMs, f.flaggedMs));
  }
  return out.sort((a, b) => a.dueMs - b.dueMs);
}

export interface ClockReading {
  remainingMs: number;
  overdue: boolean;
  /** Under 6 h left, or overdue: the header shows it red. */
  urgent: boolean;
}

export const URGENT_MS = 6 * HOUR;

export function readClock(dueMs: number, nowMs: number): ClockReading {
  const remainingMs = dueMs - nowMs;
  return { remainingMs, overdue: remainingMs < 0, urgent: remainingMs < URGENT_MS };
}

/** "71:12" (hours:minutes) under 100 h, "59d23h" beyond; the absolute value (callers say overdue). */
export function formatCountdown(ms: number): string {
  const abs = Math.abs(ms);
  const totalMin = Math.floor(abs / 60_000);
  if (abs < 100 * HOUR) return `${Math.floor(totalMin / 60)}:${String(totalMin % 60).padStart(2, '0')}`;
  const h = Math.floor(abs / HOUR);
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

// ── Leadership-update cadence ───────────────────────────────────────────────────────────────
// The seed: "Leadership: regular summaries (every 2-4 hours during active incidents)".

export const DEFAULT_CADENCE_HOURS = 3;
export const CADENCE_RANGE = { min: 2, max: 4 } as const;

export interface CadenceInput {
  hours: number;
  /** The last leadership update (update.recorded, audience leadership), epoch ms. */
  lastUpdateMs?: number;
  /** Detection time (or when the incident was opened): the first summary is due N h after it. */
  startMs: number;
  /** Resolved incidents owe no more summaries. */
  resolved: boolean;
}

export interface CadenceReading extends ClockReading {
  hours: number;
  dueMs: number;
  since: 'update' | 'detection';
}

/** The next leadership summary, or undefined when the incident is resolved. */
export function cadence(i: CadenceInput, nowMs: number): CadenceReading | undefined {
  if (i.resolved || Number.isNaN(i.startMs)) return undefined;
  const since = i.lastUpdateMs !== undefined ? 'update' : 'detection';
  const dueMs = (i.lastUpdateMs ?? i.startMs) + i.hours * HOUR;
  const r = readClock(dueMs, nowMs);
  // Urgent for a summary means overdue: it is a reminder, not a legal deadline.
  return { ...r, urgent: r.overdue, hours: i.hours, dueMs, since };
}

// ── Typed regimes ───────────────────────────────────────────────────────────────────────────

/**
 * The regime a mistyped word was meant to be ("nis" → nis2, "hippa" → hipaa), or undefined when
 * the word is not close to any: a note that happens to start with "data" is not a typo of "dora".
 */
export function suggestRegime(word: string): Regime | undefined {
  return didYouMean(word, REGIMES) as Regime | undefined;
}
