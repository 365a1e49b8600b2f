// Key dispatch: dialog first, then the focused pane, then global (STYLE.md habit 4). Keys are
// matched through the registry (keymap.ts), never compared raw in components. Everything that
// changes the incident goes through a store command; errors become a message on the footer.

import { PHASES } from '../src/domain/phases.js';
import { ROLES } from '../src/domain/roles.js';
import { SEVERITIES, severityInfo } from '../src/domain/severity.js';
import { phaseName } from '../src/domain/phases.js';
import { roleName } from '../src/domain/roles.js';
import type { EventRow, TimelineEntry } from '../store/state.js';
import type { CockpitDeps } from './context.js';
import { lookup, type Scope } from './keymap.js';
import type { Layout } from './layout.js';
import { eventsView, listView, selectedIndex } from './list-views.js';
import { complete, parseCommand, parseTime, type Intent } from './palette.js';
import { helpRows, wrapLines } from './format.js';
import { PANES, type Dialog, type ListPane, type UiState } from './ui-state.js';

const SPEEDS = [0.5, 1, 2, 5, 10, 30, 60, 120];

export interface KeyContext {
  deps: CockpitDeps;
  layout: Layout;
}

function setUi(ctx: KeyContext, patch: Partial<UiState>): void {
  ctx.deps.ui.setState(patch);
}

function say(ctx: KeyContext, text: string, kind: 'info' | 'error' = 'info'): void {
  setUi(ctx, { message: { text, kind } });
}

/** Runs a store command; its outcome (or its error, never swallowed) becomes the footer message. */
function run(ctx: KeyContext, what: () => Promise<unknown>, done: string): void {
  what().then(
    () => say(ctx, `${done} — recorded (seq ${ctx.deps.store.getState().state.seq})`),
    (e: unknown) => say(ctx, e instanceof Error ? e.message : String(e), 'error'),
  );
}

function isList(p: string): p is ListPane {
  return p === 'timeline' || p === 'events';
}

function activeScopes(ui: UiState): Scope[] {
  const scopes: Scope[] = [];
  if (isList(ui.focus)) scopes.push(ui.focus, 'list');
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
  const b = lookup(name, activeScopes(ui), ctx.deps.mode);
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
      // Esc outside a dialog clears the focused list's filter, then any message.
      if (isList(ui.focus) && ui.filters[ui.focus]) setUi(ctx, { filters: { ...ui.filters, [ui.focus]: '' } });
      return;
    case 'focus.next':
      return setUi(ctx, { focus: PANES[(focusIdx + 1) % PANES.length]! });
    case 'focus.prev':
      return setUi(ctx, { focus: PANES[(focusIdx + PANES.length - 1) % PANES.length]! });
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
    case 'incident.note':
      return setUi(ctx, { dialog: { kind: 'note', text: '' } });
    case 'incident.role':
      return setUi(ctx, { dialog: { kind: 'role', sel: 0, stage: 'role', text: '' } });
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
      const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? SPEEDS.length - 1 : i) + (id === 'drill.faster' ? 1 : -1)))]!;
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
  const page = Math.max(1, ctx.layout.panes[pane].height - 2);
  const cur = Math.max(0, selectedIndex(ui.cursors[pane], count));
  const target =
    id === 'list.down' ? cur + 1 : id === 'list.up' ? cur - 1 : id === 'list.pageDown' ? cur + page : id === 'list.pageUp' ? cur - page : id === 'list.top' ? 0 : count - 1;
  const sel = Math.max(0, Math.min(count - 1, target));
  // Reaching the newest row (or G) follows new rows again; any other move holds the position.
  const follow = id === 'list.bottom' || (sel === count - 1 && id !== 'list.up' && id !== 'list.top' && id !== 'list.pageUp');
  setUi(ctx, { cursors: { ...ui.cursors, [pane]: { sel, follow } } });
}

function selectedEvent(ctx: KeyContext) {
  const ui = ctx.deps.ui.getState();
  const v = eventsView(ctx.deps.store.getState().state, ui);
  const i = selectedIndex(ui.cursors.events, v.count);
  return i < 0 ? undefined : v.at(i);
}

