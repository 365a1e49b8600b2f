// Runbook progress as of a seq: each step's status from runbook.step records or, where none was
// recorded, from the journal itself (the step's action succeeded, or the state it asks for was
// reached: severity set, commander assigned, personal data decided), and which runbook the
// incident follows (the responder's choice, else the one steps were recorded in, else the one
// most detections point to).

import { suggestRunbook, type Runbook, type RunbookStep, type StepStatus } from '../src/domain/runbooks.js';
import { actionsAsOf, actionStatus } from './action-selectors.js';
import { countAsOf, latest, rolesAsOf, severityAsOf } from './selectors.js';
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

/** A step's status and who got it there: a runbook.step record, an action, or a state reached. */
export interface StepView {
  status: StepStatus;
  by?: string;
  at?: string;
  /** What in the journal did it, when the responder did not tick it by hand. */
  via?: string;
}

interface Reached {
  by: string;
  at: string;
  via: string;
}

const reached = (c: Change<unknown> | undefined, via: string): Reached | undefined =>
  c && { by: c.actor, at: c.ts, via };

/** Steps whose state the journal holds, by the step ids the bundled runbooks use. */
const STATE_STEPS: Record<string, (s: IncidentState, asOf: number) => Reached | undefined> = {
  classify: (s, asOf) => reached(severityAsOf(s, asOf), 'severity set'),
  command: (s, asOf) => reached(rolesAsOf(s, asOf).get('ic'), 'incident commander assigned'),
  'personal-data': (s, asOf) =>
    reached(latest(s.personalData, asOf), 'personal data flagged') ??
    reached(latest(s.notifications, asOf), 'notification decided'),
};

/** The first success of the step's action, undone or not: the step was carried out. */
function actionReached(s: IncidentState, step: RunbookStep, asOf: number): Reached | undefined {
  if (!step.action) return undefined;
  for (const a of actionsAsOf(s, asOf)) {
    if (a.planned.action !== step.action || a.planned.undoOf) continue;
    const st = actionStatus(a, asOf);
    if ((st === 'succeeded' || st === 'verified') && a.succeeded)
      return { by: a.planned.actor, at: a.succeeded.ts, via: `${step.action} ${st} on ${a.planned.target.label}` };
  }
  return undefined;
}

export function stepView(s: IncidentState, step: RunbookStep, steps: Map<string, StepChange>, asOf = s.seq): StepView {
  const rec = steps.get(step.id);
  // A tick, skip or reopen by hand is the responder's word, and outranks what the journal implies.
  if (rec) return { status: rec.value.status, by: rec.actor, at: rec.ts };
  const r = actionReached(s, step, asOf) ?? STATE_STEPS[step.id]?.(s, asOf);
  return r ? { status: 'done', ...r } : { status: 'open' };
}

/** Every step's view, in the runbook's order. */
export function stepViews(s: IncidentState, rb: Runbook, asOf = s.seq): StepView[] {
  const steps = stepsAsOf(s, rb.id, asOf);
  return rb.steps.map((st) => stepView(s, st, steps, asOf));
}

/** "7/14 done, 2 skipped". */
export function progressOf(views: readonly StepView[]): { done: number; skipped: number; total: number } {
  let done = 0;
  let skipped = 0;
  for (const v of views) {
    if (v.status === 'done') done++;
    else if (v.status === 'skipped') skipped++;
  }
  return { done, skipped, total: views.length };
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
