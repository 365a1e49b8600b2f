// The two long lists: the incident timeline and the live events. Both are windowed, filterable
// (`/`) and scrub with the review cursor; only the rows in view are rendered.

import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { isPinnedAsOf } from '../../store/selectors.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { PaneTitle } from '../components/PaneTitle.js';
import { WindowedList } from '../components/WindowedList.js';
import { listRows } from '../layout.js';
import { detectionAxis, eventRates, rateTitle } from '../pictures.js';
import type { IncidentState } from '../../store/state.js';
import { timelineLine } from '../format.js';
import { eventHeading, eventRowText, planEventColumns } from '../event-table.js';
import { eventsView, selectedIndex, timelineView } from '../list-views.js';

/** Minutes of the per-source event-rate sparkline in the live-events title. */
const RATE_MINUTES = 15;

/** The axis spans the first record (or an earlier detected event) to the last record as of `asOf`. */
function timelineAxis(state: IncidentState, asOf: number, width: number): string {
  const n = state.recordTimes.length;
  if (n === 0 || state.detections.length === 0) return '';
  const first = state.detections.at(0)!;
  const from = Math.min(state.recordTimes.at(0)!, first.eventTime ?? Infinity);
  const to = state.recordTimes.at(Math.min(n, asOf) - 1)!;
  return detectionAxis(state.detections, asOf, from, to, width);
}

/** Rows either side of the cursor's bucket that size the columns. */
const SAMPLE = 100;

interface PaneProps {
  height: number;
  width: number;
  focused: boolean;
}

export function useTimelineView() {
  const state = useIncident((s) => s.state);
  const filters = useUi((u) => u.filters);
  const asOf = useUi((u) => u.asOf);
  const everyStep = useUi((u) => u.everyStep);
  return useMemo(() => timelineView(state, { filters, asOf, everyStep }), [state, filters, asOf, everyStep]);
}

export function useEventsView() {
  const state = useIncident((s) => s.state);
  const filters = useUi((u) => u.filters);
  const asOf = useUi((u) => u.asOf);
  return useMemo(() => eventsView(state, { filters, asOf }), [state, filters, asOf]);
}

export function TimelinePane({ height, width, focused }: PaneProps) {
  const { theme } = useDeps();
  const v = useTimelineView();
  const cursor = useUi((u) => u.cursors.timeline);
  const filter = useUi((u) => u.filters.timeline);
  const sel = Math.max(0, selectedIndex(cursor, v.count));
  const info = `${v.count} entries${filter ? ` matching "${filter}"` : ''}${cursor.follow ? '' : ' · scrolled'}`;
  const state = useIncident((s) => s.state);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  // The detections on the incident's time axis, as the last line when the pane has the room.
  const rows = listRows('timeline', height);
  const axis = rows < height - 1 ? timelineAxis(state, asOf, width - 2) || 'no detections yet' : '';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle n={2} title="Timeline (UTC)" info={info} focused={focused} />
      <WindowedList
        count={v.count}
        sel={sel}
        height={rows}
        focused={focused}
        row={(i) => timelineLine(v.at(i)!, width - 1)}
        color={(i) => {
          const k = v.at(i)?.kind;
          return k === 'detection'
            ? theme.danger
            : k === 'severity' || k === 'phase'
              ? theme.accent
              : k === 'inject'
                ? theme.warn
                : undefined;
        }}
        empty={filter ? `nothing matches "${filter}" — Esc clears the filter` : 'nothing recorded yet — n adds a note'}
      />
      {axis ? (
        <Text
          wrap="truncate"
          dimColor={!/[\^*]/.test(axis)}
          {...(theme.danger && /[\^*]/.test(axis) ? { color: theme.danger } : {})}
        >
          {` ${axis}`}
        </Text>
      ) : null}
    </Box>
  );
}

export function EventsPane({ height, width, focused }: PaneProps) {
  const { theme } = useDeps();
  const state = useIncident((s) => s.state);
  const v = useEventsView();
  const cursor = useUi((u) => u.cursors.events);
  const filter = useUi((u) => u.filters.events);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  const sel = Math.max(0, selectedIndex(cursor, v.count));
  const rates = useMemo(
    () =>
      rateTitle(
        eventRates(
          state.events,
          state.events.partitionPoint((e) => e.seq <= asOf),
          RATE_MINUTES,
        ),
      ),
    [state.events, state.events.length, asOf],
  );
  const info = `${v.count}${filter ? ` matching "${filter}"` : ''} of ${state.events.length}${cursor.follow ? ' · following' : ' · scrolled (G follows)'}${rates ? ` · ${rates}` : ''}`;
  // Columns from the rows around the cursor (a window either side of it), so widths follow the
  // content without re-measuring the whole feed on every key.
  const bucket = Math.floor(sel / SAMPLE);
  const cols = useMemo(() => {
    const sample = [];
    const from = Math.max(0, Math.min(bucket * SAMPLE - SAMPLE, v.count - 3 * SAMPLE));
    for (let i = from; i < Math.min(v.count, from + 3 * SAMPLE); i++) sample.push(v.at(i)!);
    return planEventColumns(width - 1, sample);
  }, [v, bucket, width]);
  const rows = listRows('events', height);
  const heading = rows < height - 1;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle n={3} title="Live events" info={info} focused={focused} />
      {heading ? (
        <Text dimColor wrap="truncate">
          {eventHeading(cols, width)}
        </Text>
      ) : null}
      <WindowedList
        count={v.count}
        sel={sel}
        height={rows}
        focused={focused}
        row={(i) => {
          const e = v.at(i)!;
          return eventRowText(e, width - 1, isPinnedAsOf(state, e.key, asOf), cols);
        }}
        color={(i) => (v.at(i)?.outcome === 'failure' ? theme.warn : undefined)}
        empty={filter ? `nothing matches "${filter}" — Esc clears the filter` : 'no events yet'}
      />
    </Box>
  );
}
