// The filtered list views shared by the panes and the key dispatcher (one memo each, so the
// dispatcher's "row under the cursor" is the row the pane shows).

import { createFilteredView, type ListView } from '../store/filter-index.js';
import type { EventRow, IncidentState, TimelineEntry } from '../store/state.js';
import { eventSearchText, timelineSearchText } from './format.js';
import type { ListCursor, ListPane, UiState } from './ui-state.js';

const timeline = createFilteredView<TimelineEntry>(timelineSearchText);
const events = createFilteredView<EventRow>(eventSearchText);

export function timelineView(s: IncidentState, ui: Pick<UiState, 'filters' | 'asOf'>): ListView<TimelineEntry> {
  return timeline(s.timeline, ui.filters.timeline, ui.asOf ?? s.seq);
}

export function eventsView(s: IncidentState, ui: Pick<UiState, 'filters' | 'asOf'>): ListView<EventRow> {
  return events(s.events, ui.filters.events, ui.asOf ?? s.seq);
}

export function listView(
  pane: ListPane,
  s: IncidentState,
  ui: Pick<UiState, 'filters' | 'asOf'>,
): ListView<TimelineEntry | EventRow> {
  return pane === 'timeline' ? timelineView(s, ui) : eventsView(s, ui);
}

/** The selected index: following means the newest row. */
export function selectedIndex(cursor: ListCursor, count: number): number {
  if (count === 0) return -1;
  return cursor.follow ? count - 1 : Math.min(cursor.sel, count - 1);
}
