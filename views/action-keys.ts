// What the keys do to actions: plan one (from the pane, its own key, the palette or an undo),
// walk its plan dialog (dry run → confirm, typed for destructive ones → execute once in the
// background → verify), re-verify a past one. The runner (store/action-runner.ts) journals every
// step and refuses what must not happen (a second execute, a changed plan); the views only ask.

import { meantSuffix } from '../src/domain/suggest.js';
import type { Target } from '../src/actions/types.js';
import type { ActionProgress } from '../src/actions/call-context.js';
import type { Guardrail } from '../store/action-runner.js';
import { actionRows, actionTitle, selectedActionRow, statusLabel, type ActionRows } from './action-rows.js';
import { confirmsTarget, sessionDef, type ActionSession } from '../store/action-session.js';
import { isKey } from './keymap.js';
import { editText, footerProgress, say, setUi, type KeyContext } from './key-effects.js';
import type { PlanDialog } from './ui-state.js';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function session(ctx: KeyContext): ActionSession | undefined {
  return ctx.deps.actions;
}

export function currentActionRows(ctx: KeyContext): ActionRows {
  const { deps } = ctx;
  const s = deps.store.getState();
  return actionRows({
    session: deps.actions,
    readOnly: !!deps.readOnly,
    state: s.state,
    ui: deps.ui.getState(),
    loadedSeq: s.meta.loadedSeq,
  });
}

/**
 * A runbook step's action for the selected event's target of the right kind (the step says which
 * action; the events pane says on what). Without such a target it says what to select.
 */
export function openActionForSelection(ctx: KeyContext, defId: string, need: string): void {
  const rows = currentActionRows(ctx);
  const row = rows.rows.find((r) => r.kind === 'offered' && r.def.id === defId);
  if (row && row.kind === 'offered') return planAction(ctx, defId, row.target);
  say(
    ctx,
    `${defId} needs ${need}: select an event naming one in the live events pane (3), then press Enter on the step again`,
    'error',
  );
}

/**
 * Cockpits with a plan being made, and how to cancel it (Esc): a second press of the same key
 * while planning does nothing.
 */
const planning = new WeakMap<object, AbortController>();

/** Esc while a plan is being made: cancels it (nothing is recorded). False when none is. */
export function cancelPlanning(ctx: KeyContext): boolean {
  const c = planning.get(ctx.deps);
  if (!c) return false;
  c.abort();
  planning.delete(ctx.deps);
  say(ctx, 'plan cancelled (Esc): nothing was recorded');
  return true;
}

/** Cockpits with a dry run in flight, and how to cancel it (Esc in the plan dialog). */
const dryRunning = new WeakMap<object, AbortController>();

/**
 * Esc in the plan dialog while its dry run runs: cancels the dry run (nothing is recorded) and
 * leaves the plan open to confirm or dry-run again. False when none is running.
 */
export function cancelDryRun(ctx: KeyContext, d: PlanDialog): boolean {
  const c = dryRunning.get(ctx.deps);
  if (!c) return false;
  c.abort();
  dryRunning.delete(ctx.deps);
  patch(ctx, d, { busy: undefined });
  say(ctx, 'dry run cancelled (Esc): nothing was recorded');
  return true;
}

/** Plans an action (or the undo of `undoOf`) and opens its plan dialog. Nothing runs yet. */
export function planAction(ctx: KeyContext, defId: string, target: Target, undoOf?: string): void {
  const { deps } = ctx;
  const s = session(ctx);
  if (!s) return say(ctx, 'no actions in this session (review is read-only)', 'error');
  if (s.blocked) return say(ctx, s.blocked, 'error');
  const d = sessionDef(s, defId, !!deps.readOnly);
  if (!d)
    return say(
      ctx,
      deps.readOnly
        ? `no action ${defId} in this session (destructive actions are absent in --read-only)`
        : `unknown action ${defId}${meantSuffix(defId, s.runner.ids())}`,
      'error',
    );
  if (d.kind !== target.kind) return say(ctx, `${d.id} acts on a ${d.kind}, not a ${target.kind}`, 'error');
  if (planning.has(deps)) return;
  const abort = new AbortController();
  planning.set(deps, abort);
  say(ctx, `planning ${undoOf ? 'the undo of ' : ''}${d.title} for ${target.label} … (Esc cancels)`);
  (undoOf ? s.runner.planUndo(undoOf, abort.signal) : s.runner.plan(defId, target, undefined, abort.signal))
    .then(
      (actionId) =>
        setUi(ctx, { message: undefined, dialog: { kind: 'plan', actionId, stage: 'review', text: '', top: 0 } }),
      // A cancelled plan already said so; its rejection is not news.
      (e: unknown) => {
        if (!abort.signal.aborted) say(ctx, errorText(e), 'error');
      },
    )
    .finally(() => {
      if (planning.get(deps) === abort) planning.delete(deps);
    });
}

