// The incident timeline as JSON, CSV or Markdown, for the channel, the ticket and the post-mortem.
// Every text field may carry attacker-controlled strings (event actors, targets, notes quoting
// them), so each format neutralises what its readers would otherwise execute: terminal escapes
// (the output often lands on a terminal first), spreadsheet formulas in CSV, table breaks in
// Markdown. JSON keeps every character but writes controls as \u escapes, so nothing is lost.

import { neutraliseLine } from '../safety/neutralise.js';
import { mdText as mdCell } from './markdown.js';

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

const iso = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? '' : new Date(ms).toISOString());

// What JSON.stringify leaves raw but a terminal or editor would act on or hide: DEL and C1,
// soft hyphen and invisible joiners, bidi controls, line/paragraph separators, BOM, interlinear
// annotations, and the tag characters (astral: both surrogate halves are escaped).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u00ad\u034f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

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
  const esc = (c: string): string => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(out, null, 2).replace(UNSAFE_IN_JSON, esc) + '\n';
}

/** RFC 4180 quoting, plus a leading quote on cells a spreadsheet would run as a formula (OWASP CSV injection). */
function csvCell(s: string): string {
  let v = neutraliseLine(s);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function timelineCsv(items: readonly TimelineItem[]): string {
  const rows = [['seq', 'time_utc', 'kind', 'actor', 'text', 'event_time_utc', 'discovered_utc'].join(',')];
  for (const i of items) {
    rows.push([String(i.seq), i.ts, i.kind, csvCell(i.actor), csvCell(i.text), iso(i.eventTime), iso(i.discoveredAt)].join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/** "2026-04-20 14:32:05" — the seed's template writes UTC times this way. */
const mdTime = (t: string): string => t.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');

export function timelineMarkdown(items: readonly TimelineItem[], title: string): string {
  const lines = [`# Timeline: ${mdCell(title)}`, '', 'All times UTC.', '', '| Time (UTC) | Kind | Who | What | Event time | Discovered |', '|---|---|---|---|---|---|'];
  for (const i of items) {
    const et = i.eventTime === undefined ? '' : mdTime(iso(i.eventTime));
    const dt = i.discoveredAt === undefined ? '' : mdTime(iso(i.discoveredAt));
    lines.push(`| ${mdTime(i.ts)} | ${i.kind} | ${mdCell(i.actor)} | ${mdCell(i.text)} | ${et} | ${dt} |`);
  }
  return lines.join('\n') + '\n';
}
