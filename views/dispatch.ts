// Key dispatch: dialog first, then the focused pane, then global. Keys are
// matched through the registry (keymap.ts), never compared raw in components. Everything that
// changes the incident goes through a store command; errors become a message on the footer.

import type { EventRow, TimelineEntry } from '../store/state.js';
import { lookup, reservedKey, type Scope } from './keymap.js';
import { actionsCommand, cancelPlanning, planByKey, stopEvidence } from './action-keys.js';
import { openBundle } from './bundle-keys.js';
import { openArm } from './arm-keys.js';
import { listView, selectedIndex } from './list-views.js';
import { PHASES } from '../src/domain/phases.js';
import { hms, shortArn, wrapLines } from './format.js';
import { openMetrics } from './metrics-view.js';
import { PANES, type FieldTree, type UiState } from './ui-state.js';
import { listRows } from './layout.js';
import { handleDialogKey } from './dialog-keys.js';
import { isList, pinSelected, say, setUi, type KeyContext } from './key-effects.js';
import { openClocks, openRunbook } from './comms-keys.js';

export type { KeyContext } from './key-effects.js';

const SPEEDS = [0.5, 1, 2, 5, 10, 30, 60, 120];

function activeScopes(ui: UiState): Scope[] {
  const scopes: Scope[] = [];
  if (isList(ui.focus)) scopes.push(ui.focus, 'list');
  if (ui.focus === 'actions') scopes.push('actions');
  scopes.push('drill', 'review', 'global');
  return scopes;
}

/** Handles one key press (already split: a pasted chunk arrives here one key at a time). */
export function handleKey(name: string, input: string, ctx: KeyContext): void {
  const ui = ctx.deps.ui.getState();
  if (ui.dialog) {
    handleDialogKey(name, input, ui.dialog, ctx);
    return;
  }
  if (ui.message) setUi(ctx, { message: undefined });
  const b = lookup(name, activeScopes(ui), ctx.deps.mode, ctx.deps.readOnly);
  // An offered action's own key comes after the pane's bindings and before the global ones, but
  // never shadows help, quit, the palette or moving focus (keymap.reservedKey).
  if (
    ui.focus === 'actions' &&
    ctx.deps.mode !== 'review' &&
    (!b || b.scope === 'global') &&
    !reservedKey(name) &&
    planByKey(name, ctx)
  )
    return;
  if (!b) return;
  command(b.id, ctx);
}