/** One key on the focused actions pane (the registry's actions.* ids). */
export function actionsCommand(id: string, ctx: KeyContext): void {
  const { deps } = ctx;
  const r = currentActionRows(ctx);
  const cur = selectedActionRow(r, deps.ui.getState().actionSel);
  switch (id) {
    case 'actions.down':
    case 'actions.up': {
      const n = r.rows.length;
      if (n === 0) return;
      return setUi(ctx, { actionSel: Math.max(0, Math.min(n - 1, cur.index + (id === 'actions.down' ? 1 : -1))) });
    }
    case 'actions.open': {
      const row = cur.row;
      if (!row)
        return say(
          ctx,
          r.targets.length ? 'no action to plan' : 'select an event whose target an action applies to (3)',
          'error',
        );
      if (row.kind === 'done')
        return setUi(ctx, {
          dialog: { kind: 'plan', actionId: row.action.actionId, stage: 'review', text: '', top: 0 },
        });
      if (row.why) return say(ctx, `${row.why} — ${row.def.title}`, 'error');
      return planAction(ctx, row.def.id, row.target);
    }
    case 'actions.reverify': {
      const row = cur.row;
      if (row?.kind !== 'done')
        return say(ctx, 'select a past action (below the offered ones) to re-verify it', 'error');
      return reverify(ctx, row.action.actionId);
    }
    case 'actions.complete': {
      const row = cur.row;
      if (row?.kind !== 'done') return say(ctx, 'select a PARTIAL past action to complete it', 'error');
      return completeAction(ctx, row.action.actionId);
    }
    case 'actions.undo': {
      const row = cur.row;
      if (row?.kind !== 'done') return say(ctx, 'select a past action (below the offered ones) to undo it', 'error');
      return planAction(ctx, row.action.planned.action, row.action.planned.target, row.action.actionId);
    }
  }
}

/** An offered action's own key on the focused actions pane; false when no offered action has it. */
export function planByKey(name: string, ctx: KeyContext): boolean {
  const r = currentActionRows(ctx);
  // Two targets of one kind (the key a call names and the key that signed it) offer the same
  // keys: the highlighted row's target wins, else the first target offering it.
  const cur = selectedActionRow(r, ctx.deps.ui.getState().actionSel).row;
  const on = cur?.kind === 'offered' ? cur.target : undefined;
  const has = (x: ActionRows['rows'][number]) => x.kind === 'offered' && x.def.key === name;
  const mine = on
    ? r.rows.findIndex((x) => has(x) && x.kind === 'offered' && x.target.kind === on.kind && x.target.id === on.id)
    : -1;
  const i = mine >= 0 ? mine : r.rows.findIndex(has);
  const row = r.rows[i];
  if (!row || row.kind !== 'offered') return false;
  setUi(ctx, { actionSel: i });
  if (row.why) say(ctx, `${row.why} — ${row.def.title}`, 'error');
  else planAction(ctx, row.def.id, row.target);
  return true;
}

/** Plans the completion of a partial action and opens its plan dialog (confirmed like any other). */
function completeAction(ctx: KeyContext, actionId: string): void {
  const s = session(ctx);
  if (!s) return say(ctx, 'no actions in this session (review is read-only)', 'error');
  say(ctx, 'planning the completion (only the missing calls) …');
  s.runner.planComplete(actionId).then(
    (id) =>
      setUi(ctx, { message: undefined, dialog: { kind: 'plan', actionId: id, stage: 'review', text: '', top: 0 } }),
    (e: unknown) => say(ctx, errorText(e), 'error'),
  );
}

function reverify(ctx: KeyContext, actionId: string): void {
  const s = session(ctx)!;
  const a = ctx.deps.store.getState().state.actions.get(actionId)!;
  // "for", as the planning message says: a title such as "Deny-all policy on the role" already says "on".
  const what = `${actionTitle(s, a.planned.action)} for ${a.planned.target.label}`;
  say(ctx, `reading back ${what} …`);
  s.runner.reverify(actionId).then(
    () => outcome(ctx, actionId),
    (e: unknown) => say(ctx, errorText(e), 'error'),
  );
}

