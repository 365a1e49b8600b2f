// The plan dialog's text, pure (tested with fixtures): the target, what will be called (mutating
// calls marked), the blast radius, the warnings up front, the guardrail, the params hash the
// confirmation is bound to, the dry run, and — for a past action — how it went.

import type { Guardrail } from '../store/action-runner.js';
import type { ActionStatus } from '../store/action-selectors.js';
import type { ActionState } from '../store/state.js';
import { statusLabel } from './action-rows.js';
import { hms, safe, wrapLines } from './format.js';

export type Tone = 'danger' | 'warn' | 'ok' | 'muted' | 'bold';
export interface PlanLine {
  text: string;
  tone?: Tone;
}

export interface PlanFacts {
  action: ActionState;
  title: string;
  destructive: boolean;
  reversible: boolean;
  status: ActionStatus;
  guard: Guardrail;
  override?: string;
}

export function planLines(f: PlanFacts): PlanLine[] {
  const a = f.action;
  const p = a.planned;
  const out: PlanLine[] = [];
  const add = (text: string, tone?: Tone) => out.push(tone ? { text, tone } : { text });
  add(
    `target  ${safe(p.target.kind)} ${safe(p.target.id)}${p.target.scope ? ` (${safe(p.target.scope)})` : ''}`,
    'bold',
  );
  add(
    `status  ${statusLabel(f.status)} · params sha256 ${p.paramsHash.slice(0, 12)} · ${f.destructive ? 'DESTRUCTIVE' : 'non-destructive'}${f.reversible ? ', reversible' : ''}${p.undoOf ? ` · undoes ${p.undoOf}` : ''}`,
  );
  // Half applied: what is in place and the way on come first, above the plan (at 80x24 the
  // dialog shows its top; the calls and read-back follow below).
  if (f.status === 'partial') {
    add(
      a.completedBy.length || a.undoneBy.length
        ? `PARTIAL — ${a.completedBy.length ? `completed by ${a.completedBy.join(', ')}` : `undone by ${a.undoneBy.join(', ')}`}`
        : 'PARTIAL: some parts are in place — C completes (only the missing calls), u undoes what was applied',
      'danger',
    );
    for (const part of a.verified.at(-1)?.parts ?? [])
      add(`  ${part.inPlace ? '✓ in place    ' : '✗ NOT in place'} ${safe(part.what)}`, part.inPlace ? 'ok' : 'danger');
  }
  for (const w of p.warnings) add(`⚠ ${safe(w)}`, 'danger');
  if (!f.guard.ok && f.status === 'planned') {
    if (f.override) add(`guardrail overridden by the incident commander: ${safe(f.override)}`, 'warn');
    else {
      add(`✗ ${safe(f.guard.reason)}`, 'danger');
      for (const c of f.guard.captureWith) add(`  ${c.key}  plan "${c.title}" first`, 'warn');
      add(
        f.guard.commanderMayOverride
          ? '  o  the incident commander overrides, with a reason (journaled)'
          : '  no incident commander assigned: nobody can override (r assigns one)',
        'warn',
      );
    }
  }
  if (a.confirmed?.override)
    add(
      `guardrail overridden (${a.confirmed.override.basis}${a.confirmed.override.commander ? `, ${safe(a.confirmed.override.commander)}` : ''}): ${safe(a.confirmed.override.reason)}`,
      'warn',
    );
  add('calls:', 'bold');
  for (const c of p.calls)
    add(
      `  ${c.mutating ? 'MUTATING' : 'read    '} ${safe(c.service)} ${safe(c.op)} — ${safe(c.summary)}`,
      c.mutating ? 'warn' : undefined,
    );
  add('blast radius:', 'bold');
  if (p.blastRadius.length === 0) add('  (nothing else stated)', 'muted');
  for (const b of p.blastRadius) add(`  • ${safe(b)}`);
  if (p.guidance?.length) {
    add('guidance:', 'bold');
    for (const g of p.guidance) add(`  • ${safe(g)}`);
  }
  const dry = a.dryRuns.at(-1);
  if (dry)
    add(
      `dry run (${dry.kind}) at ${hms(Date.parse(dry.ts))}: ${dry.ok ? 'ok' : 'REFUSED'} — ${safe(dry.message)}`,
      dry.ok ? 'ok' : 'danger',
    );
  else if (f.status === 'planned') add('dry run: not yet (d)', 'muted');
  if (a.started) add(`started ${hms(Date.parse(a.started.ts))} (idempotency token ${a.started.idempotencyToken})`);
  if (a.succeeded)
    add(
      `succeeded: ${safe(a.succeeded.message)}${a.succeeded.requestIds.length ? ` (request ${a.succeeded.requestIds.join(', ')})` : ''}`,
      'ok',
    );
  if (a.failed)
    add(
      `FAILED (${a.failed.stage}${a.failed.code ? `, ${safe(a.failed.code)}` : ''}): ${safe(a.failed.message)}${a.failed.hint ? ` — ${safe(a.failed.hint)}` : ''}`,
      'danger',
    );
  if (a.calls.length) {
    add('calls made:', 'bold');
    for (const c of a.calls)
      add(
        `  ${c.ok ? 'ok    ' : 'FAILED'} ${safe(c.service)} ${safe(c.op)}${c.status ? ` HTTP ${c.status}` : ''}${c.code ? ` ${safe(c.code)}` : ''}${c.requestId ? ` (request ${safe(c.requestId)})` : ''}`,
        c.ok ? undefined : 'danger',
      );
  }
  for (const v of a.verified) {
    const how = v.afterDoubt ? 're-verified after doubt' : v.afterFailure ? 'read back after the error' : 'verified';
    // After an error, ok:false is a finding (partial, not in place), not a failed verification.
    const verdict = v.ok
      ? 'ok'
      : v.unreadable
        ? 'COULD NOT READ'
        : v.parts?.some((x) => x.inPlace)
          ? 'PARTIAL'
          : v.afterFailure
            ? 'not in place'
            : 'FAILED';
    add(`${how} ${hms(Date.parse(v.ts))}: ${verdict} — ${safe(v.detail)}`, v.ok ? 'ok' : 'danger');
    for (const p of v.parts ?? [])
      add(`  ${p.inPlace ? '✓ in place    ' : '✗ NOT in place'} ${safe(p.what)}`, p.inPlace ? 'ok' : 'danger');
  }
  if (f.status === 'in-doubt')
    add(
      'IN DOUBT: started before the cockpit closed, outcome never recorded — v reads it back (never re-run)',
      'danger',
    );
  return out;
}

/** Hard-wraps every line to the dialog's width, keeping each line's tone. */
export function wrapPlan(lines: PlanLine[], width: number): PlanLine[] {
  return lines.flatMap((l) => wrapLines([l.text], width).map((text) => (l.tone ? { text, tone: l.tone } : { text })));
}
