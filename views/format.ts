// Pure text renderers for rows and times (`(row, width) → text`, tested with
// fixtures). Every string that came from outside passes through neutraliseLine here, at the last
// step before the terminal: the journal keeps the raw bytes as evidence, the screen never sees them.

// Subpath import: the package root pulls in all of date-fns (~1 s of cold start, bench/cold-start.js).
import { format } from 'date-fns/format';
import stringWidth from 'string-width';
import { UTCDate } from '@date-fns/utc';
import { neutraliseLine } from '../src/safety/neutralise.js';
import { redactText } from '../src/safety/redact.js';
import type { EventRow, TimelineEntry } from '../store/state.js';
import { bindingsFor, keyLabel, scopeTitle, type Mode, type Scope } from './keymap.js';

/** Attacker-controlled text, made safe to show: secrets redacted, controls made visible. */
export function safe(s: string): string {
  return neutraliseLine(redactText(s));
}

export function hms(ms: number): string {
  return Number.isNaN(ms) ? '--:--:--' : format(new UTCDate(ms), 'HH:mm:ss');
}

export function dateHms(ms: number): string {
  return Number.isNaN(ms) ? '' : format(new UTCDate(ms), 'yyyy-MM-dd HH:mm:ss');
}

/** "1h05m", "12m30s", "45s" — durations on the header. Negative durations keep their sign. */
export function duration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${sign}${d}d${String(h).padStart(2, '0')}h`;
  if (h) return `${sign}${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${sign}${m}m${String(s).padStart(2, '0')}s`;
  return `${sign}${s}s`;
}

const ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function widthOf(s: string): number {
  return ASCII.test(s) ? s.length : stringWidth(s);
}

/**
 * `s` in exactly `n` terminal columns: padded, or cut with `~` — on a grapheme boundary and by
 * display width, so a wide character or an emoji with its modifiers is kept whole or left out,
 * never split. Markers stay ASCII (`~`, `*`, `!`): Ink measures every line with string-width,
 * whose fast path is ASCII-only — one `…` makes a row ~200× slower to measure, which was 43 % of
 * the cost of a key press (bench/key-latency.js). Attacker text keeps its own characters.
 */
export function fitCell(s: string, n: number): string {
  if (n <= 0) return '';
  if (ASCII.test(s)) return s.length > n ? s.slice(0, n - 1) + '~' : s.padEnd(n);
  const w = stringWidth(s);
  if (w <= n) return s + ' '.repeat(n - w);
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const sw = stringWidth(segment);
    if (used + sw > n - 1) break;
    out += segment;
    used += sw;
  }
  return out + '~' + ' '.repeat(n - 1 - used);
}

/** Short name for an ARN (the part a responder reads): role/session, user, bucket/key. */
export function shortArn(s: string): string {
  const m = /^arn:aws[\w-]*:[\w-]*:[\w-]*:\d*:(.+)$/.exec(s);
  if (!m) return s;
  return m[1]!.replace(/^assumed-role\//, '').replace(/^(user|role)\//, '');
}

export const KIND_TAGS: Record<TimelineEntry['kind'], string> = {
  opened: 'OPEN',
  updated: 'UPD ',
  severity: 'SEV ',
  phase: 'PHAS',
  role: 'ROLE',
  note: 'NOTE',
  pin: 'PIN ',
  detection: 'DET ',
  armed: 'ARM ',
  closed: 'END ',
  inject: 'DRIL',
  checkpoint: 'CHK ',
  action: 'ACT ',
  evidence: 'EVID',
  custody: 'CUST',
  exfiltration: 'EXFL',
  update: 'COMM',
  regulatory: 'REG ',
  'action-item': 'ITEM',
  postmortem: 'PM  ',
  runbook: 'RUNB',
  score: 'SCOR',
  hunt: 'HUNT',
  share: 'SHAR',
  approval: 'APPR',
};

/** One line of the timeline: record time, kind, who, what (and the event's own time for pins). */
export function timelineLine(t: TimelineEntry, width: number): string {
  // For pins and detections: when it happened and when we learned of it (CloudTrail is late).
  const seen =
    t.discoveredAt !== undefined && t.eventTime !== undefined && t.discoveredAt - t.eventTime >= 60_000
      ? `, seen ${hms(t.discoveredAt)}`
      : '';
  const ev = t.eventTime !== undefined ? ` (event ${hms(t.eventTime)}${seen})` : '';
  const line = `${hms(Date.parse(t.ts))} ${KIND_TAGS[t.kind]} ${fitCell(safe(t.actor), 8)} ${safe(t.text)}${ev}`;
  return fitCell(line, width);
}

/** Searchable text for the filter (raw; matching is not display): every target, so a node's name finds its pods' events. */
export function eventSearchText(e: EventRow): string {
  return `${e.source} ${e.action} ${e.actor} ${e.targets?.join(' ') ?? e.target} ${e.scope} ${e.sourceIp} ${e.outcome} ${e.errorCode ?? ''} ${e.id}`;
}

export function timelineSearchText(t: TimelineEntry): string {
  return `${t.kind} ${t.actor} ${t.text}`;
}

/** Hard-wraps lines to `width` columns (detail views: a long ARN must be readable at 80 columns). */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  for (const l of lines) {
    if (l.length <= w) {
      out.push(l);
      continue;
    }
    // Continuation lines hang under the text, two columns in from the line's own indent.
    const indent = /^\s*/.exec(l)![0].slice(0, Math.floor(w / 2)) + '  ';
    let rest = l;
    let first = true;
    while (rest.length > (first ? w : w - indent.length)) {
      const room = first ? w : w - indent.length;
      const cut = breakAt(rest, room);
      out.push((first ? '' : indent) + rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
      first = false;
    }
    if (rest) out.push((first ? '' : indent) + rest);
  }
  return out;
}

/**
 * Where to break a line that is too long for `room`: after the last space, or else after the
 * last `/ , : - .` (an ARN, a path), within the room and not in its first third (too short a
 * piece); a word longer than that is cut hard. So "principal" is never split as "princ ipal".
 */
function breakAt(s: string, room: number): number {
  const min = Math.floor(room / 3);
  const space = s.lastIndexOf(' ', room);
  if (space > min) return space + 1;
  for (let i = room - 1; i > min; i--) if ('/,:-.'.includes(s[i]!)) return i + 1;
  return room;
}

/** Rows of the help overlay: every binding that exists in this mode, grouped by where it applies. */
export function keyHelpRows(mode: Mode, readOnly = false): string[] {
  const rows: string[] = [];
  let scope: Scope | undefined;
  for (const b of bindingsFor(mode, readOnly)) {
    if (b.scope !== scope) {
      scope = b.scope;
      rows.push(`${scopeTitle(scope)}:`);
    }
    rows.push(`  ${b.keys.map(keyLabel).join(' ').padEnd(16)} ${b.description}${b.dangerous ? '  (dangerous)' : ''}`);
  }
  return rows;
}
