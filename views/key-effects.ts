// What key handlers share: the context they run in, footer messages, running a store command
// with its outcome reported, and the selection helpers both panes and dialogs act on.

import type { EventRow } from '../store/state.js';
import type { CockpitDeps } from './context.js';
import type { Layout } from './layout.js';
import { eventsView, selectedIndex } from './list-views.js';
import type { ListPane, UiState } from './ui-state.js';

export interface KeyContext {
  deps: CockpitDeps;
  layout: Layout;
}

export function setUi(ctx: KeyContext, patch: Partial<UiState>): void {
  ctx.deps.ui.setState(patch);
}

export function say(ctx: KeyContext, text: string, kind: 'info' | 'error' = 'info'): void {
  setUi(ctx, { message: { text, kind } });
}

/** How often a long job's progress line is redrawn (a frame per page or batch would churn the screen). */
const PROGRESS_MS = 250;

/**
 * A footer progress line for long work (import, hunt, evidence): at most one redraw per
 * PROGRESS_MS, the latest line always shown (a timer catches up with a report that came too soon),
 * and nothing once `live()` says the work is over or stopped. `done()` drops a pending redraw.
 */
export function footerProgress(ctx: KeyContext, live: () => boolean): { report(line: string): void; done(): void } {
  let last = 0;
  let latest: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = () => {
    timer = undefined;
    if (latest === undefined || !live()) return;
    last = Date.now();
    say(ctx, latest);
    latest = undefined;
  };
  return {
    report(line) {
      latest = line;
      if (Date.now() - last >= PROGRESS_MS) show();
      else timer ??= setTimeout(show, PROGRESS_MS - (Date.now() - last));
    },
    done() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Runs a store command; its outcome (or its error, never swallowed) becomes the footer message. */
export function run<T>(ctx: KeyContext, what: () => Promise<T>, done: string | ((result: T) => string)): void {
  what().then(
    (result) =>
      say(
        ctx,
        `${typeof done === 'string' ? done : done(result)} — recorded (seq ${ctx.deps.store.getState().meta.lastWrittenSeq})`,
      ),
    (e: unknown) => say(ctx, e instanceof Error ? e.message : String(e), 'error'),
  );
}

export function isList(p: string): p is ListPane {
  return p === 'timeline' || p === 'events';
}

export function selectedEvent(ctx: KeyContext): EventRow | undefined {
  const ui = ctx.deps.ui.getState();
  const v = eventsView(ctx.deps.store.getState().state, ui);
  const i = selectedIndex(ui.cursors.events, v.count);
  return i < 0 ? undefined : v.at(i);
}

export function pinSelected(ctx: KeyContext, comment?: string): void {
  const ev = selectedEvent(ctx);
  if (!ev) return say(ctx, 'no event selected to pin', 'error');
  run(ctx, () => ctx.deps.store.getState().actions.pinEvent(ev.key, comment), `pinned ${ev.action} to the timeline`);
}

export function seqAtTime(ctx: KeyContext, at: number): number {
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

/** A text field's next text for a key, or undefined when the key is not text. */
export function editText(text: string, name: string, input: string): string | undefined {
  if (name === 'backspace') return text.slice(0, -1);
  if (name === 'ctrl-u') return '';
  // Printable input (a pasted chunk may hold many characters): controls never enter the text.
  if (name === input && input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input)) return text + input;
  if (name === 'space') return text + ' ';
  return undefined;
}

/** Selects the event `key` in the live events (filter cleared, focus moved); false if it is not there. */
export function jumpToEvent(ctx: KeyContext, key: string): boolean {
  const { deps } = ctx;
  const s = deps.store.getState().state;
  const ui = deps.ui.getState();
  const filters = { ...ui.filters, events: '' };
  const v = eventsView(s, { filters, asOf: ui.asOf });
  const row = s.eventIndex.get(key);
  if (row === undefined) return false;
  // The view without a filter lists events in journal order: the row's index, unless the review
  // cursor hides it (an event journaled after the as-of point).
  const e = s.events.at(row);
  if (!e || row >= v.count || v.at(row)?.key !== key) return false;
  setUi(ctx, {
    dialog: undefined,
    focus: 'events',
    filters,
    cursors: { ...ui.cursors, events: { sel: row, follow: row === v.count - 1 } },
  });
  return true;
}
