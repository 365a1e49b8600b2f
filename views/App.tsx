// The cockpit's root: sizes the panes to the terminal (never taller than it), routes every key
// press through the dispatcher one key at a time, and shows a dialog in place of the body.

import { useMemo, useRef } from 'react';
import { Box, Text, useInput, useWindowSize } from 'ink';
import { CockpitProvider, useDeps, useUi, type CockpitDeps } from './context.js';
import { handleKey } from './dispatch.js';
import { keyName } from './keymap.js';
import { computeLayout, MIN_COLS, MIN_ROWS, type Layout } from './layout.js';
import { DialogView } from './dialogs/Dialogs.js';
import { Header } from './panes/Header.js';
import { Footer } from './panes/Footer.js';
import { SeverityPane } from './panes/SeverityPane.js';
import { EventsPane, TimelinePane } from './panes/ListPanes.js';
import { ActionsPane } from './panes/ActionsPane.js';

export function App({ deps }: { deps: CockpitDeps }) {
  return (
    <CockpitProvider deps={deps}>
      <Cockpit />
    </CockpitProvider>
  );
}

const TEXT_DIALOGS = new Set(['note', 'filter', 'palette', 'jump', 'role', 'arm']);

/**
 * A chunk typed or pasted into a text field, as key presses: runs of text stay whole; a pasted
 * newline or tab becomes a space (a paste must never submit the field); Ctrl-U and backspace keep
 * their meaning; any other control character is dropped.
 */
export function splitPaste(chunk: string): [name: string, input: string][] {
  const out: [string, string][] = [];
  let run = '';
  const flush = () => {
    if (run) out.push([run, run]);
    run = '';
  };
  for (const ch of chunk) {
    if (ch === '\n' || ch === '\r' || ch === '\t') run += ' ';
    else if (ch === '\x15') (flush(), out.push(['ctrl-u', 'u']));
    else if (ch === '\x7f' || ch === '\b') (flush(), out.push(['backspace', '']));
    else if (!/[\u0000-\u001f\u007f-\u009f]/.test(ch)) run += ch;
  }
  flush();
  return out;
}

function Cockpit() {
  const deps = useDeps();
  const { columns, rows } = useWindowSize();
  const focus = useUi((u) => u.focus);
  const dialog = useUi((u) => u.dialog);
  const layout = useMemo(() => computeLayout(columns, rows, focus), [columns, rows, focus]);
  const layoutRef = useRef<Layout>(layout);
  layoutRef.current = layout;

  useInput((input, key) => {
    const ctx = { deps, layout: layoutRef.current };
    const name = keyName(input, key);
    const d = deps.ui.getState().dialog;
    // Key repeat and paste deliver several characters in one chunk. In a text field they are
    // text; anywhere else each character is its own key press, handled in order.
    if (name === input && input.length > 1) {
      if (d && (TEXT_DIALOGS.has(d.kind) || (d.kind === 'plan' && d.stage !== 'review')))
        for (const [n, i] of splitPaste(input)) handleKey(n, i, ctx);
      else for (const ch of input) handleKey(ch === ' ' ? 'space' : ch, ch, ctx);
      return;
    }
    handleKey(name, input, ctx);
  });

  if (columns < MIN_COLS || rows < MIN_ROWS) {
    return (
      <Box height={Math.max(1, rows)} width={columns}>
        <Text wrap="truncate">{`firebreak needs at least ${MIN_COLS}x${MIN_ROWS} (this is ${columns}x${rows}); q quits`}</Text>
      </Box>
    );
  }
  const p = layout.panes;
  return (
    <Box flexDirection="column" height={layout.rows} width={layout.cols} overflow="hidden">
      <Header width={layout.cols} />
      <Box height={layout.body} width={layout.cols} overflow="hidden" flexDirection={layout.wide ? 'row' : 'column'}>
        {dialog ? (
          <DialogView dialog={dialog} width={layout.cols} height={layout.body} />
        ) : layout.wide ? (
          <>
            <Box flexDirection="column" width={p.severity.width}>
              <SeverityPane {...p.severity} focused={focus === 'severity'} />
              <TimelinePane {...p.timeline} focused={focus === 'timeline'} />
            </Box>
            <Box width={1} />
            <Box flexDirection="column" width={p.events.width}>
              <EventsPane {...p.events} focused={focus === 'events'} />
              <ActionsPane {...p.actions} focused={focus === 'actions'} />
            </Box>
          </>
        ) : (
          <>
            <SeverityPane {...p.severity} focused={focus === 'severity'} />
            <TimelinePane {...p.timeline} focused={focus === 'timeline'} />
            <EventsPane {...p.events} focused={focus === 'events'} />
            <ActionsPane {...p.actions} focused={focus === 'actions'} />
          </>
        )}
      </Box>
      <Footer width={layout.cols} />
    </Box>
  );
}
