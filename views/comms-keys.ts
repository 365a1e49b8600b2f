// Keys and palette intents for the clocks panel, the runbook overlay and the comms commands
// (:personal-data, :decide, :cadence, :runbook, :score). Everything that changes the incident
// goes through a store command, so it is journaled; the dispatcher and the palette call in here.

import { currentActionRows, openActionForSelection, planAction } from './action-keys.js';
import { REGIME_NAMES } from '../src/domain/deadlines.js';
import { bundledRunbooks, RUNBOOK_ACTIONS, type Runbook } from '../src/domain/runbooks.js';
import { scorecardText } from '../src/reports/scorecard.js';
import { activeRunbook, stepViews } from '../store/runbook-selectors.js';
import { clockLines } from './dialogs/ClocksDialog.js';
import { lookup } from './keymap.js';
import { run, say, setUi, type KeyContext } from './key-effects.js';
import { stepTarget, stepTargetMissing } from './step-target.js';
import type { CommsIntent } from './palette-comms.js';
import type { Dialog } from './ui-state.js';

type CommsDialog = Extract<Dialog, { kind: 'clocks' } | { kind: 'runbook' }>;

function runbooks(ctx: KeyContext): Runbook[] | undefined {
  try {
    return bundledRunbooks();
  } catch (e) {
    say(ctx, `runbooks not available: ${e instanceof Error ? e.message : String(e)}`, 'error');
    return undefined;
  }
}

export function openClocks(ctx: KeyContext): void {
  setUi(ctx, { dialog: { kind: 'clocks', top: 0 } });
}

/** Opens the runbook `id`, else the chosen / in-progress / suggested one. */
export function openRunbook(ctx: KeyContext, id?: string): void {
  const all = runbooks(ctx);
  if (!all) return;
  const ids = all.map((r) => r.id).join(', ');
  if (id && !all.some((r) => r.id === id)) return say(ctx, `no runbook "${id}": ${ids}`, 'error');
  const ui = ctx.deps.ui.getState();
  const s = ctx.deps.store.getState().state;
  const found = activeRunbook(s, all, id ?? ui.runbook, ui.asOf ?? s.seq);
  if (!found)
    return say(ctx, `no runbook suggested by the detections yet — choose one with :runbook ID (${ids})`, 'error');
  const views = stepViews(s, found.runbook);
  // Start on the first step still open: where the team left off.
  const sel = Math.max(
    0,
    views.findIndex((v) => v.status === 'open'),
  );
  setUi(ctx, { dialog: { kind: 'runbook', id: found.runbook.id, sel }, ...(id ? { runbook: id } : {}) });
}

export function handleCommsDialogKey(name: string, d: CommsDialog, ctx: KeyContext): void {
  if (d.kind === 'clocks') {
    if (name === 'q' || name === 'enter' || name === 'c') return setUi(ctx, { dialog: undefined });
    const s = ctx.deps.store.getState().state;
    const total = clockLines(s, ctx.deps.now(), ctx.layout.cols - 4).length;
    const max = Math.max(0, total - Math.max(1, ctx.layout.body - 4));
    const step: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, pagedown: 10, pageup: -10 };
    if (step[name] !== undefined) setUi(ctx, { dialog: { ...d, top: Math.max(0, Math.min(max, d.top + step[name])) } });
    return;
  }
  const rb = bundledRunbooks().find((r) => r.id === d.id);
  if (!rb) return setUi(ctx, { dialog: undefined });
  if (name === 'q' || name === 'b') return setUi(ctx, { dialog: undefined });
  const b = lookup(name, ['runbook'], ctx.deps.mode);
  const step = rb.steps[d.sel];
  switch (b?.id) {
    case 'runbook.down':
    case 'runbook.up': {
      const n = rb.steps.length;
      return setUi(ctx, { dialog: { ...d, sel: (d.sel + (b.id === 'runbook.down' ? 1 : n - 1)) % n } });
    }
    case 'runbook.done':
    case 'runbook.skip': {
      if (!step) return;
      const want = b.id === 'runbook.done' ? 'done' : 'skipped';
      const cur = stepViews(ctx.deps.store.getState().state, rb)[d.sel]!.status;
      // Pressing it again on a step already in that state reopens it (a mis-press is undone, journaled).
      const status = cur === want ? 'open' : want;
      const actions = ctx.deps.store.getState().actions;
      run(
        ctx,
        () => actions.recordRunbookStep({ runbook: rb.id, step: step.id, status }),
        `step ${d.sel + 1} ${status === 'open' ? 'reopened' : status}`,
      );
      // The highlight stays: moving it silently made `x j x` tick steps 1 and 3.
      return;
    }
    case 'runbook.action': {
      if (!step?.action) return say(ctx, 'this step has no action in firebreak: do it, then mark it done with x');
      const open = ctx.deps.openAction;
      if (open) {
        setUi(ctx, { dialog: undefined });
        return open(step.action);
      }
      if (!ctx.deps.actions)
        return say(
          ctx,
          `step ${d.sel + 1}: run ${step.action} on ${RUNBOOK_ACTIONS[step.action]} — select it in the events pane, then the actions pane (4)`,
        );
      setUi(ctx, { dialog: undefined });
      // The selected event's target when it offers this action; else the one the step implies.
      const offered = currentActionRows(ctx).rows.some((r) => r.kind === 'offered' && r.def.id === step.action);
      const implied = offered ? undefined : stepTarget(step.action, ctx.deps.store.getState().state, ctx.deps.actions);
      if (implied) return planAction(ctx, step.action, implied);
      const missing = offered ? undefined : stepTargetMissing(step.action);
      if (missing) return say(ctx, missing, 'error');
      return openActionForSelection(ctx, step.action, RUNBOOK_ACTIONS[step.action]);
    }
    default:
      // Not a runbook key: the dialog ignores it.
      return;
  }
}

export function performComms(intent: CommsIntent, ctx: KeyContext): void {
  const { deps } = ctx;
  const actions = deps.store.getState().actions;
  switch (intent.op) {
    case 'personal-data': {
      const awareAt = new Date(intent.at).toISOString();
      const names = intent.regimes.map((r) => REGIME_NAMES[r]).join(', ');
      return run(
        ctx,
        () =>
          actions.flagPersonalData({ awareAt, regimes: intent.regimes, ...(intent.note ? { note: intent.note } : {}) }),
        `clocks started: ${names} (aware ${awareAt}) — c shows them`,
      );
    }
    case 'decide':
      return run(
        ctx,
        () =>
          actions.decideNotification({ regime: intent.regime, decision: intent.decision, rationale: intent.rationale }),
        `${REGIME_NAMES[intent.regime]}: ${intent.decision}`,
      );
    case 'cadence':
      return run(ctx, () => actions.setCadence(intent.hours), `leadership summary every ${intent.hours} h`);
    case 'runbook':
      return openRunbook(ctx, intent.id);
    case 'score': {
      const score = deps.scoreDrill;
      if (!score) return say(ctx, 'scoring is for drills', 'error');
      say(ctx, 'scoring the drill …');
      score().then(
        (card) =>
          setUi(ctx, {
            message: { text: `drill scored: ${card.passed}/${card.total} targets met — recorded`, kind: 'info' },
            dialog: {
              kind: 'detail',
              pane: 'timeline',
              title: 'Drill scorecard',
              lines: scorecardText(card).split('\n'),
              top: 0,
            },
          }),
        (e: unknown) => say(ctx, `scoring failed: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
      return;
    }
  }
}
