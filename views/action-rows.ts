// The actions pane's rows, shared by the pane and the key handlers (so the row under the cursor is
// the row on screen): the actions offered for the selected event's targets, evidence first, each
// with the reason it cannot run; then what the incident has done so far, in-doubt ones first.

import { targetsOf } from '../src/actions/catalog.js';
import type { ActionDef, Target } from '../src/actions/types.js';
import { actionStatus, actionsAsOf, type ActionStatus } from '../store/action-selectors.js';
import type { ActionState, IncidentState } from '../store/state.js';
import { offeredFor, whyNot, type ActionSession } from '../store/action-session.js';
import { eventsView, selectedIndex } from './list-views.js';
import type { UiState } from './ui-state.js';

export type ActionRow =
  | { kind: 'offered'; def: ActionDef; target: Target; why?: string; guard?: string }
  | { kind: 'done'; action: ActionState; status: ActionStatus; title: string };

export interface ActionRowsInput {
  session: ActionSession | undefined;
  readOnly: boolean;
  state: IncidentState;
  ui: Pick<UiState, 'filters' | 'asOf' | 'cursors'>;
  /** StoreMeta.loadedSeq: what was started before the journal was opened and never finished is in doubt. */
  loadedSeq: number;
}

export interface ActionRows {
  targets: Target[];
  /** Offered rows first, then done rows. */
  rows: ActionRow[];
  offered: number;
  inDoubt: number;
}

const STATUS_LABELS: Record<ActionStatus, string> = {
  planned: 'planned',
  confirmed: 'confirmed',
  running: 'running',
  'in-doubt': 'IN DOUBT',
  failed: 'FAILED',
  partial: 'PARTIAL',
  succeeded: 'succeeded',
  verified: 'verified',
  'verify-failed': 'verify FAILED',
  'not-applied': 'not applied',
};

export function statusLabel(s: ActionStatus): string {
  return STATUS_LABELS[s];
}

/** Statuses a responder must look at (drawn in the danger colour). */
export function alarming(s: ActionStatus): boolean {
  return s === 'in-doubt' || s === 'failed' || s === 'partial' || s === 'verify-failed' || s === 'not-applied';
}

/** An action's title from its definition; a journal from another build may name unknown ones. */
export function actionTitle(session: ActionSession | undefined, id: string): string {
  if (!session) return id;
  try {
    return session.runner.def(id).title;
  } catch {
    return id;
  }
}

export function actionRows(i: ActionRowsInput): ActionRows {
  const { session, state } = i;
  const asOf = i.ui.asOf ?? state.seq;
  const v = eventsView(state, i.ui);
  const sel = selectedIndex(i.ui.cursors.events, v.count);
  const ev = sel >= 0 ? v.at(sel) : undefined;
  const targets = ev ? targetsOf(ev) : [];
  const rows: ActionRow[] = [];
  if (session) {
    for (const target of targets) {
      for (const def of offeredFor(session, target.kind, i.readOnly)) {
        const why = whyNot(session, def, target);
        const g = why ? undefined : session.runner.guardrail(def, target);
        rows.push({
          kind: 'offered',
          def,
          target,
          ...(why ? { why } : {}),
          ...(g && !g.ok ? { guard: g.reason } : {}),
        });
      }
    }
  }
  const offered = rows.length;
  // In review the cursor is the "open" point: anything started and unfinished there is in doubt.
  const loaded = i.ui.asOf ?? i.loadedSeq;
  const done = actionsAsOf(state, asOf).map((a) => ({
    kind: 'done' as const,
    action: a,
    status: actionStatus(a, loaded),
    title: actionTitle(session, a.planned.action),
  }));
  const doubt = done.filter((d) => d.status === 'in-doubt');
  rows.push(...doubt, ...done.filter((d) => d.status !== 'in-doubt').reverse());
  return { targets, rows, offered, inDoubt: doubt.length };
}

/** The selected row (the cursor clamped to the rows there are). */
export function selectedActionRow(r: ActionRows, sel: number): { row: ActionRow | undefined; index: number } {
  if (r.rows.length === 0) return { row: undefined, index: -1 };
  const index = Math.max(0, Math.min(r.rows.length - 1, sel));
  return { row: r.rows[index], index };
}
