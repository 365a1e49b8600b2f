// The status line every internal audience reads, from the same facts the cockpit header shows.

import { phaseName } from '../domain/phases.js';
import { mdText } from './escape.js';
import type { ReportFacts } from './facts.js';
import { utcMinute } from './markdown.js';

export function statusLine(f: ReportFacts): string {
  // A flag the team has not cleared outranks a recorded resolution: the two disagree, say so.
  const leak = f.exfiltrationActive ? ' — but data exfiltration is still flagged active' : '';
  if (f.resolvedAt) return `Resolved${leak}`;
  if (f.containedAt) return `Contained${leak}`;
  return `Active — ${phaseName(f.phase)}${f.containmentFailed ? ' (containment did not hold)' : ''}`;
}

/**
 * Why a claimed containment does not count. Internal readers get the names ("Deny-all … (verified
 * 14:39 UTC) did not hold: GetObject by … succeeded at 14:52 UTC"); leadership and customers get
 * it without identities or resources.
 */
export function containmentNotHeld(f: ReportFacts, names = true): string | undefined {
  const c = f.containmentFailed;
  if (!c) return undefined;
  if (!names)
    return `the attacker was still active at ${utcMinute(c.activityAt)}, after the containment at ${utcMinute(c.claimedAt)}`;
  return `${mdText(c.what)} (${utcMinute(c.claimedAt)}) did not hold: ${mdText(c.activity)} succeeded at ${utcMinute(c.activityAt)}`;
}
