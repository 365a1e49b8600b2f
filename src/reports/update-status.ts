// The status line every internal audience reads, from the same facts the cockpit header shows.

import { phaseName } from '../domain/phases.js';
import type { ReportFacts } from './facts.js';

export function statusLine(f: ReportFacts): string {
  // A flag the team has not cleared outranks a recorded resolution: the two disagree, say so.
  const leak = f.exfiltrationActive ? ' — but data exfiltration is still flagged active' : '';
  if (f.resolvedAt) return `Resolved${leak}`;
  if (f.containedAt) return `Contained${leak}`;
  return `Active — ${phaseName(f.phase)}`;
}
