// Pane sizes from the terminal size. The root is exactly `rows` tall — never taller (a frame
// taller than the terminal forces a full clear every frame: flicker,
// https://github.com/vadimdemedes/ink/issues/359).

import type { PaneId } from './ui-state.js';

export interface PaneBox {
  height: number;
  width: number;
}

export interface Layout {
  cols: number;
  rows: number;
  wide: boolean;
  header: number;
  footer: number;
  body: number;
  /** The pane that has the whole body, when zoomed. */
  zoomed?: PaneId;
  panes: Record<PaneId, PaneBox>;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 16;
/** From this width the panes sit side by side (two columns). */
export const WIDE_COLS = 160;

export function computeLayout(cols: number, rows: number, focus: PaneId, zoom = false): Layout {
  const c = Math.max(cols, 20);
  const r = Math.max(rows, 6);
  const header = 2;
  const footer = 1;
  const body = Math.max(0, r - header - footer);
  if (zoom) {
    // Zoomed (z): the focused pane is the whole body; the others are not drawn at all.
    const none = { height: 0, width: 0 };
    const panes = { severity: none, timeline: none, events: none, actions: none };
    return {
      cols: c,
      rows: r,
      wide: false,
      header,
      footer,
      body,
      zoomed: focus,
      panes: { ...panes, [focus]: { height: body, width: c } },
    };
  }
  // Side by side only where the events table still gets ~95 columns: at 120 columns two halves
  // cut every name to a stub, so the panes stack and each list gets the whole width.
  const wide = c >= WIDE_COLS && r >= 30;
  if (wide) {
    const left = Math.floor(c / 2);
    const right = c - left - 1;
    const severity = Math.min(body - 6, r >= 45 ? 16 : 4);
    // The focused actions pane gets half the column: its plans and history need the room.
    const actions = focus === 'actions' ? Math.floor(body / 2) : Math.min(8, Math.floor(body / 4));
    return {
      cols: c,
      rows: r,
      wide,
      header,
      footer,
      body,
      panes: {
        severity: { height: severity, width: left },
        timeline: { height: body - severity, width: left },
        events: { height: body - actions, width: right },
        actions: { height: actions, width: right },
      },
    };
  }
  // Stacked: the focused list gets the room; the other keeps a few rows of context.
  const severity = Math.min(4, Math.max(2, Math.floor(body / 6)));
  const actions =
    focus === 'actions'
      ? Math.max(3, Math.floor((body - severity) * 0.45))
      : Math.min(3, Math.max(2, Math.floor(body / 8)));
  const lists = Math.max(0, body - severity - actions);
  const big = Math.ceil(lists * (focus === 'timeline' || focus === 'events' ? 0.62 : 0.45));
  const timeline = focus === 'timeline' ? big : lists - (focus === 'events' ? big : lists - big);
  return {
    cols: c,
    rows: r,
    wide,
    header,
    footer,
    body,
    panes: {
      severity: { height: severity, width: c },
      timeline: { height: timeline, width: c },
      events: { height: lists - timeline, width: c },
      actions: { height: actions, width: c },
    },
  };
}

/** A list pane this tall (title + heading + 4 rows) shows its column heading (the events table). */
export const HEADING_MIN_HEIGHT = 6;

/** A timeline this tall keeps its last line for the detections' time axis. */
export const AXIS_MIN_HEIGHT = 8;

/** Rows of a list pane that hold rows: less its title, the events' heading or the timeline's axis. */
export function listRows(pane: 'timeline' | 'events', height: number): number {
  const extra = pane === 'events' ? height >= HEADING_MIN_HEIGHT : height >= AXIS_MIN_HEIGHT;
  return Math.max(0, height - 1 - (extra ? 1 : 0));
}