function pinSelected(ctx: KeyContext, comment?: string): void {
  const ev = selectedEvent(ctx);
  if (!ev) return say(ctx, 'no event selected to pin', 'error');
  run(ctx, () => ctx.deps.store.getState().actions.pinEvent(ev.key, comment), `pinned ${ev.action} to the timeline`);
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
    if (t.eventKeys?.length) lines.push('', 'events:', ...t.eventKeys.map((k) => `  ${k}`));
    setUi(ctx, { dialog: { kind: 'detail', pane: 'timeline', title: `Timeline entry ${t.seq}`, lines: wrapLines(lines, ctx.layout.cols - 4), top: 0 } });
    return;
  }
  const e = v.at(i) as EventRow;
  const title = `${e.action} · ${e.source} ${e.id}`;
  if (!deps.readEvent) {
    setUi(ctx, { dialog: { kind: 'detail', pane: 'events', title, lines: [JSON.stringify(e, null, 2)], top: 0 } });
    return;
  }
  setUi(ctx, { dialog: { kind: 'detail', pane: 'events', title, lines: ['reading the record from the journal…'], top: 0 } });
  deps.readEvent(e.offset, e.length).then(
    (rec) => {
      const d = deps.ui.getState().dialog;
      if (d?.kind === 'detail' && d.title === title) setUi(ctx, { dialog: { ...d, lines: wrapLines(JSON.stringify(rec, null, 2).split('\n'), ctx.layout.cols - 4) } });
    },
    (err: unknown) => say(ctx, `could not read the event from the journal: ${err instanceof Error ? err.message : String(err)}`, 'error'),
  );
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
function seqAtTime(ctx: KeyContext, at: number): number {
  const times = ctx.deps.store.getState().state.recordTimes;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times.at(mid)! <= at) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, lo);
}

// ---- dialogs ----

function close(ctx: KeyContext): void {
  setUi(ctx, { dialog: undefined });
}

function editText(text: string, name: string, input: string): string | undefined {
  if (name === 'backspace') return text.slice(0, -1);
  if (name === 'ctrl-u') return '';
  // Printable input (a pasted chunk may hold many characters): controls never enter the text.
  if (name === input && input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input)) return text + input;
  if (name === 'space') return text + ' ';
  return undefined;
}

function pick(name: string, input: string, sel: number, n: number): { sel: number; chosen?: number } | undefined {
  if (name === 'down' || name === 'j') return { sel: (sel + 1) % n };
  if (name === 'up' || name === 'k') return { sel: (sel + n - 1) % n };
  if (name === 'enter') return { sel, chosen: sel };
  const d = /^[0-9]$/.exec(input) ? Number(input) : NaN;
  if (!Number.isNaN(d)) return d < n ? { sel: d, chosen: d } : { sel };
  return undefined;
}

/** Rows a full-body dialog shows: its border, title and footer take 4 (DialogView's `inner`). */
function dialogPage(ctx: KeyContext): number {
  return Math.max(1, ctx.layout.body - 4);
}

/** A scrolling overlay's next top row for a key (clamped to [0, max]); -1 closes; undefined ignores. */
function scroll(name: string, top: number, page: number, max: number): number | undefined {
  const next: Record<string, number> = { down: top + 1, j: top + 1, up: top - 1, k: top - 1, pagedown: top + page, space: top + page, pageup: top - page, g: 0, home: 0, G: max, end: max, enter: -1, q: -1, '?': -1 };
  const t = next[name];
  if (t === undefined || t === -1) return t;
  return Math.max(0, Math.min(max, t));
}

