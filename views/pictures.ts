// Small pictures that answer "is it still happening?" at a glance: a sparkline of
// events per minute for each source in the live-events title, a time axis with the detections
// under the timeline, and a phase bar in the header. Pure `(state) → text`, like format.ts.
// Bars are drawn with the eight block elements (U+2581…U+2588), as spark(1) and sparkly do:
// https://github.com/holman/spark

import type { ChunkedLog } from '../store/chunked.js';
import type { EventRow, TimelineEntry } from '../store/state.js';
import { PHASES, type PhaseId } from '../src/domain/phases.js';
import { SOURCE_TAGS } from './event-table.js';
import { hms } from './format.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Counts as a sparkline: 0 is the lowest bar only when everything is 0 (a space otherwise). */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  if (max === 0) return BLOCKS[0]!.repeat(counts.length);
  return counts
    .map((n) => (n === 0 ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil((n / max) * BLOCKS.length) - 1)]!))
    .join('');
}

/** How far back a rate scan reads at most (the newest rows): a picture, not an audit. */
const SCAN_MAX = 50_000;

/**
 * Events per minute per source over the last `minutes` minutes of the feed's own time (the
 * newest event time among the rows up to `limit`), newest minute last. Events arrive roughly in
 * time order, so the scan walks back from the newest row and stops well past the window.
 */
export function eventRates(
  events: ChunkedLog<EventRow>,
  limit: number,
  minutes: number,
): { end: number; bySource: Map<string, number[]> } {
  const bySource = new Map<string, number[]>();
  const last = Math.min(limit, events.length) - 1;
  if (last < 0 || minutes <= 0) return { end: 0, bySource };
  let end = 0;
  for (let i = last; i >= Math.max(0, last - 200); i--) end = Math.max(end, events.at(i)!.eventTime);
  const bucketEnd = Math.floor(end / 60_000) + 1;
  const start = (bucketEnd - minutes) * 60_000;
  let old = 0;
  for (let i = last; i >= Math.max(0, last - SCAN_MAX) && old < 1000; i--) {
    const e = events.at(i)!;
    if (e.eventTime < start) {
      old++;
      continue;
    }
    old = 0;
    const b = Math.floor(e.eventTime / 60_000) - (bucketEnd - minutes);
    if (b < 0 || b >= minutes) continue;
    const tag = SOURCE_TAGS[e.source];
    let row = bySource.get(tag);
    if (!row) bySource.set(tag, (row = new Array<number>(minutes).fill(0)));
    row[b]!++;
  }
  return { end, bySource };
}

/** "CT ▁▃█▅ 42/m · K8 ▁▁▂ 3/m": each source's last minutes and its peak per minute. */
export function rateTitle(rates: ReturnType<typeof eventRates>): string {
  return [...rates.bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, counts]) => `${tag} ${sparkline(counts)} ${Math.max(...counts)}/m`)
    .join(' · ');
}

/**
 * One line: the incident's span from `from` to `to` with a `^` at each detection's event time
 * (a `*` where several fall in one column), the ends labelled with their times.
 */
export function detectionAxis(
  detections: ChunkedLog<TimelineEntry>,
  asOf: number,
  from: number,
  to: number,
  width: number,
): string {
  const left = `${hms(from).slice(0, 5)} `;
  const right = ` ${hms(to).slice(0, 5)}`;
  const n = detections.partitionPoint((d) => d.seq <= asOf);
  const label = ` ${n} det`;
  const w = width - left.length - right.length - label.length;
  if (w < 8 || !(to > from)) return '';
  const cells = new Array<string>(w).fill('-');
  for (let i = 0; i < n; i++) {
    const d = detections.at(i)!;
    const t = d.eventTime ?? Date.parse(d.ts);
    const c = Math.min(w - 1, Math.max(0, Math.floor(((t - from) / (to - from)) * w)));
    cells[c] = cells[c] === '-' ? '^' : '*';
  }
  return left + cells.join('') + right + label;
}

/** "▰▰▰▱▱▱▱▱ 3/8": where the incident is in the lifecycle. */
export function phaseBar(phase: PhaseId): string {
  const i = PHASES.findIndex((p) => p.id === phase);
  return `${'▰'.repeat(i + 1)}${'▱'.repeat(PHASES.length - i - 1)} ${i + 1}/${PHASES.length}`;
}
