// The two long lists: the incident timeline and the live events. Both are windowed, filterable
// (`/`) and scrub with the review cursor; only the rows in view are rendered.

import { useMemo } from 'react';
import { Box } from 'ink';
import { isPinnedAsOf } from '../../store/selectors.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { PaneTitle } from '../components/PaneTitle.js';
import { WindowedList } from '../components/WindowedList.js';
import { eventLine, timelineLine } from '../format.js';
import { eventsView, selectedIndex, timelineView } from '../list-views.js';

interface PaneProps {
  height: number;
  width: number;
  focused: boolean;
}

export function useTimelineView() {
  const state = useIncident((s) => s.state);
  const filters = useUi((u) => u.filters);
  const asOf = useUi((u) => u.asOf);
  return useMemo(() => timelineView(state, { filters, asOf }), [state, filters, asOf]);
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
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle n={2} title="Timeline (UTC)" info={info} focused={focused} />
      <WindowedList
        count={v.count}
        sel={sel}
        height={height - 1}
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
  const info = `${v.count}${filter ? ` matching "${filter}"` : ''} of ${state.events.length}${cursor.follow ? ' · following' : ' · scrolled (G follows)'}`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle n={3} title="Live events" info={info} focused={focused} />
      <WindowedList
        count={v.count}
        sel={sel}
        height={height - 1}
        focused={focused}
        row={(i) => {
          const e = v.at(i)!;
          return eventLine(e, width - 1, isPinnedAsOf(state, e.key, asOf));
        }}
        color={(i) => (v.at(i)?.outcome === 'failure' ? theme.warn : undefined)}
        empty={filter ? `nothing matches "${filter}" — Esc clears the filter` : 'no events yet'}
      />
    </Box>
  );
}
