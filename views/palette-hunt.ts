// The palette's `:hunt`: its entry and parsing into an intent. Pure (tested without Ink);
// palette.ts lists and dispatches it, hunt-keys.ts runs it through CockpitDeps.hunt.
//
//   :hunt key [AKIA…]          the access key (default: the selected event's)
//   :hunt principal [ARN]      the principal (default: the selected event's actor)
//   :hunt session [NAME]       the role session (default: the selected event's session name)
//   :hunt ip [ADDRESS]         the source IP (default: the selected event's)
//   … [--since TIME] [--until TIME] [--engine lake|athena] [--unbounded]
//   :hunt sql <statement>      free SQL (its own WHERE bounds the time)

import type { PivotKind } from '../src/sources/hunt/queries.js';
// Type-only: palette.ts imports this module to build its list, so a value import back would cycle.
import type { PaletteCommand } from './palette.js';

export const HUNT_COMMAND: PaletteCommand = {
  name: 'hunt',
  args: '<key|principal|session|ip> [value] [--since TIME] [--until TIME] [--engine lake|athena] [--unbounded] | sql <text>',
  description:
    'hunt on CloudTrail Lake or Athena (data events, beyond 90 days) for what the selected key, principal, session or IP did; rows go into the feed (:cancel stops it)',
  modes: ['live', 'drill'],
  writes: true,
};

export const HUNT_ARG_WORDS: readonly string[] = ['key', 'principal', 'session', 'ip', 'sql'];

const KINDS: Record<string, PivotKind> = {
  key: 'access-key',
  'access-key': 'access-key',
  principal: 'principal',
  session: 'session',
  ip: 'source-ip',
  'source-ip': 'source-ip',
};

export interface HuntIntent {
  kind: 'hunt';
  /** A ready-made hunt; `value` absent: take it from the selected event. */
  pivot?: { kind: PivotKind; value?: string };
  sql?: string;
  sinceMs?: number;
  untilMs?: number;
  engine?: 'lake' | 'athena';
  unbounded?: boolean;
}

/** Parses `:hunt`'s arguments; `parseTime` is the palette's time reader. */
export function parseHuntCommand(
  rest: string,
  now: number,
  usage: string,
  parseTime: (text: string, base: number) => number | undefined,
): HuntIntent | { error: string } {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(rest.trim());
  if (!m) return { error: usage };
  const word = m[1]!.toLowerCase();
  if (word === 'sql') return m[2]!.trim() ? { kind: 'hunt', sql: m[2]!.trim() } : { error: usage };
  const kind = KINDS[word];
  if (!kind) return { error: `${usage} (${HUNT_ARG_WORDS.join(', ')})` };
  const out: HuntIntent = { kind: 'hunt' };
  let value: string | undefined;
  const toks = m[2]!.split(/\s+/).filter(Boolean);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t === '--since' || t === '--until') {
      // A time may be two words ("2026-04-20 13:00") only in ISO form with a T; one token here.
      const at = toks[i + 1] === undefined ? undefined : (parseAge(toks[i + 1]!, now) ?? parseTime(toks[i + 1]!, now));
      if (at === undefined)
        return { error: `${t}: not a time "${toks[i + 1] ?? ''}" (e.g. 2026-04-20T13:00Z, 14:05, 24h)` };
      if (t === '--since') out.sinceMs = at;
      else out.untilMs = at;
      i++;
    } else if (t === '--engine') {
      const e = toks[++i];
      if (e !== 'lake' && e !== 'athena') return { error: '--engine is lake or athena' };
      out.engine = e;
    } else if (t === '--unbounded') out.unbounded = true;
    else if (value === undefined && !t.startsWith('--')) value = t;
    else return { error: usage };
  }
  out.pivot = { kind, ...(value !== undefined ? { value } : {}) };
  return out;
}

/** `90m`, `24h`, `7d` before now. */
function parseAge(text: string, now: number): number | undefined {
  const m = /^(\d+)(m|h|d)$/i.exec(text);
  return m ? now - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'm'] : undefined;
}
