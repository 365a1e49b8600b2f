// The filtered list views shared by the panes and the key dispatcher (one memo each, so the
// dispatcher's "row under the cursor" is the row the pane shows).

import { createFilteredView, type ListView } from '../store/filter-index.js';
import type { EventRow, IncidentState, TimelineEntry } from '../store/state.js';
import { eventSearchText, timelineSearchText } from './format.js';
import type { ListCursor, ListPane, UiState } from './ui-state.js';

const timeline = createFilteredView<TimelineEntry>(timelineSearchText);
const events = createFilteredView<EventRow>(eventSearchText);

export function timelineView(
  s: IncidentState,
  ui: Pick<UiState, 'filters' | 'asOf'> & { everyStep?: boolean },
): ListView<TimelineEntry> {
  const asOf = ui.asOf ?? s.seq;
  const base = timeline(s.timeline, ui.filters.timeline, asOf);
  return ui.everyStep ? base : foldSteps(s, base, asOf);
}

/**
 * One row per action: its latest step as of `asOf` (where the action stands now, at the time it
 * got there), with how many steps it took so far. An action runs through up to
 * six steps (planned, dry run, confirmed, started, outcome, read-back); listed one by one they
 * pushed everything else off a 24-row screen. The hidden steps are few (tens of actions), so the
 * fold is a sorted list of positions to skip over the filtered view, not a copy of it.
 */
function foldSteps(s: IncidentState, base: ListView<TimelineEntry>, asOf: number): ListView<TimelineEntry> {
  const hidden: number[] = [];
  const stepsOf = new Map<number, { n: number }>();
  for (const steps of s.actionSteps.values()) {
    let n = 0;
    while (n < steps.length && s.timeline.at(steps[n]!)!.seq <= asOf) n++;
    if (n === 0) continue;
    for (let i = 0; i < n - 1; i++) {
      const p = base.indexOfLog(steps[i]!);
      if (p >= 0) hidden.push(p);
    }
    if (n > 1) stepsOf.set(steps[n - 1]!, { n });
  }
  if (hidden.length === 0 && stepsOf.size === 0) return base;
  hidden.sort((a, b) => a - b);
  const basePos = (i: number): number => {
    let j = i;
    for (const p of hidden) {
      if (p > j) break;
      j++;
    }
    return j;
  };
  return {
    count: base.count - hidden.length,
    at: (i) => {
      const e = base.at(basePos(i));
      if (!e) return undefined;
      const li = e.actionId ? (s.actionSteps.get(e.actionId) ?? []).find((x) => s.timeline.at(x) === e) : undefined;
      const folded = li === undefined ? undefined : stepsOf.get(li);
      return folded ? { ...e, text: `[${folded.n} steps] ${e.text}` } : e;
    },
    indexOfLog: (li) => {
      const p = base.indexOfLog(li);
      if (p < 0) return -1;
      let before = 0;
      for (const h of hidden) {
        if (h === p) return -1;
        if (h > p) break;
        before++;
      }
      return p - before;
    },
  };
}

export function eventsView(s: IncidentState, ui: Pick<UiState, 'filters' | 'asOf'>): ListView<EventRow> {
  return events(s.events, ui.filters.events, ui.asOf ?? s.seq);
}

export function listView(
  pane: ListPane,
  s: IncidentState,
  ui: Pick<UiState, 'filters' | 'asOf' | 'everyStep'>,
): ListView<TimelineEntry | EventRow> {
  return pane === 'timeline' ? timelineView(s, ui) : eventsView(s, ui);
}

/** The selected index: following means the newest row. */
export function selectedIndex(cursor: ListCursor, count: number): number {
  if (count === 0) return -1;
  return cursor.follow ? count - 1 : Math.min(cursor.sel, count - 1);
}
