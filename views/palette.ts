// The `:` command palette: what can be typed, completion, and parsing into an intent. Pure, so it
// is tested without Ink.

import { meantSuffix } from '../src/domain/suggest.js';
import { PHASES, parsePhase } from '../src/domain/phases.js';
import { ROLES, parseRole } from '../src/domain/roles.js';
import { SEVERITIES, parseSeverity } from '../src/domain/severity.js';
import { isTargetKind, splitWhere, TARGET_KINDS, type TargetKind } from '../src/domain/target-kinds.js';
import type { Mode } from './keymap.js';
import {
  REPORT_ARG_WORDS,
  REPORT_PALETTE,
  isReportCommand,
  parseReportCommand,
  type ReportIntent,
} from './report-commands.js';
import { COMMS_ARG_WORDS, COMMS_COMMANDS, parseCommsCommand, type CommsIntent } from './palette-comms.js';
import { HUNT_ARG_WORDS, HUNT_COMMAND, parseHuntCommand, type HuntIntent } from './palette-hunt.js';
import {
  APPROVAL_ARG_WORDS,
  APPROVAL_COMMANDS,
  isApprovalCommand,
  parseApprovalCommand,
  type ApprovalIntent,
} from './palette-approval.js';

export interface PaletteCommand {
  name: string;
  args: string;
  description: string;
  modes?: readonly Mode[];
  writes?: boolean;
  /** Changes (or enables changing) the cloud: absent in a --read-only session. */
  dangerous?: boolean;
}

export const PALETTE: readonly PaletteCommand[] = [
  { name: 'severity', args: '<0-3|critical|high|medium|low> [reason]', description: 'set the severity', writes: true },
  { name: 'phase', args: '<phase> [reason]', description: 'set the phase', writes: true },
  { name: 'role', args: '<role> <person>', description: 'assign a role', writes: true },
  { name: 'note', args: '<text>', description: 'add a note', writes: true },
  {
    name: 'detected',
    args: '[HH:MM[:SS] | ISO time]',
    description: 'record when the incident was detected (default now)',
    writes: true,
  },
  {
    name: 'contained',
    args: '[HH:MM[:SS] | ISO time]',
    description: 'record when it was contained (default now)',
    writes: true,
  },
  {
    name: 'resolved',
    args: '[HH:MM[:SS] | ISO time]',
    description: 'record when it was resolved (default now)',
    writes: true,
  },
  { name: 'filter', args: '[text]', description: 'filter the focused list (empty clears)' },
  { name: 'pin', args: '[comment]', description: 'pin the selected event, with a comment', writes: true },
  {
    name: 'import',
    args: '<path...>',
    description: 'import evidence files or folders (quote paths with spaces)',
    modes: ['live', 'drill'],
    writes: true,
  },
  HUNT_COMMAND,
  {
    name: 'cancel',
    args: '',
    description:
      'stop the running import after the current record, cancel the running hunt, or stop the running evidence capture or CloudTrail preservation after its page or file (what was done stays journaled)',
    modes: ['live', 'drill'],
  },
  {
    name: 'rules',
    args: '<dir>',
    description: 'load Sigma rules (CloudTrail, Kubernetes audit) beside the built-in rules',
    modes: ['live'],
  },
  {
    name: 'arm',
    args: '<account-id|cluster>',
    description: 'arm the session for destructive actions on it for 30 min (again: extends)',
    modes: ['live', 'drill'],
    writes: true,
    dangerous: true,
  },
  {
    name: 'disarm',
    args: '[account-id|cluster]',
    description: 'end the arming (of one account or cluster, or all) now',
    modes: ['live', 'drill'],
    writes: true,
  },
  {
    name: 'act',
    args: '<action-id> <kind:id[@account|@cluster]> [--since TIME]',
    description:
      'plan an action for an explicit target, e.g. act vault.revokeLeases vault-prefix:aws/creds/x; --since starts a preservation window at TIME',
    modes: ['live', 'drill'],
    writes: true,
  },
  {
    name: 'exfil',
    args: '<on|off> <reason>',
    description: 'flag active exfiltration (Sev0 + active lets containment skip evidence-first)',
    modes: ['live', 'drill'],
    writes: true,
  },
  { name: 'speed', args: '<x>', description: 'drill clock speed (0.5, 1, 2, 5, 10, 60)', modes: ['drill'] },
  { name: 'pause', args: '', description: 'pause the drill clock', modes: ['drill'] },
  { name: 'resume', args: '', description: 'resume the drill clock', modes: ['drill'] },
  { name: 'goto', args: '<seq>', description: 'show the incident as of a record', modes: ['review'] },
  {
    name: 'time',
    args: '<HH:MM[:SS] | ISO time>',
    description: 'show the incident as of a time (UTC)',
    modes: ['review'],
  },
  ...REPORT_PALETTE,
  ...COMMS_COMMANDS,
  ...APPROVAL_COMMANDS,
  { name: 'metrics', args: '', description: 'time to detect / contain / recover, time in each phase, role hand-offs' },
  {
    name: 'shared',
    args: '',
    description: 'the merged shared incident (live --share): every writer’s timeline, conflicts, refused segments',
    modes: ['live'],
  },
  { name: 'help', args: '', description: 'show every key binding' },
  { name: 'quit', args: '', description: 'quit firebreak' },
];

