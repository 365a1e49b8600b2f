// The palette's communication, regulatory and runbook commands: their entries and parsing into
// an intent. Pure (tested without Ink); palette.ts lists and dispatches them.

import { CADENCE_RANGE, isRegime, REGIMES, suggestRegime, type Regime } from '../src/domain/deadlines.js';
// Type-only: palette.ts imports this module to build its list, so a value import back would cycle.
import type { PaletteCommand } from './palette.js';

export const COMMS_COMMANDS: readonly PaletteCommand[] = [
  {
    name: 'personal-data',
    args: '[gdpr,hipaa,nis2,dora,sec] [note] [--at TIME]',
    description: 'personal data involved: start the regulatory clocks (aware now or --at)',
    writes: true,
  },
  {
    name: 'decide',
    args: '<regime> <notify|no-notify> <rationale>',
    description: 'record the notification decision and why',
    writes: true,
  },
  {
    name: 'cadence',
    args: `<hours ${CADENCE_RANGE.min}-${CADENCE_RANGE.max}>`,
    description: 'leadership summary every N hours (default 3)',
    writes: true,
  },
  {
    name: 'runbook',
    args: '[id]',
    description: 'open the runbook checklist (credentials-leak, public-bucket, host-compromise, ddos, insider-abuse)',
  },
  {
    name: 'score',
    args: '',
    description: 'score the drill so far against the scenario targets',
    modes: ['drill'],
    writes: true,
  },
];

export const COMMS_ARG_WORDS: Record<string, readonly string[]> = {
  decide: REGIMES,
  'personal-data': REGIMES,
  runbook: ['credentials-leak', 'public-bucket', 'host-compromise', 'ddos', 'insider-abuse'],
};

export type CommsIntent =
  | { kind: 'comms'; op: 'personal-data'; regimes: Regime[]; at: number; note?: string }
  | { kind: 'comms'; op: 'decide'; regime: Regime; decision: 'notify' | 'no-notify'; rationale: string }
  | { kind: 'comms'; op: 'cadence'; hours: number }
  | { kind: 'comms'; op: 'runbook'; id?: string }
  | { kind: 'comms'; op: 'score' };

/** Parses one of COMMS_COMMANDS; `usage` is the palette's usage line, `parseTime` its time reader. */
export function parseCommsCommand(
  name: string,
  rest: string,
  now: number,
  usage: string,
  parseTime: (text: string, base: number) => number | undefined,
): CommsIntent | { error: string } {
  const words = rest.split(/\s+/).filter(Boolean);
  switch (name) {
    case 'personal-data': {
      let at = now;
      const atIdx = words.indexOf('--at');
      if (atIdx >= 0) {
        const t = words[atIdx + 1] === undefined ? undefined : parseTime(words[atIdx + 1]!, now);
        if (t === undefined) return { error: `--at needs a time: HH:MM[:SS] (UTC, today) or an ISO time — ${usage}` };
        if (t > now) return { error: 'the awareness time cannot be in the future' };
        at = t;
        words.splice(atIdx, 2);
      }
      let regimes: Regime[] = ['gdpr', 'hipaa'];
      const first = words[0]?.toLowerCase().split(',').filter(Boolean);
      if (first?.length && first.every(isRegime)) {
        regimes = [...new Set(first)] as Regime[];
        words.shift();
      } else if (first?.some((w) => isRegime(w) || suggestRegime(w))) {
        const bad = first.find((w) => !isRegime(w))!;
        const near = suggestRegime(bad);
        return {
          error: `unknown regime ${bad}${near ? ` — did you mean ${near}?` : ''} (regimes: ${REGIMES.join(', ')}, comma-separated)`,
        };
      }
      const note = words.join(' ').trim();
      return { kind: 'comms', op: 'personal-data', regimes, at, ...(note ? { note } : {}) };
    }
    case 'decide': {
      const [regime = '', decision = '', ...why] = words;
      const rationale = why.join(' ').trim();
      if (!isRegime(regime.toLowerCase())) {
        const near = suggestRegime(regime);
        return near
          ? { error: `unknown regime ${regime} — did you mean ${near}?` }
          : { error: `${usage} (regime: ${REGIMES.join(', ')})` };
      }
      if (decision !== 'notify' && decision !== 'no-notify') return { error: `${usage} — say notify or no-notify` };
      if (!rationale) return { error: 'a decision needs its rationale (who decided, on what basis)' };
      return { kind: 'comms', op: 'decide', regime: regime.toLowerCase() as Regime, decision, rationale };
    }
    case 'cadence': {
      const hours = Number(words[0]?.replace(/h$/i, ''));
      if (!(hours >= CADENCE_RANGE.min && hours <= CADENCE_RANGE.max))
        return { error: `${usage} — leadership summaries every ${CADENCE_RANGE.min}–${CADENCE_RANGE.max} hours` };
      return { kind: 'comms', op: 'cadence', hours };
    }
    case 'runbook':
      return { kind: 'comms', op: 'runbook', ...(words[0] ? { id: words[0].toLowerCase() } : {}) };
    default:
      return { kind: 'comms', op: 'score' };
  }
}
