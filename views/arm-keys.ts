// Arming: destructive actions need the session armed for the account or cluster they touch, and
// arming needs its name typed back (the same friction as GitHub's "type the repository name").
// A --read-only session has no arming at all: the binding and the palette command are absent.

import type { ArmTarget } from '../store/action-session.js';
import { armMinutes } from '../store/arming.js';
import { CommandError } from '../store/store.js';
import { editText, run, say, setUi, type KeyContext } from './key-effects.js';
import type { ArmDialog } from './ui-state.js';

function resolveTargets(ctx: KeyContext): Promise<ArmTarget[]> | string {
  const { deps } = ctx;
  if (deps.readOnly) return 'this session is read-only (--read-only): it cannot be armed';
  const s = deps.actions;
  if (!s) return 'nothing to arm in this session';
  if (s.blocked) return s.blocked;
  return s.armTargets();
}

function arm(ctx: KeyContext, t: ArmTarget, typed: string): void {
  run(
    ctx,
    () => ctx.deps.store.getState().actions.armSession(t.name, typed),
    () => `session ARMED for ${t.label} for ${armMinutes()} min (:arm again extends, :disarm ends it)`,
  );
}

export function openArm(ctx: KeyContext): void {
  const targets = resolveTargets(ctx);
  if (typeof targets === 'string') return say(ctx, targets, 'error');
  setUi(ctx, { dialog: { kind: 'arm', text: '' } });
  const update = (p: Partial<ArmDialog>) => {
    const d = ctx.deps.ui.getState().dialog;
    if (d?.kind === 'arm') setUi(ctx, { dialog: { ...d, ...p } });
  };
  targets.then(
    (ts) =>
      update(
        ts.length ? { targets: ts } : { targets: [], error: 'no AWS account or Kubernetes cluster in this session' },
      ),
    (e: unknown) =>
      update({ targets: [], error: `could not resolve what to arm: ${e instanceof Error ? e.message : String(e)}` }),
  );
}

export function armDialogKey(name: string, input: string, d: ArmDialog, ctx: KeyContext): void {
  if (name === 'enter') {
    if (!d.targets?.length) return;
    const typed = d.text.trim();
    const t = d.targets.find((x) => x.name === typed);
    if (!t)
      return say(ctx, `"${typed}" matches nothing: type ${d.targets.map((x) => x.name).join(' or ')} exactly`, 'error');
    setUi(ctx, { dialog: undefined });
    return arm(ctx, t, typed);
  }
  const text = editText(d.text, name, input);
  if (text !== undefined) setUi(ctx, { dialog: { ...d, text } });
}

/** `:disarm [NAME]`: ends this session's armings now (journaled with the actor). */
export function disarm(ctx: KeyContext, name?: string): void {
  const store = ctx.deps.store;
  run(
    ctx,
    async () => {
      const ended = await store.getState().actions.disarmSession(name?.trim());
      if (!ended.length)
        throw new CommandError(name ? `the session is not armed for ${name}` : 'the session is not armed');
      return ended;
    },
    (ended) => `session disarmed for ${ended.join(', ')}`,
  );
}

/** `:arm NAME` from the palette. */
export function armByName(ctx: KeyContext, typed: string): void {
  const targets = resolveTargets(ctx);
  if (typeof targets === 'string') return say(ctx, targets, 'error');
  targets.then(
    (ts) => {
      const t = ts.find((x) => x.name === typed.trim());
      if (!t)
        return say(
          ctx,
          `"${typed}" matches nothing: type ${ts.map((x) => x.name).join(' or ') || 'the account id or cluster name'} exactly`,
          'error',
        );
      arm(ctx, t, typed);
    },
    (e: unknown) => say(ctx, `could not resolve what to arm: ${e instanceof Error ? e.message : String(e)}`, 'error'),
  );
}
