// The merge order of several writers' verified chains, and the conflicts in it. Records are
// ordered by time, but never against their own writer's chain order: a k-way merge that always
// takes the earliest of the writers' next records (a writer's clock that steps back cannot reorder
// its own chain). Ties go to the writer id, then seq, so every cockpit merges the same bytes into
// the same order.
//
// A conflict is two writers setting the same incident-wide field (severity, phase) to different
// values within CONFLICT_WINDOW_MS of each other: neither saw the other's change, so the merged
// view shows both and names them instead of letting whichever came last win in silence.

import { parseIsoTime } from '../../domain/iso-time.js';
import type { SharedRecord, VerifiedWriter } from './verify.js';

export const CONFLICT_WINDOW_MS = 5 * 60_000;

export function mergeOrder(writers: readonly VerifiedWriter[]): SharedRecord[] {
  const queues = writers.map((w) => ({ w, i: 0, times: w.records.map((r) => parseIsoTime(r.record.ts)) }));
  const total = writers.reduce((n, w) => n + w.records.length, 0);
  const out: SharedRecord[] = [];
  while (out.length < total) {
    let best: (typeof queues)[number] | undefined;
    for (const q of queues) {
      if (q.i >= q.w.records.length) continue;
      if (!best) {
        best = q;
        continue;
      }
      const a = q.times[q.i]!;
      const b = best.times[best.i]!;
      if (a < b || (a === b && q.w.writerId < best.w.writerId)) best = q;
    }
    out.push(best!.w.records[best!.i++]!);
  }
  return out;
}

export type ConflictField = 'severity' | 'phase';

export interface Conflict {
  field: ConflictField;
  /** The differing settings, oldest first: who, when, what. */
  sides: { writerId: string; actor: string; ts: string; value: string; key: string; seq: number }[];
  /** No later setting of the field has settled it: the merged value is in dispute now. */
  open: boolean;
}

function fieldOf(r: SharedRecord): { field: ConflictField; value: string } | undefined {
  const rec = r.record;
  if (rec.type === 'severity.set') return { field: 'severity', value: `Sev${rec.data.level}` };
  if (rec.type === 'phase.set') return { field: 'phase', value: rec.data.phase };
  return undefined;
}

/** The conflicts in a merged order (mergeOrder's output). */
export function findConflicts(merged: readonly SharedRecord[], windowMs = CONFLICT_WINDOW_MS): Conflict[] {
  const out: Conflict[] = [];
  const byField = new Map<ConflictField, { r: SharedRecord; value: string; t: number }[]>();
  for (const r of merged) {
    const f = fieldOf(r);
    if (!f) continue;
    const list = byField.get(f.field) ?? [];
    list.push({ r, value: f.value, t: parseIsoTime(r.record.ts) });
    byField.set(f.field, list);
  }
  for (const [field, list] of byField) {
    for (let j = 0; j < list.length; j++) {
      const b = list[j]!;
      // What each other writer had last set before b: a different value within the window means
      // b was set without seeing it (a writer's own earlier settings it replaced do not count).
      const latest = new Map<string, (typeof list)[number]>();
      for (let i = 0; i < j; i++) latest.set(list[i]!.r.writerId, list[i]!);
      const rivals = [...latest.values()].filter(
        (a) => a.r.writerId !== b.r.writerId && b.t - a.t <= windowMs && a.value !== b.value,
      );
      if (!rivals.length) continue;
      const sides = [...rivals, b].map((x) => ({
        writerId: x.r.writerId,
        actor: x.r.record.actor,
        ts: x.r.record.ts,
        value: x.value,
        key: x.r.key,
        seq: x.r.record.seq,
      }));
      // Settled: a later setting, outside the window, that every cockpit could have seen.
      const settled = list.some((x, k) => k > j && x.t - b.t > windowMs);
      out.push({ field, sides, open: !settled });
    }
  }
  return out;
}
