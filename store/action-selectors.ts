// Actions and evidence as of a seq: an action's status is derived from which lifecycle records
// exist, never stored, so live, review and a reopened journal all agree on it.

import type { ActionStatus } from '../src/actions/types.js';
import type { ActionState, EvidenceRow, IncidentState } from './state.js';

export type { ActionStatus };

/** The action as it stood at `asOf` (undefined if not yet planned then). */
export function actionAsOf(a: ActionState, asOf: number): ActionState | undefined {
  if (a.planned.seq > asOf) return undefined;
  const at = <T extends { seq: number }>(x: T | undefined) => (x && x.seq <= asOf ? x : undefined);
  return {
    ...a,
    dryRuns: a.dryRuns.filter((d) => d.seq <= asOf),
    confirmed: at(a.confirmed),
    started: at(a.started),
    captured: at(a.captured),
    calls: a.calls.filter((c) => c.seq <= asOf),
    succeeded: at(a.succeeded),
    failed: at(a.failed),
    verified: a.verified.filter((v) => v.seq <= asOf),
  };
}

/**
 * `loadedSeq`: the last seq folded when the journal was opened (StoreMeta). In review, pass the
 * review cursor: anything started and unfinished at the end of the file is in doubt there too.
 */
export function actionStatus(a: ActionState, loadedSeq: number): ActionStatus {
  const lastVerify = a.verified.at(-1);
  if (a.failed) {
    // A failed execute is settled by the read-back that follows it (action-runner.ts): in place
    // despite the error, some parts in place, or nothing changed.
    if (lastVerify?.ok) return 'verified';
    // The read-back could not read either: after a call that landed or may have landed, what is
    // in place is unknown — in doubt until `v` reads it back, never a guessed "failed".
    if (lastVerify?.unreadable && (a.failed.unanswered || a.calls.some((c) => c.ok))) return 'in-doubt';
    const someInPlace = lastVerify?.parts ? lastVerify.parts.some((p) => p.inPlace) : a.calls.some((c) => c.ok);
    if (someInPlace) return 'partial';
    return a.verified.some((v) => v.ok) ? 'verify-failed' : 'failed';
  }
  if (a.succeeded) return lastVerify ? (lastVerify.ok ? 'verified' : 'verify-failed') : 'succeeded';
  if (a.started) {
    const doubt = a.verified.findLast((v) => v.afterDoubt);
    // A half-applied change is partial, not "not applied": the read-back names the parts.
    if (doubt) return doubt.ok ? 'verified' : doubt.parts?.some((p) => p.inPlace) ? 'partial' : 'not-applied';
    return a.started.seq <= loadedSeq ? 'in-doubt' : 'running';
  }
  return a.confirmed ? 'confirmed' : 'planned';
}

/** Has the change this action makes been applied (so it can be undone, and counts as done)? */
export function isApplied(status: ActionStatus): boolean {
  return status === 'succeeded' || status === 'verified' || status === 'verify-failed';
}

export function actionsAsOf(s: IncidentState, asOf = s.seq): ActionState[] {
  const out: ActionState[] = [];
  for (const id of s.actionOrder) {
    const a = actionAsOf(s.actions.get(id)!, asOf);
    if (a) out.push(a);
  }
  return out;
}

export function evidenceAsOf(s: IncidentState, asOf = s.seq): EvidenceRow[] {
  return s.evidence.filter((e) => e.seq <= asOf);
}

/** Actions a crash left in doubt (shown on start, must be re-verified). */
export function inDoubt(s: IncidentState, loadedSeq: number): ActionState[] {
  return actionsAsOf(s).filter((a) => actionStatus(a, loadedSeq) === 'in-doubt');
}
