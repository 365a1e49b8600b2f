// The actions that apply to the selected event's targets, evidence first; each one that cannot
// run says why (lazygit's GetDisabledReason).

import { Box, Text } from 'ink';
import { ACTIONS, targetsOf, unavailableReason } from '../../src/actions/catalog.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { PaneTitle } from '../components/PaneTitle.js';
import { safe } from '../format.js';
import { useEventsView } from './ListPanes.js';
import { selectedIndex } from '../list-views.js';

export function ActionsPane({ height, width, focused }: { height: number; width: number; focused: boolean }) {
  const { theme, mode } = useDeps();
  const v = useEventsView();
  const cursor = useUi((u) => u.cursors.events);
  const armed = useIncident((s) => s.state.armed.length > 0);
  const sel = selectedIndex(cursor, v.count);
  const ev = sel >= 0 ? v.at(sel) : undefined;
  const targets = ev ? targetsOf(ev) : [];
  const rows: { text: string; color?: string | undefined }[] = [];
  for (const t of targets) {
    for (const a of ACTIONS.filter((x) => x.kind === t.kind).sort((x, y) => Number(y.evidence) - Number(x.evidence))) {
      const why = unavailableReason(a, { mode, armed, executorAvailable: false });
      rows.push({ text: `${a.evidence ? '◆' : a.destructive ? '!' : '·'} ${a.title} — ${safe(t.label)}${why ? `  [${why}]` : ''}`, color: why ? theme.muted : undefined });
    }
  }
  const info = ev ? `for ${targets.length ? targets.map((t) => safe(t.label)).join(', ') : 'this event'}` : 'select an event';
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <PaneTitle n={4} title="Actions" info={info} focused={focused} />
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {ev ? ' no containment action applies to this event (no role, key, instance, bucket, pod or namespace in it)' : ' select an event in the live events pane (3)'}
        </Text>
      ) : (
        rows.slice(0, Math.max(0, height - 1)).map((r, i) => (
          <Text key={i} wrap="truncate" {...(r.color ? { color: r.color } : {})}>
            {' ' + r.text}
          </Text>
        ))
      )}
    </Box>
  );
}
