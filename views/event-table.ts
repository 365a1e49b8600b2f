// The live events as a table: columns sized from the pane's width AND from what the rows hold,
// in priority order (action, actor, target, source IP, region/namespace, and the account or
// cluster when the rows come from several), so 120 columns show
// whole names instead of 12-character stubs, and narrower panes drop the least useful column
// first. The markers (`!ErrorCode` for a failed call, `+Nm` for late delivery) are never cut:
// a denied StopLogging must never read as a success. Cells are cut on grapheme boundaries and
// measured in terminal columns (string-width, what Ink measures with), never inside a character.

import type { EventRow } from '../store/state.js';
import { fitCell, hms, safe, shortArn, widthOf } from './format.js';

/** The two-letter source tag of a row (and of the event-rate sparklines, pictures.ts). */
export const SOURCE_TAGS: Record<EventRow['source'], string> = {
  cloudtrail: 'CT',
  kubernetes: 'K8',
  'k8s-audit': 'KA',
  falco: 'FA',
  guardduty: 'GD',
};

/** pin(1) + HH:MM:SS(8) + space + source tag(2) + space. */
const HEAD = 13;

type ColumnId = 'action' | 'actor' | 'target' | 'ip' | 'scope' | 'where';

interface ColumnSpec {
  id: ColumnId;
  heading: string;
  /** Below this a column is not worth showing: it is dropped instead. */
  min: number;
  /** What every column gets before any gets more (the first round of sharing). */
  comfortable: number;
  /** Above this a long value is cut: other columns need the room more. */
  cap: number;
  cell(e: EventRow): string;
}

/** Priority order: the first columns get their room first and are dropped last. */
const COLUMNS: readonly ColumnSpec[] = [
  { id: 'action', heading: 'ACTION', min: 10, comfortable: 24, cap: 40, cell: (e) => safe(e.action) },
  { id: 'actor', heading: 'ACTOR', min: 10, comfortable: 32, cap: 48, cell: (e) => safe(shortArn(e.actor)) },
  {
    id: 'target',
    heading: 'TARGET',
    min: 8,
    comfortable: 32,
    cap: 60,
    cell: (e) => safe(e.target ? shortArn(e.target) : ''),
  },
  { id: 'ip', heading: 'SOURCE IP', min: 9, comfortable: 15, cap: 39, cell: (e) => safe(e.sourceIp) },
  { id: 'scope', heading: 'REGION/NS', min: 6, comfortable: 14, cap: 20, cell: (e) => safe(e.scope) },
  // Only when the rows in view come from several accounts or clusters (live --profile / --context
  // more than once): one account's id on every row says nothing.
  { id: 'where', heading: 'ACCOUNT/CLUSTER', min: 12, comfortable: 12, cap: 24, cell: (e) => safe(e.where ?? '') },
];

const MARKS_CAP = 32;

/** The column widths for one pane (0 = not shown), and the room kept for the markers. */
export interface EventColumns {
  widths: Record<ColumnId, number>;
  marks: number;
}

/** The markers of a row: whose call it was and why it needs a second look. ASCII only (Ink's fast path). */
export function eventMarks(e: EventRow): string {
  const late =
    e.discoveredAt - e.eventTime > 5 * 60_000 ? `+${Math.round((e.discoveredAt - e.eventTime) / 60_000)}m` : '';
  const outcome = e.outcome === 'failure' ? `!${safe(e.errorCode ?? 'failed')}` : '';
  // [fb]: firebreak's own call (the response, not the attacker), recognised by its user agent.
  return [e.ownAction ? '[fb]' : '', outcome, late].filter(Boolean).join(' ');
}

/** The markers' reserved room is at least this (`!AccessDenied`); longer ones take more if there is room. */
const MARKS_MIN = 13;

/**
 * Plans the columns for `width` from a sample of the rows (those around the cursor): columns are
 * shown in priority order while their minimums fit, then share the rest fairly up to what their
 * longest value needs (capped). The markers get room for `!AccessDenied` first, then their share.
 */