/** The footer line for how an action ended: succeeded + verified, failed (message and hint), verify failed. */
export function outcome(ctx: KeyContext, actionId: string): void {
  const s = session(ctx)!;
  const a = ctx.deps.store.getState().state.actions.get(actionId);
  if (!a) return;
  const st = s.runner.status(actionId);
  // "for", as the planning message says: a title such as "Deny-all policy on the role" already says "on".
  const what = `${actionTitle(s, a.planned.action)} for ${a.planned.target.label}`;
  const v = a.verified.at(-1);
  // The outcome first: a narrow footer cuts the end.
  switch (st) {
    case 'verified':
      return say(
        ctx,
        `${a.succeeded ? 'succeeded and verified' : a.failed ? 'in place despite the error (read back)' : 'verified after doubt'}: ${what} — ${v?.detail ?? ''}`,
      );
    case 'verify-failed':
      return say(ctx, `VERIFY FAILED (the call succeeded): ${what} — ${v?.detail ?? ''}`, 'error');
    case 'partial':
      return say(
        ctx,
        // The way on before the details: at 80 columns the end of the line is cut.
        `PARTIAL (C completes, u undoes what was applied): ${what} — ${partsText(v?.parts) || (a.failed?.message ?? '')}`,
        'error',
      );
    case 'not-applied':
      return say(ctx, `NOT APPLIED (the read-back after the crash disagrees): ${what} — ${v?.detail ?? ''}`, 'error');
    case 'failed':
      return say(
        ctx,
        `FAILED: ${what}: ${a.failed?.message ?? ''}${a.failed?.hint ? ` — ${a.failed.hint}` : ''}`,
        'error',
      );
    default:
      return say(ctx, `${statusLabel(st)}: ${what}`);
  }
}