export function paletteFor(mode: Mode, readOnly = false): PaletteCommand[] {
  return PALETTE.filter(
    (c) => (!c.modes || c.modes.includes(mode)) && !(mode === 'review' && c.writes) && !(readOnly && c.dangerous),
  );
}

const ARG_WORDS: Record<string, readonly string[]> = {
  severity: SEVERITIES.map((s) => s.name.toLowerCase()),
  phase: PHASES.map((p) => p.id),
  role: ROLES.map((r) => r.id),
  ...REPORT_ARG_WORDS,
  ...COMMS_ARG_WORDS,
  hunt: HUNT_ARG_WORDS,
  ...APPROVAL_ARG_WORDS,
};

/** What the session knows for `:act`: the action ids it offers (with their target kind) and known targets. */
export interface PaletteExtra {
  actions: readonly { id: string; kind: string }[];
  targets: readonly { kind: string; id: string }[];
}

/** `:act ID TARGET`: action ids, then the targets of the chosen action's kind. */
function actCompletions(parts: string[], extra: PaletteExtra): string[] {
  if (parts.length === 2) {
    const ids = [...new Set(extra.actions.map((a) => a.id))];
    return ids.filter((id) => id.startsWith(parts[1]!)).map((id) => `${parts[0]} ${id}`);
  }
  if (parts.length !== 3) return [];
  const kinds = new Set(extra.actions.filter((a) => a.id === parts[1]).map((a) => a.kind));
  return extra.targets
    .map((t) => `${t.kind}:${t.id}`)
    .filter((t, i) => kinds.has(extra.targets[i]!.kind) && t.startsWith(parts[2]!))
    .map((t) => `${parts[0]} ${parts[1]} ${t}`);
}

/** Candidates for what is typed so far (command names, the first argument's values, `:act`'s ids and targets). */
export function completions(text: string, mode: Mode, readOnly = false, extra?: PaletteExtra): string[] {
  const parts = text.trimStart().split(/\s+/);
  if (parts.length <= 1) {
    const p = (parts[0] ?? '').toLowerCase();
    return paletteFor(mode, readOnly)
      .filter((c) => c.name.startsWith(p))
      .map((c) => c.name);
  }
  if (parts[0]!.toLowerCase() === 'act' && extra && paletteFor(mode, readOnly).some((c) => c.name === 'act'))
    return actCompletions(parts, extra);
  const words = ARG_WORDS[parts[0]!.toLowerCase()];
  if (!words || parts.length > 2) return [];
  const a = parts[1]!.toLowerCase();
  return words.filter((w) => w.startsWith(a)).map((w) => `${parts[0]} ${w}`);
}