export function planEventColumns(width: number, sample: readonly EventRow[]): EventColumns {
  const want = new Map<ColumnId, number>();
  let marksWant = 0;
  for (const c of COLUMNS) want.set(c.id, 0);
  for (const e of sample) {
    for (const c of COLUMNS) want.set(c.id, Math.max(want.get(c.id)!, widthOf(c.cell(e))));
    marksWant = Math.max(marksWant, eventMarks(e).length);
  }
  if (new Set(sample.map((e) => e.where)).size < 2) want.set('where', 0);
  marksWant = Math.min(MARKS_CAP, marksWant);
  // At least the heading's width once any row has a marker.
  marksWant = marksWant ? Math.max(marksWant, 'MARKS'.length) : 0;
  let marks = Math.min(marksWant, MARKS_MIN);
  const widths = { action: 0, actor: 0, target: 0, ip: 0, scope: 0, where: 0 } as Record<ColumnId, number>;
  let room = width - HEAD - (marks ? marks + 1 : 0);
  const shown: ColumnSpec[] = [];
  for (const c of COLUMNS) {
    // A column nothing in the sample fills is not shown (no IPs in a Kubernetes feed).
    if (want.get(c.id)! === 0 && c.id !== 'action') continue;
    // An address is read whole or not at all: "203.0.113.~" names no one. An IPv4 address gets its
    // full width as the minimum (an IPv6 one is still cut at the comfortable width).
    const min = c.id === 'ip' ? Math.max(c.min, Math.min(want.get(c.id)!, c.comfortable)) : c.min;
    if (room < min + 1) break;
    shown.push(c);
    widths[c.id] = min;
    room -= min + 1;
  }
  // What is left is shared out fairly (water-filling) in two rounds: first every column up to a
  // comfortable width (an API name, a role/session, an IPv4 address, `!AccessDenied +7m`), then
  // up to what its longest value needs — so one long GuardDuty finding type cannot starve the
  // actor column, and an IP is cut only when nothing else can give.
  const parts = [
    ...shown.map((c) => ({
      get: () => widths[c.id],
      add: (n: number) => (widths[c.id] += n),
      comfortable: Math.min(c.comfortable, want.get(c.id)!),
      goal: Math.min(c.cap, want.get(c.id)!),
    })),
    { get: () => marks, add: (n: number) => (marks += n), comfortable: marksWant, goal: marksWant },
  ];
  // Round 0: the action first (what a responder reads first), then everyone.
  const rounds = [
    { only: parts[0], level: 'comfortable' as const },
    { level: 'comfortable' as const },
    { level: 'goal' as const },
  ];
  for (const { only, level: round } of rounds) {
    for (;;) {
      const hungry = parts.filter((p) => (!only || p === only) && p.get() < p[round]);
      if (room <= 0 || hungry.length === 0) break;
      const share = Math.max(1, Math.floor(room / hungry.length));
      for (const p of hungry) {
        const more = Math.min(share, p[round] - p.get(), room);
        p.add(more);
        room -= more;
        if (room <= 0) break;
      }
    }
  }
  return { widths, marks };
}

/** The heading line for the planned columns (same geometry as the rows). */
export function eventHeading(cols: EventColumns, width: number): string {
  // The selection gutter and the pin column, then the time; the source tag (CT, K8…) needs no heading.
  let s = '  TIME        ';
  for (const c of COLUMNS) if (cols.widths[c.id]) s += fitCell(c.heading, cols.widths[c.id]) + ' ';
  if (cols.marks) s += 'MARKS';
  return fitCell(s, width);
}

/** One row at exactly `width` columns; the markers always whole, at the end. */
export function eventRowText(e: EventRow, width: number, pinned: boolean, cols: EventColumns): string {
  const head = `${pinned ? '*' : ' '}${hms(e.eventTime)} ${SOURCE_TAGS[e.source]} `;
  let body = '';
  for (const c of COLUMNS) if (cols.widths[c.id]) body += fitCell(c.cell(e), cols.widths[c.id]) + ' ';
  const marks = eventMarks(e);
  const row = head + body;
  if (widthOf(row) + marks.length <= width) return fitCell(row + marks, width);
  // A row whose markers are longer than the room kept gives up the end of its last columns.
  const before = Math.max(0, width - marks.length - 1);
  return fitCell(fitCell(row, before) + (before ? ' ' : '') + marks, width);
}

/** One events row with columns planned for this row alone (tests, exports of a single row). */
export function eventLine(e: EventRow, width: number, pinned: boolean): string {
  return eventRowText(e, width, pinned, planEventColumns(width, [e]));
}