function command(id: string, ctx: KeyContext): void {
  const { deps } = ctx;
  const ui = deps.ui.getState();
  const focusIdx = PANES.indexOf(ui.focus);
  switch (id) {
    case 'app.help':
      return setUi(ctx, { dialog: { kind: 'help', top: 0 } });
    case 'app.quit':
      return setUi(ctx, { dialog: { kind: 'quit' } });
    case 'app.palette':
      return setUi(ctx, { dialog: { kind: 'palette', text: '', sel: 0 } });
    case 'app.back':
      // Esc outside a dialog cancels a plan being made, else stops running evidence work, else
      // clears the focused list's filter.
      if (cancelPlanning(ctx) || stopEvidence(ctx)) return;
      if (isList(ui.focus) && ui.filters[ui.focus]) setUi(ctx, { filters: { ...ui.filters, [ui.focus]: '' } });
      return;
    case 'focus.next':
      return setUi(ctx, { focus: PANES[(focusIdx + 1) % PANES.length]! });
    case 'focus.prev':
      return setUi(ctx, { focus: PANES[(focusIdx + PANES.length - 1) % PANES.length]! });
    case 'view.zoom':
      return setUi(ctx, { zoom: !ui.zoom });
    case 'focus.severity':
    case 'focus.timeline':
    case 'focus.events':
    case 'focus.actions':
      return setUi(ctx, { focus: id.slice(6) as UiState['focus'] });
    case 'incident.severity': {
      const cur = deps.store.getState().state.severity.at(-1)?.value ?? 1;
      return setUi(ctx, { dialog: { kind: 'severity', sel: cur } });
    }
    case 'incident.phase': {
      const s = deps.store.getState().state;
      const cur = PHASES.findIndex((p) => p.id === (s.phase.at(-1)?.value ?? 'detection'));
      return setUi(ctx, { dialog: { kind: 'phase', sel: Math.min(PHASES.length - 1, cur + 1) } });
    }
    case 'incident.metrics':
      return openMetrics(ctx);
    case 'incident.note':
      return setUi(ctx, { dialog: { kind: 'note', text: '' } });
    case 'incident.role':
      return setUi(ctx, { dialog: { kind: 'role', sel: 0, stage: 'role', text: '' } });
    case 'comms.clocks':
      return openClocks(ctx);
    case 'runbook.open':
      return openRunbook(ctx);
    case 'session.arm':
      return openArm(ctx);
    case 'actions.down':
    case 'actions.up':
    case 'actions.open':
    case 'actions.reverify':
    case 'actions.complete':
    case 'actions.undo':
      return actionsCommand(id, ctx);
    case 'actions.bundle':
      return openBundle(ctx);
    case 'list.down':
    case 'list.up':
    case 'list.pageDown':
    case 'list.pageUp':
    case 'list.top':
    case 'list.bottom':
      return move(id, ctx);
    case 'list.detail':
      return openDetail(ctx);
    case 'list.filter':
      if (isList(ui.focus)) setUi(ctx, { dialog: { kind: 'filter', pane: ui.focus, text: ui.filters[ui.focus] } });
      return;
    case 'events.pin':
      return pinSelected(ctx);
    case 'timeline.steps': {
      const everyStep = !ui.everyStep;
      setUi(ctx, { everyStep });
      return say(
        ctx,
        everyStep
          ? 'timeline: every step of each action (f folds them)'
          : 'timeline: one row per action (f shows every step)',
      );
    }
    case 'drill.pause': {
      const d = deps.drill;
      if (!d) return;
      if (d.status().paused) d.resume();
      else d.pause();
      return say(ctx, d.status().paused ? 'drill paused' : 'drill running');
    }
    case 'drill.faster':
    case 'drill.slower': {
      const d = deps.drill;
      if (!d) return;
      const i = SPEEDS.findIndex((x) => x >= d.status().speed);
      const next =
        SPEEDS[
          Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? SPEEDS.length - 1 : i) + (id === 'drill.faster' ? 1 : -1)))
        ]!;
      d.setSpeed(next);
      return say(ctx, `drill clock ×${next}`);
    }
    case 'drill.skip':
      deps.drill?.skipToNext();
      return say(ctx, 'skipped to the next scripted item');
    case 'review.next':
    case 'review.prev': {
      const total = deps.store.getState().state.seq;
      const cur = ui.asOf ?? total;
      const next = Math.max(1, Math.min(total, cur + (id === 'review.next' ? 1 : -1)));
      return setUi(ctx, { asOf: next === total ? undefined : next });
    }
    case 'review.nextMark':
    case 'review.prevMark':
      return jumpMark(ctx, id === 'review.nextMark' ? 1 : -1);
    case 'review.jump':
      return setUi(ctx, { dialog: { kind: 'jump', text: '' } });
    case 'review.end':
      return setUi(ctx, { asOf: undefined });
  }
}

function move(id: string, ctx: KeyContext): void {
  const ui = ctx.deps.ui.getState();
  if (!isList(ui.focus)) return;
  const pane = ui.focus;
  const count = listView(pane, ctx.deps.store.getState().state, ui).count;
  // A page is what the pane shows less one row of context.
  const page = Math.max(1, listRows(pane, ctx.layout.panes[pane].height) - 1);
  const cur = Math.max(0, selectedIndex(ui.cursors[pane], count));
  const target =
    id === 'list.down'
      ? cur + 1
      : id === 'list.up'
        ? cur - 1
        : id === 'list.pageDown'
          ? cur + page
          : id === 'list.pageUp'
            ? cur - page
            : id === 'list.top'
              ? 0
              : count - 1;
  const sel = Math.max(0, Math.min(count - 1, target));
  // Reaching the newest row (or G) follows new rows again; any other move holds the position.
  const follow =
    id === 'list.bottom' || (sel === count - 1 && id !== 'list.up' && id !== 'list.top' && id !== 'list.pageUp');
  setUi(ctx, { cursors: { ...ui.cursors, [pane]: { sel, follow } } });
}