/** Tab: complete to the longest common prefix of the candidates (a space after a unique one). */
export function complete(text: string, mode: Mode, readOnly = false, extra?: PaletteExtra): string {
  const c = completions(text, mode, readOnly, extra);
  if (c.length === 0) return text;
  if (c.length === 1) return c[0] + ' ';
  let prefix = c[0]!;
  for (const x of c) while (!x.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > text.trim().length ? prefix : text;
}

/** Parses "14:32", "14:32:05" (on the day of `base`, UTC) or an ISO time; undefined if neither. */
export function parseTime(text: string, base: number): number | undefined {
  const t = text.trim();
  const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (hm) {
    const d = new Date(base);
    const ms = Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth(),
      d.getUTCDate(),
      Number(hm[1]),
      Number(hm[2]),
      Number(hm[3] ?? 0),
    );
    return Number(hm[1]) < 24 && Number(hm[2]) < 60 ? ms : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Splits paths on whitespace; "double" or 'single' quotes keep spaces in a path (and may wrap
 * part of a word: a"b c"d is one path). Undefined when a quote is left open.
 */
export function splitPaths(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) return undefined;
  if (has) out.push(cur);
  return out;
}

export type Intent =
  | { kind: 'severity'; level: 0 | 1 | 2 | 3; reason?: string }
  | { kind: 'phase'; phase: (typeof PHASES)[number]['id']; reason?: string }
  | { kind: 'role'; role: (typeof ROLES)[number]['id']; person: string }
  | { kind: 'note'; text: string }
  | { kind: 'time'; field: 'detectedAt' | 'containedAt' | 'resolvedAt'; at: number }
  | { kind: 'filter'; text: string }
  | { kind: 'pin'; comment?: string }
  | { kind: 'import'; paths: string[] }
  | { kind: 'cancel' }
  | { kind: 'rules'; dir: string }
  | { kind: 'speed'; x: number }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'goto'; seq: number }
  | { kind: 'goto-time'; at: number }
  | { kind: 'report'; report: ReportIntent }
  | { kind: 'arm'; name: string }
  | { kind: 'disarm'; name?: string }
  | {
      kind: 'act';
      actionId: string;
      target: { kind: TargetKind; id: string; account?: string; cluster?: string };
      since?: string;
    }
  | { kind: 'exfil'; active: boolean; reason: string }
  | { kind: 'help' }
  | { kind: 'metrics' }
  | { kind: 'shared' }
  | { kind: 'quit' }
  | HuntIntent
  | CommsIntent
  | ApprovalIntent;

