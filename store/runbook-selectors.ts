// Runbook progress as of a seq: the latest status of each step from runbook.step records, and
// which runbook the incident follows (the responder's choice, else the one steps were recorded
// in, else the one most detections point to).

import { suggestRunbook, type Runbook, type StepStatus } from '../src/domain/runbooks.js';
import { countAsOf } from './selectors.js';
import type { Change, IncidentState } from './state.js';
import type { RecordData } from '../src/journal/records.js';

export type StepChange = Change<RecordData<'runbook.step'>>;

/** step id → its latest record, for one runbook. */
export function stepsAsOf(s: IncidentState, runbook: string, asOf = s.seq): Map<string, StepChange> {
  const out = new Map<string, StepChange>();
  for (const c of s.runbookSteps) if (c.seq <= asOf && c.value.runbook === runbook) out.set(c.value.step, c);
  return out;
}

export function stepStatus(steps: Map<string, StepChange>, stepId: string): StepStatus {
  return steps.get(stepId)?.value.status ?? 'open';
}

/** "7/14 done, 2 skipped". */
export function progressOf(
  rb: Runbook,
  steps: Map<string, StepChange>,
): { done: number; skipped: number; total: number } {
  let done = 0;
  let skipped = 0;
  for (const st of rb.steps) {
    const v = stepStatus(steps, st.id);
    if (v === 'done') done++;
    else if (v === 'skipped') skipped++;
  }
  return { done, skipped, total: rb.steps.length };
}

/** The runbook fields of the detections raised by `asOf`. */
export function detectionRunbooksAsOf(s: IncidentState, asOf = s.seq): string[] {
  const out: string[] = [];
  const n = countAsOf(s.detections, asOf);
  for (let i = 0; i < n; i++) {
    const rb = s.detections.at(i)!.runbook;
    if (rb) out.push(rb);
  }
  return out;
}

export function activeRunbook(
  s: IncidentState,
  runbooks: readonly Runbook[],
  chosen?: string,
  asOf = s.seq,
): { runbook: Runbook; why: string } | undefined {
  const byId = (id: string | undefined) => runbooks.find((r) => r.id === id);
  const picked = byId(chosen);
  if (picked) return { runbook: picked, why: 'chosen' };
  for (let i = s.runbookSteps.length - 1; i >= 0; i--) {
    const c = s.runbookSteps[i]!;
    const rb = c.seq <= asOf ? byId(c.value.runbook) : undefined;
    if (rb) return { runbook: rb, why: 'in progress' };
  }
  const suggested = suggestRunbook(detectionRunbooksAsOf(s, asOf), runbooks);
  return suggested ? { runbook: suggested, why: 'suggested by the detections' } : undefined;
}
