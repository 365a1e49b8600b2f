// The palette's two-person approval commands (a shared incident, store/share-session.ts): the
// policy, and another responder's answer to a request. Pure (tested without Ink); palette.ts lists
// and dispatches them, approval-keys.ts performs them.

// Type-only: palette.ts imports this module to build its list, so a value import back would cycle.
import type { PaletteCommand } from './palette.js';

export const APPROVAL_COMMANDS: readonly PaletteCommand[] = [
  {
    name: 'policy',
    args: 'approval <destructive|off> [minutes]',
    description: 'two-person approval: destructive actions wait for another responder (approvals last 15 min)',
    modes: ['live', 'drill'],
    writes: true,
  },
  {
    name: 'approve',
    args: '<apr-ID>',
    description: "approve another responder's destructive plan (bound to its plan hash)",
    modes: ['live', 'drill'],
    writes: true,
  },
  {
    name: 'reject',
    args: '<apr-ID> <reason>',
    description: "reject another responder's destructive plan, with the reason",
    modes: ['live', 'drill'],
    writes: true,
  },
];

export const APPROVAL_ARG_WORDS: Record<string, readonly string[]> = { policy: ['approval'] };

export type ApprovalIntent =
  | { kind: 'approval'; op: 'policy'; require: 'destructive' | 'off'; ttlMinutes?: number }
  | { kind: 'approval'; op: 'decide'; requestId: string; decision: 'approved' | 'rejected'; reason?: string };

export function isApprovalCommand(name: string): boolean {
  return APPROVAL_COMMANDS.some((c) => c.name === name);
}

const REQUEST_ID = /^apr-[0-9a-z-]{6,64}$/;

export function parseApprovalCommand(name: string, rest: string, usage: string): ApprovalIntent | { error: string } {
  const words = rest.split(/\s+/).filter(Boolean);
  if (name === 'policy') {
    const [what, require, minutes, ...more] = words;
    if (what?.toLowerCase() !== 'approval' || (require !== 'destructive' && require !== 'off') || more.length)
      return { error: usage };
    if (minutes === undefined) return { kind: 'approval', op: 'policy', require };
    const ttl = Number(minutes);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 1440) return { error: `minutes is 1–1440 — ${usage}` };
    return { kind: 'approval', op: 'policy', require, ttlMinutes: ttl };
  }
  const [requestId, ...why] = words;
  if (!requestId || !REQUEST_ID.test(requestId)) return { error: usage };
  if (name === 'approve')
    return why.length ? { error: usage } : { kind: 'approval', op: 'decide', requestId, decision: 'approved' };
  if (!why.length) return { error: `say why — ${usage}` };
  return { kind: 'approval', op: 'decide', requestId, decision: 'rejected', reason: why.join(' ') };
}