/** "in place: A; NOT in place: B" from a read-back's parts. */
export function partsText(parts: readonly { what: string; inPlace: boolean }[] | undefined): string {
  if (!parts?.length) return '';
  const yes = parts.filter((p) => p.inPlace).map((p) => p.what);
  const no = parts.filter((p) => !p.inPlace).map((p) => p.what);
  return [yes.length ? `in place: ${yes.join(', ')}` : '', no.length ? `NOT in place: ${no.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}

/**
 * Cockpits with an evidence action running, and how to stop it (Esc or `:cancel`): one stoppable
 * at a time per cockpit, the latest started. Changes to the cloud are never stopped halfway.
 */
const stoppable = new WeakMap<object, { abort: AbortController; what: string }>();

/** Esc or `:cancel` while an evidence action runs: it stops at its next page or file. False when none runs. */
export function stopEvidence(ctx: KeyContext): boolean {
  const r = stoppable.get(ctx.deps);
  if (!r || r.abort.signal.aborted) return false;
  r.abort.abort();
  say(ctx, `stopping ${r.what} after the current page or file: what it has is kept, marked incomplete …`);
  return true;
}

/** Runs a confirmed action in the background; the cockpit keeps drawing and the footer tells the outcome. */
function execute(ctx: KeyContext, actionId: string): void {
  const s = session(ctx)!;
  const a = ctx.deps.store.getState().state.actions.get(actionId)!;
  const title = actionTitle(s, a.planned.action);
  const what = `${title} for ${a.planned.target.label}`;
  say(ctx, `executing ${what} … (journaled as started before the first call)`);
  // Evidence work (paging CloudTrail at 2 requests/s, a pod's logs) can take minutes: it shows
  // count, rate and how to stop it, and a stop keeps what was fetched.
  const evidence = !sessionDef(s, a.planned.action, false)?.destructive;
  const abort = new AbortController();
  const mine = { abort, what };
  if (evidence) stoppable.set(ctx.deps, mine);
  const started = Date.now();
  const footer = footerProgress(ctx, () => !abort.signal.aborted && stoppable.get(ctx.deps) === mine);
  const progress = (p: ActionProgress) => {
    const rate = p.done / Math.max(1, (Date.now() - started) / 1000);
    footer.report(
      `${title}: ${p.done.toLocaleString('en-US')} ${p.unit}${p.detail ? ` · ${p.detail}` : ''} · ${rate.toFixed(rate < 10 ? 1 : 0)} ${p.unit}/s (Esc or :cancel stops it, keeping what it has)`,
    );
  };
  s.runner
    .execute(actionId, evidence ? { progress, signal: abort.signal } : {})
    .then(
      () => outcome(ctx, actionId),
      (e: unknown) => say(ctx, errorText(e), 'error'),
    )
    .finally(() => {
      footer.done();
      if (stoppable.get(ctx.deps) === mine) stoppable.delete(ctx.deps);
    });
}

function patch(ctx: KeyContext, d: PlanDialog, p: Partial<PlanDialog>): void {
  // Only while the same plan is still open (the responder may have closed it meanwhile).
  const cur = ctx.deps.ui.getState().dialog;
  if (cur?.kind === 'plan' && cur.actionId === d.actionId) setUi(ctx, { dialog: { ...cur, ...p } });
}

function confirmAndRun(ctx: KeyContext, d: PlanDialog, hash: string): void {
  const s = session(ctx)!;
  patch(ctx, d, { busy: 'confirming …' });
  s.runner.confirm(d.actionId, hash, d.override).then(
    () => {
      setUi(ctx, { dialog: undefined });
      execute(ctx, d.actionId);
    },
    (e: unknown) => {
      patch(ctx, d, { busy: undefined, stage: 'review', text: '' });
      say(ctx, errorText(e), 'error');
    },
  );
}

/** The guardrail as it applies to this planned action (undo actions restore, they are not held back). */
export function planGuardrail(
  s: ActionSession,
  actionId: string,
  state: ReturnType<KeyContext['deps']['store']['getState']>['state'],
): Guardrail {
  const a = state.actions.get(actionId)!;
  if (a.planned.undoOf) return { ok: true };
  try {
    return s.runner.guardrail(s.runner.def(a.planned.action), a.planned.target);
  } catch {
    return { ok: true };
  }
}

/** Keys inside the plan dialog. Esc (handled by the caller) closes it before execute. */
export function planDialogKey(name: string, input: string, d: PlanDialog, ctx: KeyContext): void {
  const s = session(ctx);
  const { deps } = ctx;
  const state = deps.store.getState().state;
  const a = state.actions.get(d.actionId);
  if (!s || !a || d.busy) return;
  const target = a.planned.target;
  if (d.stage === 'override' || d.stage === 'typing') {
    if (name === 'enter') {
      if (d.stage === 'override') {
        if (!d.text.trim())
          return say(ctx, 'the override needs a reason (it is journaled with the commander’s name)', 'error');
        say(ctx, 'override reason noted: confirm the plan (y)');
        return patch(ctx, d, { stage: 'review', override: d.text.trim(), text: '' });
      }
      if (!confirmsTarget(d.text, target))
        return say(ctx, `"${d.text.trim()}" does not match: type ${target.id} exactly to confirm`, 'error');
      return confirmAndRun(ctx, d, a.planned.paramsHash);
    }
    const t = editText(d.text, name, input);
    if (t !== undefined) patch(ctx, d, { text: t });
    return;
  }
  // Arrows only: letters are confirmation, dry run and capture keys here.
  if (name === 'down' || name === 'up') return patch(ctx, d, { top: Math.max(0, d.top + (name === 'down' ? 1 : -1)) });
  const st = s.runner.status(d.actionId);
  const yes = isKey(name, 'dialog.yes', deps.mode, deps.readOnly);
  if (st === 'confirmed' && yes) {
    // Confirmed earlier but never started (the cockpit closed in between): the confirmation holds.
    setUi(ctx, { dialog: undefined });
    return execute(ctx, d.actionId);
  }
  if (st !== 'planned') {
    if (yes)
      say(ctx, `this action is ${statusLabel(st)}: it is never run twice (plan it again for a new run)`, 'error');
    return;
  }
  if (isKey(name, 'plan.dryRun', deps.mode, deps.readOnly)) {
    const abort = new AbortController();
    dryRunning.set(deps, abort);
    patch(ctx, d, { busy: 'dry run … (Esc cancels)' });
    s.runner
      .dryRun(d.actionId, abort.signal)
      .then(
        (r) => say(ctx, `dry run (${r.kind}): ${r.ok ? 'ok' : 'REFUSED'} — ${r.message}`, r.ok ? 'info' : 'error'),
        (e: unknown) => {
          if (!abort.signal.aborted) say(ctx, errorText(e), 'error');
        },
      )
      .finally(() => {
        if (dryRunning.get(deps) !== abort) return;
        dryRunning.delete(deps);
        patch(ctx, d, { busy: undefined });
      });
    return;
  }
  const g = planGuardrail(s, d.actionId, state);
  const held = !g.ok && !d.override;
  if (!g.ok && held) {
    const capture = g.captureWith.find((c) => c.key === name);
    if (capture) {
      setUi(ctx, { dialog: undefined });
      return planAction(ctx, capture.id, target);
    }
    if (g.commanderMayOverride && isKey(name, 'plan.override', deps.mode, deps.readOnly))
      return patch(ctx, d, { stage: 'override', text: '' });
  }
  if (!yes) return;
  if (!g.ok && held) {
    const how = [
      `${g.captureWith.map((c) => c.key).join('/')} plans the capture`,
      g.commanderMayOverride
        ? 'o: the incident commander overrides with a reason'
        : 'no incident commander to override (r assigns one)',
    ];
    return say(ctx, `${g.reason} — ${how.join('; ')}`, 'error');
  }
  const def = sessionDef(s, a.planned.action, !!deps.readOnly);
  if (!def) return say(ctx, `no action ${a.planned.action} in this session`, 'error');
  if (def.destructive) return patch(ctx, d, { stage: 'typing', text: '' });
  confirmAndRun(ctx, d, a.planned.paramsHash);
}
