// Which armings hold now. Arming is per target (the AWS account id or cluster name typed to arm),
// per cockpit session (a reopened journal, after a restart or on a colleague's machine, is another
// session and starts disarmed) and for a limited time (ARM_MINUTES; `:arm` again extends it).
// An arming ends by `:disarm`, by its time running out (journaled as expired by the cockpit), or
// with the session; the journal keeps every one for the timeline.

import type { Arming, IncidentState } from './state.js';

/** How long an arming lasts unless extended. */
export const ARM_MINUTES = 30;

/**
 * The arming time in minutes: FIREBREAK_ARM_MINUTES when it is a number from 0.05 (3 s, for
 * rehearsing expiry) to 480 (a working shift), else ARM_MINUTES.
 */
export function armMinutes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.FIREBREAK_ARM_MINUTES);
  return env.FIREBREAK_ARM_MINUTES && Number.isFinite(n) && n >= 0.05 && n <= 480 ? n : ARM_MINUTES;
}

/** The armings of `session` that hold at `now`, newest per target. */
export function activeArmings(s: IncidentState, session: string | undefined, now: number): Arming[] {
  if (!session) return [];
  const byTarget = new Map<string, Arming>();
  for (const a of s.armings) {
    if (a.session !== session || a.ended || a.until === undefined || a.until <= now) continue;
    const had = byTarget.get(a.target);
    if (!had || had.until! < a.until) byTarget.set(a.target, a);
  }
  return [...byTarget.values()];
}

/** The arming that lets this session act on `target` now, if any. */
export function armedFor(s: IncidentState, session: string | undefined, now: number, target: string) {
  return activeArmings(s, session, now).find((a) => a.target === target);
}

/** This session's armings whose time has run out but that no record has ended yet. */
export function lapsedArmings(s: IncidentState, session: string | undefined, now: number): Arming[] {
  if (!session) return [];
  const open = s.armings.filter((a) => a.session === session && !a.ended && a.until !== undefined);
  // A target re-armed later is extended, not lapsed: only the newest arming of a target counts.
  const newest = new Map<string, Arming>();
  for (const a of open) if ((newest.get(a.target)?.until ?? -Infinity) <= a.until!) newest.set(a.target, a);
  return [...newest.values()].filter((a) => a.until! <= now);
}

/** "29:41" — minutes and seconds left, for the header. */
export function timeLeft(until: number, now: number): string {
  const s = Math.max(0, Math.floor((until - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