function openDetail(ctx: KeyContext): void {
  const { deps } = ctx;
  const ui = deps.ui.getState();
  if (!isList(ui.focus)) return;
  const s = deps.store.getState().state;
  const v = listView(ui.focus, s, ui);
  const i = selectedIndex(ui.cursors[ui.focus], v.count);
  if (i < 0) return;
  if (ui.focus === 'timeline') {
    const t = v.at(i) as TimelineEntry | undefined;
    if (!t) return;
    const lines = [`seq ${t.seq} · ${t.ts} · ${t.kind} · by ${t.actor}`, '', ...t.text.split('\n')];
    // The linked events as a responder reads them (time, action, actor), not as raw keys; Tab
    // picks one and Enter jumps to it in the live events.
    const linked = (t.eventKeys ?? []).filter((k) => s.eventIndex.has(k));
    if (t.eventKeys?.length) {
      lines.push('', `events (${t.eventKeys.length}${linked.length ? ' — Tab picks one, Enter jumps to it' : ''}):`);
      for (const k of t.eventKeys) {
        const idx = s.eventIndex.get(k);
        const ev = idx === undefined ? undefined : s.events.at(idx);
        lines.push(
          ev ? `  ${hms(ev.eventTime)} ${ev.action} by ${shortArn(ev.actor)}  (${k})` : `  ${k} (not in this journal)`,
        );
      }
    }
    setUi(ctx, {
      dialog: {
        kind: 'detail',
        pane: 'timeline',
        title: `Timeline entry ${t.seq}`,
        lines: wrapLines(lines, ctx.layout.cols - 4),
        top: 0,
        ...(linked.length ? { events: linked } : {}),
      },
    });
    return;
  }
  const e = v.at(i) as EventRow;
  const title = `${e.action} · ${e.source} ${e.id}`;
  if (!deps.readEvent) {
    setUi(ctx, { dialog: { kind: 'detail', pane: 'events', title, lines: [], top: 0, tree: freshTree(e) } });
    return;
  }
  setUi(ctx, {
    dialog: { kind: 'detail', pane: 'events', title, lines: ['reading the record from the journal…'], top: 0 },
  });
  deps.readEvent(e.offset, e.length).then(
    (rec) => {
      const d = deps.ui.getState().dialog;
      if (d?.kind === 'detail' && d.title === title)
        setUi(ctx, {
          dialog: { ...d, lines: [], top: 0, tree: freshTree(rec) },
        });
    },
    (err: unknown) =>
      say(
        ctx,
        `could not read the event from the journal: ${err instanceof Error ? err.message : String(err)}`,
        'error',
      ),
  );
}

function freshTree(value: unknown): FieldTree {
  return { value, toggled: [], sel: 0 };
}

const MARK_KINDS = new Set(['detection', 'severity', 'phase', 'role', 'pin', 'armed', 'updated', 'inject']);

function jumpMark(ctx: KeyContext, dir: 1 | -1): void {
  const s = ctx.deps.store.getState().state;
  const cur = ctx.deps.ui.getState().asOf ?? s.seq;
  const n = s.timeline.length;
  if (dir > 0) {
    for (let i = 0; i < n; i++) {
      const t = s.timeline.at(i)!;
      if (t.seq > cur && MARK_KINDS.has(t.kind)) return setUi(ctx, { asOf: t.seq === s.seq ? undefined : t.seq });
    }
    return say(ctx, 'no later detection, decision or action');
  }
  for (let i = n - 1; i >= 0; i--) {
    const t = s.timeline.at(i)!;
    if (t.seq < cur && MARK_KINDS.has(t.kind)) return setUi(ctx, { asOf: t.seq });
  }
  say(ctx, 'no earlier detection, decision or action');
}

/** Review: the last record at or before `at` (records are time-ordered in practice). */
