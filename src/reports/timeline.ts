// The incident timeline as JSON, CSV or Markdown, for the channel, the ticket and the post-mortem.
// Every text field may carry attacker-controlled strings (event actors, targets, notes quoting
// them), so each format neutralises what its readers would otherwise execute: terminal escapes
// (the output often lands on a terminal first), spreadsheet formulas in CSV, table breaks in
// Markdown. JSON keeps every character but writes controls as \u escapes, so nothing is lost.

import { csvCell, jsonText, mdText } from './escape.js';

export interface TimelineItem {
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  text: string;
  eventTime?: number;
  discoveredAt?: number;
}

export type TimelineFormat = 'json' | 'csv' | 'md';

const iso = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '' : new Date(ms).toISOString();

export function timelineJson(items: readonly TimelineItem[], incident: Record<string, unknown>): string {
  const out = {
    incident,
    timeline: items.map((i) => ({
      seq: i.seq,
      ts: i.ts,
      kind: i.kind,
      actor: i.actor,
      text: i.text,
      ...(i.eventTime !== undefined ? { eventTime: iso(i.eventTime) } : {}),
      ...(i.discoveredAt !== undefined ? { discoveredAt: iso(i.discoveredAt) } : {}),
    })),
  };
  return jsonText(out);
}

export function timelineCsv(items: readonly TimelineItem[]): string {
  const rows = [['seq', 'time_utc', 'kind', 'actor', 'text', 'event_time_utc', 'discovered_utc'].join(',')];
  for (const i of items) {
    rows.push(
      [
        String(i.seq),
        csvCell(i.ts),
        csvCell(i.kind),
        csvCell(i.actor),
        csvCell(i.text),
        iso(i.eventTime),
        iso(i.discoveredAt),
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** "2026-04-20 14:32:05" — the seed's template writes UTC times this way. */
const mdTime = (t: string): string => t.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');

export function timelineMarkdown(items: readonly TimelineItem[], title: string): string {
  const lines = [
    `# Timeline: ${mdText(title)}`,
    '',
    'All times UTC.',
    '',
    '| Time (UTC) | Kind | Who | What | Event time | Discovered |',
    '|---|---|---|---|---|---|',
  ];
  for (const i of items) {
    const et = i.eventTime === undefined ? '' : mdTime(iso(i.eventTime));
    const dt = i.discoveredAt === undefined ? '' : mdTime(iso(i.discoveredAt));
    lines.push(
      `| ${mdText(mdTime(i.ts))} | ${mdText(i.kind)} | ${mdText(i.actor)} | ${mdText(i.text)} | ${et} | ${dt} |`,
    );
  }
  return lines.join('\n') + '\n';
}
