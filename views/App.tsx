// The cockpit's root: sizes the panes to the terminal (never taller than it), routes every key
// press through the dispatcher one key at a time, and shows a dialog in place of the body.

import { useMemo, useRef } from 'react';
import { Box, Text, useInput, usePaste, useWindowSize } from 'ink';
import { CockpitProvider, useDeps, useUi, type CockpitDeps } from './context.js';
import { hasTextAfterEnter, isEscChord, pastedText, pieceEnd, splitKeys, splitTyped } from './input-chunks.js';
import { say } from './key-effects.js';
import type { UiState } from './ui-state.js';
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
/** Dialogs drawn as a strip below the panes instead of over them, and the strip's height. */
const STRIP_DIALOGS = new Set(['note', 'filter', 'jump']);
const STRIP_ROWS = 5;

/** Is a text field focused (a dialog that takes typed text)? */
function takesText(d: UiState['dialog']): boolean {
  return (
    !!d &&
    (TEXT_DIALOGS.has(d.kind) ||
      (d.kind === 'plan' && d.stage !== 'review') ||
      (d.kind === 'bundle' && d.stage === 'typing'))
  );
}

function Cockpit() {
  const deps = useDeps();
  const { columns, rows } = useWindowSize();
  const focus = useUi((u) => u.focus);
  const dialog = useUi((u) => u.dialog);
  const zoom = useUi((u) => u.zoom);
  // A one-line field (note, filter, time jump) opens as a strip under the panes: the list a filter
  // narrows stays in view as it is typed, and a note is written with the incident on screen.
  const strip = dialog && STRIP_DIALOGS.has(dialog.kind) && rows - STRIP_ROWS >= MIN_ROWS ? STRIP_ROWS : 0;
  const layout = useMemo(() => computeLayout(columns, rows - strip, focus, zoom), [columns, rows, strip, focus, zoom]);
  const layoutRef = useRef<Layout>(layout);
  layoutRef.current = layout;

  useInput((input, key) => {
    const ctx = { deps, layout: layoutRef.current };
    // Esc pressed just before a key arrives as a Meta chord: it is Esc, then the key (input-chunks.ts).
    if (isEscChord(key)) handleKey('escape', '', ctx);
    const name = keyName(input, key);
    // Key repeat and fast typing deliver several characters in one chunk. In a text field they are
    // text (and Enter submits); anywhere else each character is its own key press, handled in
    // order — the dialog it opens decides what the next one means.
    if (name === input && input.length > 1) {
      // Text after an Enter in the same chunk, typed into a field: a multi-line paste from a
      // terminal without bracketed paste. Submitting the first line would close the field and run
      // the rest as commands ("line one\rline two" would run l, i, n — a new note — …), so the
      // whole chunk is kept as text, as a bracketed paste is, and Enter submits it.
      if (takesText(deps.ui.getState().dialog) && hasTextAfterEnter(input)) {
        const t = pastedText(input);
        if (t) handleKey(t, t, ctx);
        say(ctx, 'several lines arrived at once: kept as text in the field (Enter submits)');
        return;
      }
      for (let at = 0; at < input.length;) {
        const text = takesText(deps.ui.getState().dialog);
        const end = pieceEnd(input, at, text);
        for (const [n, i] of (text ? splitTyped : splitKeys)(input.slice(at, end))) handleKey(n, i, ctx);
        at = end;
      }
      return;
    }
    handleKey(name, input, ctx);
  });
  // A bracketed paste is text for the focused field and nothing else: outside a text field it is
  // refused with a message instead of being read as a stream of commands.
  usePaste((text) => {
    const ctx = { deps, layout: layoutRef.current };
    if (!takesText(deps.ui.getState().dialog)) {
      say(ctx, 'paste ignored: open a text field first (: palette, n note, / filter)', 'error');
      return;
    }
    const t = pastedText(text);
    if (t) handleKey(t, t, ctx);
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
    <Box flexDirection="column" height={layout.rows + strip} width={layout.cols} overflow="hidden">
      <Header width={layout.cols} />
      <Box height={layout.body} width={layout.cols} overflow="hidden" flexDirection={layout.wide ? 'row' : 'column'}>
        {dialog && !strip ? (
          <DialogView dialog={dialog} width={layout.cols} height={layout.body} />
        ) : layout.zoomed ? (
          <ZoomedPane pane={layout.zoomed} box={p[layout.zoomed]} />
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
      {dialog && strip ? <DialogView dialog={dialog} width={layout.cols} height={strip} /> : null}
      <Footer width={layout.cols} />
    </Box>
  );
}

function ZoomedPane({ pane, box }: { pane: Layout['zoomed'] & string; box: Layout['panes']['events'] }) {
  switch (pane) {
    case 'severity':
      return <SeverityPane {...box} focused />;
    case 'timeline':
      return <TimelinePane {...box} focused />;
    case 'events':
      return <EventsPane {...box} focused />;
    case 'actions':
      return <ActionsPane {...box} focused />;
  }
}
