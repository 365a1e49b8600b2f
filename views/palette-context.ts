// What the palette can complete beyond its own words: `:act` takes an action id and a target, and
// both are known to the session — the actions it offers, and the targets of the selected event
// and of the incident's actions so far. Built on demand from the cockpit's state (pure reads).

import { TARGET_KINDS, withWhere } from '../src/domain/target-kinds.js';
import { offeredFor } from '../store/action-session.js';
import { actionRows } from './action-rows.js';
import type { CockpitDeps } from './context.js';
import type { PaletteExtra } from './palette.js';

export function paletteExtra(deps: CockpitDeps): PaletteExtra {
  const session = deps.actions;
  if (!session) return { actions: [], targets: [] };
  const readOnly = !!deps.readOnly;
  const actions = TARGET_KINDS.flatMap((kind) => offeredFor(session, kind, readOnly).map((d) => ({ id: d.id, kind })));
  const s = deps.store.getState();
  const rows = actionRows({ session, readOnly, state: s.state, ui: deps.ui.getState(), loadedSeq: s.meta.loadedSeq });
  const seen = new Set<string>();
  const targets: { kind: string; id: string }[] = [];
  // A target is completed with the account or cluster it is in, so a session watching several
  // acts where the event happened (`:act` reads `@WHERE` back).
  const add = (t: { kind: string; id: string; account?: string; cluster?: string }) => {
    const k = withWhere(t);
    if (seen.has(k)) return;
    seen.add(k);
    targets.push({ kind: t.kind, id: k.slice(t.kind.length + 1) });
  };
  rows.targets.forEach(add);
  for (const id of s.state.actionOrder) {
    const a = s.state.actions.get(id);
    if (a) add(a.planned.target);
  }
  return { actions, targets };
}
