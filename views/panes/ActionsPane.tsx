// The actions pane: what can be done about the selected event's targets (evidence first; each
// action that cannot run says why — lazygit's GetDisabledReason) and, below, what the incident has
// done so far with each action's status, in-doubt ones first, so a responder sees what was done.

import { Box } from 'ink';
import { actionRows } from '../action-rows.js';
import { actionColour, actionLine } from '../action-lines.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { PaneTitle } from '../components/PaneTitle.js';
import { WindowedList } from '../components/WindowedList.js';
import { safe } from '../format.js';
import { useMemo } from 'react';

export function ActionsPane({ height, width, focused }: { height: number; width: number; focused: boolean }) {
  const { theme, mode, actions, readOnly } = useDeps();
  const state = useIncident((s) => s.state);
  const loadedSeq = useIncident((s) => s.meta.loadedSeq);
  const filters = useUi((u) => u.filters);
  const asOf = useUi((u) => u.asOf);
  const cursors = useUi((u) => u.cursors);
  const actionSel = useUi((u) => u.actionSel);
  const r = useMemo(
    () => actionRows({ session: actions, readOnly: !!readOnly, state, ui: { filters, asOf, cursors }, loadedSeq }),
    [actions, readOnly, state, filters, asOf, cursors, loadedSeq],
  );
  const done = r.rows.length - r.offered;
  const facts = [
    r.targets.length ? `for ${r.targets.map((t) => safe(t.label)).join(', ')}` : '',
    done ? `${done} done so far` : '',
    r.inDoubt ? `${r.inDoubt} IN DOUBT` : '',
    mode !== 'review' && actions?.blocked ? safe(actions.blocked) : '',
  ].filter(Boolean);
  const empty =
    mode === 'review'
      ? ' no actions taken as of this record'
      : r.targets.length
        ? ' no containment or evidence action applies to these targets in this session'
        : ' select an event in the live events pane (3) to see what can be done about it';
  const sel = Math.max(0, Math.min(r.rows.length - 1, actionSel));
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <PaneTitle n={4} title="Actions" info={facts.join(' · ')} focused={focused} />
      <WindowedList
        count={r.rows.length}
        sel={focused ? sel : -1}
        height={Math.max(0, height - 1)}
        focused={focused}
        row={(i) => actionLine(r.rows[i]!)}
        color={(i) => actionColour(r.rows[i]!, theme)}
        empty={empty}
      />
    </Box>
  );
}
