// The incident's metrics, computed from the journal alone (so they read the same live, after a
// restart and in review): time to detect (first signal → detection), to contain (detection →
// first containment that held, or the recorded time), to recover (containment → resolved), the
// time spent in each lifecycle phase, and who holds each role with every hand-off (from → to).
// The definitions follow the ones the post-mortem uses (src/reports/postmortem.ts).

import { PHASES, phaseName, type PhaseId } from '../src/domain/phases.js';
import { roleName, type RoleId } from '../src/domain/roles.js';
import { reportFacts } from './report-facts.js';
import type { IncidentState } from './state.js';

export interface IncidentMetrics {
  /** Each with its basis ("recorded", "first detection" …) or why it is not known yet. */
  durations: { name: string; ms?: number; from?: string; to?: string; basis: string }[];
  phases: { phase: PhaseId; name: string; ms: number; current: boolean }[];
  roles: { role: string; holders: { person: string; at: string; by: string }[] }[];
}

export function incidentMetrics(s: IncidentState, now: Date): IncidentMetrics {
  const f = reportFacts(s, { now });
  const span = (name: string, from: string | undefined, to: string | undefined, basis: string, missing: string) => {
    const ms = from && to ? Date.parse(to) - Date.parse(from) : undefined;
    return ms !== undefined && Number.isFinite(ms)
      ? { name, ms, from: from!, to: to!, basis }
      : { name, basis: missing };
  };
  const durations = [
    span(
      'Time to detect',
      f.firstSignal?.eventTime,
      f.detectedAt,
      `first signal → ${f.detectedBasis ?? 'detection'}`,
      f.detectedAt ? 'no first signal in the journal' : 'not detected yet',
    ),
    span(
      'Time to contain',
      f.detectedAt,
      f.containedAt,
      `detection → ${f.containedBasis ?? 'containment'}`,
      f.containedAt ? 'no detection time' : 'not contained yet (no containment verified, none recorded)',
    ),
    span(
      'Time to recover',
      f.containedAt,
      f.resolvedAt,
      'containment → resolved (:resolved)',
      f.resolvedAt ? 'no containment time' : 'not resolved yet',
    ),
  ];
  // Phase changes in journal order; the first phase runs from the incident's opening.
  const changes = [...s.phase].sort((a, b) => a.seq - b.seq);
  const opened = s.incident ? Date.parse(s.incident.openedAt) : (s.recordTimes.at(0) ?? now.getTime());
  const spent = new Map<PhaseId, number>();
  let cur: PhaseId = 'detection';
  let since = opened;
  for (const c of changes) {
    const t = Date.parse(c.ts);
    spent.set(cur, (spent.get(cur) ?? 0) + Math.max(0, t - since));
    cur = c.value;
    since = t;
  }
  const end = f.resolvedAt ? Math.max(since, Date.parse(f.resolvedAt)) : now.getTime();
  spent.set(cur, (spent.get(cur) ?? 0) + Math.max(0, end - since));
  const phases = PHASES.filter((p) => spent.has(p.id)).map((p) => ({
    phase: p.id,
    name: phaseName(p.id),
    ms: spent.get(p.id)!,
    current: p.id === cur,
  }));
  const byRole = new Map<string, { person: string; at: string; by: string }[]>();
  for (const r of [...s.roles].sort((a, b) => a.seq - b.seq)) {
    const list = byRole.get(r.value.role) ?? [];
    list.push({ person: r.value.person, at: r.ts, by: r.actor });
    byRole.set(r.value.role, list);
  }
  const roles = [...byRole.entries()].map(([role, holders]) => ({ role: roleName(role as RoleId), holders }));
  return { durations, phases, roles };
}