function handleDialogKey(name: string, input: string, d: Dialog, ctx: KeyContext): void {
  const actions = ctx.deps.store.getState().actions;
  if (name === 'escape') return close(ctx);
  switch (d.kind) {
    case 'quit':
      if (input === 'y' || input === 'Y' || name === 'ctrl-c') return ctx.deps.quit();
      return close(ctx);
    case 'help':
    case 'detail': {
      const page = dialogPage(ctx);
      const total = d.kind === 'help' ? helpRows(ctx.deps.mode).length : d.lines.length;
      const top = scroll(name, d.top, page, Math.max(0, total - page));
      if (top === undefined) return;
      if (top === -1) return close(ctx);
      return setUi(ctx, { dialog: { ...d, top } });
    }
    case 'severity': {
      const r = pick(name, input, d.sel, SEVERITIES.length);
      if (!r) return;
      if (r.chosen === undefined) return setUi(ctx, { dialog: { ...d, sel: r.sel } });
      close(ctx);
      const info = severityInfo(r.chosen as 0 | 1 | 2 | 3);
      return run(ctx, () => actions.setSeverity(info.level), `severity ${info.code} ${info.name}`);
    }
    case 'phase': {
      const r = pick(name, input, d.sel, PHASES.length);
      if (!r) return;
      if (r.chosen === undefined) return setUi(ctx, { dialog: { ...d, sel: r.sel } });
      close(ctx);
      const p = PHASES[r.chosen]!;
      return run(ctx, () => actions.setPhase(p.id), `phase ${p.name}`);
    }
    case 'role': {
      if (d.stage === 'role') {
        const r = pick(name, input, d.sel, ROLES.length);
        if (!r) return;
        return setUi(ctx, { dialog: r.chosen === undefined ? { ...d, sel: r.sel } : { ...d, sel: r.chosen, stage: 'person' } });
      }
      if (name === 'enter') {
        const role = ROLES[d.sel]!;
        const person = d.text.trim();
        if (!person) return say(ctx, 'type who takes the role, then Enter', 'error');
        close(ctx);
        return run(ctx, () => actions.assignRole(role.id, person), `${roleName(role.id)}: ${person}`);
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'note': {
      if (name === 'enter') {
        if (!d.text.trim()) return close(ctx);
        close(ctx);
        return run(ctx, () => actions.addNote(d.text), 'note added');
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'filter': {
      const ui = ctx.deps.ui.getState();
      if (name === 'enter') return close(ctx);
      const t = editText(d.text, name, input);
      if (t === undefined) return;
      // The filter applies as it is typed; the cursor goes back to following the newest match.
      setUi(ctx, { dialog: { ...d, text: t }, filters: { ...ui.filters, [d.pane]: t }, cursors: { ...ui.cursors, [d.pane]: { sel: 0, follow: true } } });
      return;
    }
    case 'jump': {
      if (name === 'enter') {
        const s = ctx.deps.store.getState().state;
        const base = s.recordTimes.at(0) ?? Date.now();
        const at = parseTime(d.text, base);
        if (at === undefined) return say(ctx, 'type a time as HH:MM, HH:MM:SS or an ISO time (UTC)', 'error');
        close(ctx);
        const seq = seqAtTime(ctx, at);
        return setUi(ctx, { asOf: seq >= s.seq ? undefined : seq });
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'palette': {
      if (name === 'tab') return setUi(ctx, { dialog: { ...d, text: complete(d.text, ctx.deps.mode) } });
      if (name === 'enter') {
        const intent = parseCommand(d.text, ctx.deps.mode, ctx.deps.now());
        if ('error' in intent) return say(ctx, intent.error, 'error');
        close(ctx);
        return perform(intent, ctx);
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
  }
}

function perform(intent: Intent, ctx: KeyContext): void {
  const { deps } = ctx;
  const actions = deps.store.getState().actions;
  const ui = deps.ui.getState();
  switch (intent.kind) {
    case 'severity': {
      const info = severityInfo(intent.level);
      return run(ctx, () => actions.setSeverity(intent.level, intent.reason), `severity ${info.code} ${info.name}`);
    }
    case 'phase':
      return run(ctx, () => actions.setPhase(intent.phase, intent.reason), `phase ${phaseName(intent.phase)}`);
    case 'role':
      return run(ctx, () => actions.assignRole(intent.role, intent.person), `${roleName(intent.role)}: ${intent.person}`);
    case 'note':
      return run(ctx, () => actions.addNote(intent.text), 'note added');
    case 'time': {
      const iso = new Date(intent.at).toISOString();
      return run(ctx, () => actions.updateIncident({ [intent.field]: iso }), `${intent.field.replace('At', '')} at ${iso}`);
    }
    case 'filter': {
      const pane: ListPane = isList(ui.focus) ? ui.focus : 'events';
      return setUi(ctx, { filters: { ...ui.filters, [pane]: intent.text } });
    }
    case 'pin':
      return pinSelected(ctx, intent.comment);
    case 'speed':
      deps.drill?.setSpeed(intent.x);
      return say(ctx, `drill clock ×${intent.x}`);
    case 'pause':
      deps.drill?.pause();
      return say(ctx, 'drill paused');
    case 'resume':
      deps.drill?.resume();
      return say(ctx, 'drill running');
    case 'goto': {
      const total = deps.store.getState().state.seq;
      return setUi(ctx, { asOf: intent.seq >= total ? undefined : intent.seq });
    }
    case 'goto-time': {
      const seq = seqAtTime(ctx, intent.at);
      return setUi(ctx, { asOf: seq >= deps.store.getState().state.seq ? undefined : seq });
    }
    case 'help':
      return setUi(ctx, { dialog: { kind: 'help', top: 0 } });
    case 'quit':
      return setUi(ctx, { dialog: { kind: 'quit' } });
  }
}
