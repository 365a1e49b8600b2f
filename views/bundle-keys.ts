// The cross-plane bundle's keys: X on a pod plans it (store/action-bundle.ts resolves the role and
// plans each step as its own action), y asks for the role's name typed back, Enter runs the steps
// one by one in the background while the dialog shows each outcome. Esc closes it before the run
// and after it; while it runs the screen stays (it is what says which steps are in place).

import type { Target } from '../src/actions/types.js';
import { confirmsBundle, dryRunBundle, planBundle, runBundle } from '../store/action-bundle.js';
import { currentActionRows } from './action-keys.js';
import { selectedActionRow } from './action-rows.js';
import { isKey } from './keymap.js';
import { editText, say, setUi, type KeyContext } from './key-effects.js';
import type { BundleDialog } from './ui-state.js';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The pod the bundle starts from: the highlighted row's, else the first pod the event names. */
function podTarget(ctx: KeyContext): Target | undefined {
  const r = currentActionRows(ctx);
  const cur = selectedActionRow(r, ctx.deps.ui.getState().actionSel).row;
  const on = cur?.kind === 'offered' ? cur.target : cur?.kind === 'done' ? cur.action.planned.target : undefined;
  if (on?.kind === 'pod') return on;
  return r.targets.find((t) => t.kind === 'pod');
}

/** Cockpits with a bundle being planned: a second X meanwhile does nothing. */
const planning = new WeakSet<object>();

/** X: resolves the pod's role and plans the whole bundle, then opens its dialog. */
export function openBundle(ctx: KeyContext): void {
  const s = ctx.deps.actions;
  if (!s) return say(ctx, 'no actions in this session (review is read-only)', 'error');
  if (s.blocked) return say(ctx, s.blocked, 'error');
  const pod = podTarget(ctx);
  if (!pod) return say(ctx, 'the bundle starts from a pod: select an event naming one (3)', 'error');
  if (planning.has(ctx.deps)) return;
  planning.add(ctx.deps);
  say(ctx, `resolving the AWS role of ${pod.label} and planning the bundle …`);
  planBundle({ runner: s.runner, store: ctx.deps.store }, pod, s.eksCluster ? { eksCluster: s.eksCluster } : {})
    .then(
      (plan) =>
        setUi(ctx, {
          message: undefined,
          dialog: { kind: 'bundle', plan, steps: plan.steps, stage: 'review', text: '', top: 0 },
        }),
      (e: unknown) => say(ctx, errorText(e), 'error'),
    )
    .finally(() => planning.delete(ctx.deps));
}

function patch(ctx: KeyContext, d: BundleDialog, p: Partial<BundleDialog>): void {
  const cur = ctx.deps.ui.getState().dialog;
  if (cur?.kind === 'bundle' && cur.plan.hash === d.plan.hash) setUi(ctx, { dialog: { ...cur, ...p } });
}

export function bundleDialogKey(name: string, input: string, d: BundleDialog, ctx: KeyContext): void {
  const s = ctx.deps.actions;
  if (!s || d.stage === 'running') return;
  if (name === 'down' || name === 'up') return patch(ctx, d, { top: Math.max(0, d.top + (name === 'down' ? 1 : -1)) });
  if (d.stage === 'done') return;
  if (d.stage === 'review') {
    if (isKey(name, 'dialog.yes', ctx.deps.mode, ctx.deps.readOnly)) patch(ctx, d, { stage: 'typing', text: '' });
    else if (isKey(name, 'plan.dryRun', ctx.deps.mode, ctx.deps.readOnly)) {
      patch(ctx, d, { stage: 'running' });
      say(ctx, 'dry-running every step (each journaled) …');
      dryRunBundle({ runner: s.runner, store: ctx.deps.store }, d.plan).then(
        (steps) => {
          patch(ctx, d, { steps, stage: 'review' });
          const refused = steps.filter((x) => !x.detail?.includes(': ok — '));
          say(
            ctx,
            refused.length
              ? `dry run: ${refused.length} of ${steps.length} steps not ok — the bundle would stop at step ${steps.indexOf(refused[0]!) + 1}`
              : `dry run: all ${steps.length} steps ok`,
            refused.length ? 'error' : 'info',
          );
        },
        (e: unknown) => {
          patch(ctx, d, { stage: 'review' });
          say(ctx, errorText(e), 'error');
        },
      );
    }
    return;
  }
  if (name === 'enter') {
    if (!confirmsBundle(d.text, d.plan))
      return say(ctx, `"${d.text.trim()}" does not match: type the role's name ${d.plan.confirmWith} exactly`, 'error');
    patch(ctx, d, { stage: 'running', text: '' });
    say(ctx, `running the bundle for ${d.plan.pod.label} and ${d.plan.role.label}: each step is journaled on its own`);
    runBundle({ runner: s.runner, store: ctx.deps.store }, d.plan, d.text, d.plan.hash, (steps) =>
      patch(ctx, d, { steps }),
    ).then(
      (steps) => {
        patch(ctx, d, { steps, stage: 'done' });
        const bad = steps.filter((x) => x.outcome !== 'in place');
        say(
          ctx,
          bad.length
            ? `bundle STOPPED: ${steps.filter((x) => x.outcome === 'in place').length} of ${steps.length} steps in place — see each step`
            : `bundle done: all ${steps.length} steps in place and verified`,
          bad.length ? 'error' : 'info',
        );
      },
      (e: unknown) => {
        patch(ctx, d, { stage: 'review' });
        say(ctx, errorText(e), 'error');
      },
    );
    return;
  }
  const t = editText(d.text, name, input);
  if (t !== undefined) patch(ctx, d, { text: t });
}