/** Parses a palette line; an error says what was expected. */
export function parseCommand(text: string, mode: Mode, now: number, readOnly = false): Intent | { error: string } {
  const m = /^\s*(\S+)\s*(.*)$/.exec(text);
  if (!m) return { error: 'type a command — Tab completes' };
  const name = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  const cmd = paletteFor(mode, readOnly).find((c) => c.name === name);
  if (!cmd) {
    const exists = PALETTE.some((c) => c.name === name);
    return {
      error: exists
        ? `${name} is not available in ${readOnly ? 'a read-only session' : `${mode} mode`}`
        : `unknown command "${name}"${meantSuffix(
            name,
            PALETTE.map((c) => c.name),
          )} (Tab lists the commands)`,
    };
  }
  const [first = '', ...others] = rest.split(/\s+/);
  const tail = others.join(' ').trim();
  const usage = `usage: ${cmd.name} ${cmd.args}`;
  if (isReportCommand(cmd.name)) return parseReportCommand(cmd.name, rest, usage);
  if (isApprovalCommand(cmd.name)) return parseApprovalCommand(cmd.name, rest, usage);
  switch (cmd.name) {
    case 'severity': {
      const level = parseSeverity(first);
      return level === undefined ? { error: usage } : { kind: 'severity', level, ...(tail ? { reason: tail } : {}) };
    }
    case 'phase': {
      const phase = parsePhase(first);
      return phase === undefined
        ? {
            error: `${
              first
                ? `unknown phase ${first}${meantSuffix(
                    first,
                    PHASES.map((p) => p.id),
                  )}: `
                : ''
            }${usage} (${PHASES.map((p) => p.id).join(', ')})`,
          }
        : { kind: 'phase', phase, ...(tail ? { reason: tail } : {}) };
    }
    case 'role': {
      const role = parseRole(first);
      return role === undefined || !tail
        ? {
            error: `${
              first && role === undefined
                ? `unknown role ${first}${meantSuffix(
                    first,
                    ROLES.map((r) => r.id),
                  )}: `
                : ''
            }${usage} (${ROLES.map((r) => r.id).join(', ')})`,
          }
        : { kind: 'role', role, person: tail };
    }
    case 'note':
      return rest ? { kind: 'note', text: rest } : { error: usage };
    case 'detected':
    case 'contained':
    case 'resolved': {
      const at = rest ? parseTime(rest, now) : now;
      if (at === undefined) return { error: usage };
      return { kind: 'time', field: `${cmd.name}At` as 'detectedAt', at };
    }
    case 'filter':
      return { kind: 'filter', text: rest };
    case 'pin':
      return { kind: 'pin', ...(rest ? { comment: rest } : {}) };
    case 'cancel':
      return rest ? { error: usage } : { kind: 'cancel' };
    case 'hunt':
      return parseHuntCommand(rest, now, usage, parseTime);
    case 'import': {
      const paths = splitPaths(rest);
      if (!paths) return { error: 'unterminated quote in the paths' };
      return paths.length ? { kind: 'import', paths } : { error: usage };
    }
    case 'rules': {
      const paths = splitPaths(rest);
      if (!paths) return { error: 'unterminated quote in the path' };
      return paths.length === 1 ? { kind: 'rules', dir: paths[0]! } : { error: usage };
    }
    case 'speed': {
      const x = Number(first.replace(/x$/i, ''));
      return x > 0 && x <= 1000 ? { kind: 'speed', x } : { error: usage };
    }
    case 'arm':
      return first && !tail ? { kind: 'arm', name: first } : { error: usage };
    case 'disarm':
      return tail ? { error: usage } : first ? { kind: 'disarm', name: first } : { kind: 'disarm' };
    case 'act': {
      const opt = /^(\S+)(?:\s+--since\s+(.+))?$/.exec(tail);
      const t = opt ? /^([a-z][a-z0-9-]*):(.+)$/.exec(opt[1]!) : null;
      if (!first || !opt || !t) return { error: usage };
      const kind = t[1]!;
      if (!isTargetKind(kind))
        return {
          error: `unknown target kind "${kind}"${meantSuffix(kind, TARGET_KINDS)}: one of ${TARGET_KINDS.join(', ')}`,
        };
      let since: string | undefined;
      if (opt[2]) {
        const at = parseTime(opt[2].trim(), now);
        if (at === undefined)
          return { error: `--since: not a time "${opt[2].trim()}" (e.g. 2026-04-20T13:00Z or 14:05)` };
        since = new Date(at).toISOString();
      }
      return {
        kind: 'act',
        actionId: first,
        target: { kind, ...splitWhere(kind, t[2]!) },
        ...(since ? { since } : {}),
      };
    }
    case 'exfil': {
      const on = first.toLowerCase();
      if ((on !== 'on' && on !== 'off') || !tail) return { error: usage };
      return { kind: 'exfil', active: on === 'on', reason: tail };
    }
    case 'pause':
      return { kind: 'pause' };
    case 'resume':
      return { kind: 'resume' };
    case 'goto': {
      const seq = Number(first);
      return Number.isInteger(seq) && seq > 0 ? { kind: 'goto', seq } : { error: usage };
    }
    case 'time': {
      const at = parseTime(rest, now);
      return at === undefined ? { error: usage } : { kind: 'goto-time', at };
    }
    case 'help':
      return { kind: 'help' };
    case 'metrics':
      return { kind: 'metrics' };
    case 'shared':
      return { kind: 'shared' };
    case 'personal-data':
    case 'decide':
    case 'cadence':
    case 'runbook':
    case 'score':
      return parseCommsCommand(cmd.name, rest, now, usage, parseTime);
    default:
      return { kind: 'quit' };
  }
}

/** The palette commands as a Markdown table for the README (`npm run keys`), every mode's included. */
export function paletteTableMarkdown(): string {
  const rows = ['| command | what it does | notes |', '|---|---|---|'];
  for (const c of PALETTE) {
    const notes = [
      c.writes ? 'recorded in the journal' : '',
      c.dangerous ? 'absent read-only' : '',
      c.modes ? `${c.modes.join('/')} only` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const usage = `${c.name}${c.args ? ` ${c.args}` : ''}`.replace(/\|/g, '\\|');
    rows.push(`| \`:${usage}\` | ${c.description} | ${notes} |`);
  }
  return rows.join('\n');
}
