// Selectors: the state as of a seq (live = the latest seq; review = the cursor). Every long-list
// reader bounds itself by seq, which is what makes the fold's shared append-only logs safe.

import type { PhaseId } from '../src/domain/phases.js';
import type { RoleId } from '../src/domain/roles.js';
import type { SeverityLevel } from '../src/domain/severity.js';
import type { ChunkedLog } from './chunked.js';
import type { Change, EventRow, IncidentState, TimelineEntry } from './state.js';

/** The last change at or before `asOf`. Histories are short and seq-ordered. */
export function latest<T>(changes: readonly Change<T>[], asOf: number): Change<T> | undefined {
  for (let i = changes.length - 1; i >= 0; i--) if (changes[i]!.seq <= asOf) return changes[i];
  return undefined;
}

/** How many items of a seq-ordered log existed at `asOf`. */
export function countAsOf<T extends { seq: number }>(log: ChunkedLog<T>, asOf: number): number {
  const last = log.at(log.length - 1);
  if (!last || last.seq <= asOf) return log.length;
  return log.partitionPoint((x) => x.seq <= asOf);
}

export function severityAsOf(s: IncidentState, asOf = s.seq): Change<SeverityLevel> | undefined {
  return latest(s.severity, asOf);
}

export function phaseAsOf(s: IncidentState, asOf = s.seq): PhaseId {
  return latest(s.phase, asOf)?.value ?? 'detection';
}

/** Who holds each role at `asOf` (a later assignment replaces an earlier one). */
export function rolesAsOf(s: IncidentState, asOf = s.seq): Map<RoleId, Change<{ role: RoleId; person: string }>> {
  const out = new Map<RoleId, Change<{ role: RoleId; person: string }>>();
  for (const c of s.roles) if (c.seq <= asOf) out.set(c.value.role, c);
  return out;
}

/** The most severe level any detection raised by `asOf` suggests (Sev0 is the most severe). */
export function suggestedSeverityAsOf(s: IncidentState, asOf = s.seq): SeverityLevel | undefined {
  let best: SeverityLevel | undefined;
  const n = countAsOf(s.detections, asOf);
  for (let i = 0; i < n; i++) {
    const sev = s.detections.at(i)!.severity;
    if (sev !== undefined && (best === undefined || sev < best)) best = sev;
  }
  return best;
}

export function timelineAsOf(s: IncidentState, from: number, to: number, asOf = s.seq): TimelineEntry[] {
  return s.timeline.slice(from, to, countAsOf(s.timeline, asOf));
}

export function eventsAsOf(s: IncidentState, from: number, to: number, asOf = s.seq): EventRow[] {
  return s.events.slice(from, to, countAsOf(s.events, asOf));
}

export function isPinnedAsOf(s: IncidentState, key: string, asOf = s.seq): boolean {
  const seq = s.pins.get(key);
  return seq !== undefined && seq <= asOf;
}
