// The regulatory clocks and the update cadence as of a seq: the journal's flags, decisions and
// updates handed to the pure rules in src/domain/deadlines.ts. Everything comes from the fold, so
// the clocks are the same after a restart (or in review) as they were when the flag was recorded.

import {
  cadence,
  DEFAULT_CADENCE_HOURS,
  readClock,
  regulatoryClocks,
  type CadenceReading,
  type ClockReading,
  type RegulatoryClock,
} from '../src/domain/deadlines.js';
import type { RecordData } from '../src/journal/records.js';
import { latest } from './selectors.js';
import type { Change, IncidentState } from './state.js';

export type Decision = Change<RecordData<'notification.decided'>>;

export interface ClockRow extends RegulatoryClock, ClockReading {
  /** The latest notify / no-notify decision for the clock's regime, if any. */
  decision?: Decision;
}

/** When the incident counts as detected: the recorded time, else the first detection, else opened. */
export function detectedMsAsOf(s: IncidentState, asOf = s.seq): number {
  const recorded = latest(s.detectedAt, asOf)?.value;
  if (recorded) return Date.parse(recorded);
  const first = s.detections.at(0);
  if (first && first.seq <= asOf) return Date.parse(first.ts);
  return s.incident ? Date.parse(s.incident.openedAt) : NaN;
}

/**
 * Where the response clock (severity SLA) counts from: a re-classification counts from the change
 * itself; the first severity counts from detection (recorded, else the first detection raised),
 * else from the severity call. Never from opening the journal: a drill opens before the attack,
 * and a Sev0 set then was overdue the instant it was set.
 */
export function responseStartMsAsOf(s: IncidentState, asOf = s.seq): number | undefined {
  const changes = s.severity.filter((c) => c.seq <= asOf);
  const last = changes.at(-1);
  if (!last) return undefined;
  if (changes.length > 1 && changes.at(-2)!.value !== last.value) return Date.parse(last.ts);
  const recorded = latest(s.detectedAt, asOf)?.value;
  if (recorded) return Date.parse(recorded);
  const first = s.detections.at(0);
  if (first && first.seq <= asOf) return Date.parse(first.ts);
  return Date.parse(changes[0]!.ts);
}

export function decisionsAsOf(s: IncidentState, asOf = s.seq): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const d of s.notifications) if (d.seq <= asOf) out.set(d.value.regime, d);
  return out;
}

/** Every regulatory clock started by `asOf`, soonest due first, read at `nowMs`. */
export function clocksAsOf(s: IncidentState, nowMs: number, asOf = s.seq): ClockRow[] {
  const flags = s.personalData
    .filter((c) => c.seq <= asOf)
    .map((c) => ({ awareMs: Date.parse(c.value.awareAt), flaggedMs: Date.parse(c.ts), regimes: c.value.regimes }));
  const decisions = decisionsAsOf(s, asOf);
  return regulatoryClocks(flags).map((c) => {
    const d = decisions.get(c.regime);
    return { ...c, ...readClock(c.dueMs, nowMs), ...(d ? { decision: d } : {}) };
  });
}

/**
 * The clock the header counts down: the soonest one whose regime has no decision yet. Once the
 * notify / no-notify decision is journaled the clock leaves the header (the clocks panel keeps it).
 */
export function mostUrgentOpenClock(rows: readonly ClockRow[]): ClockRow | undefined {
  return rows.find((r) => !r.decision);
}

export function cadenceHoursAsOf(s: IncidentState, asOf = s.seq): number {
  return latest(s.cadenceHours, asOf)?.value ?? DEFAULT_CADENCE_HOURS;
}

/** The next leadership summary as of `asOf` (undefined once resolved or before anything exists). */
export function cadenceAsOf(s: IncidentState, nowMs: number, asOf = s.seq): CadenceReading | undefined {
  if (!s.incident) return undefined;
  let lastUpdateMs: number | undefined;
  for (const u of s.updates) if (u.seq <= asOf && u.audience === 'leadership') lastUpdateMs = Date.parse(u.ts);
  return cadence(
    {
      hours: cadenceHoursAsOf(s, asOf),
      startMs: detectedMsAsOf(s, asOf),
      resolved: latest(s.resolvedAt, asOf) !== undefined,
      ...(lastUpdateMs !== undefined ? { lastUpdateMs } : {}),
    },
    nowMs,
  );
}
