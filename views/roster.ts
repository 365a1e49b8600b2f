// The roster: who holds each incident role, since when and from whom — the role picker shows it,
// so scribe and comms are visible somewhere other than old timeline rows.

import { ROLES } from '../src/domain/roles.js';
import { rolesAsOf } from '../store/selectors.js';
import type { IncidentState } from '../store/state.js';
import { hms, safe } from './format.js';

export function rosterItems(s: IncidentState, asOf = s.seq): string[] {
  const now = rolesAsOf(s, asOf);
  return ROLES.map((r) => {
    const c = now.get(r.id);
    if (!c) return `${r.name.padEnd(20)} unassigned — ${r.duty}`;
    const earlier = s.roles.filter((x) => x.seq < c.seq && x.value.role === r.id).at(-1)?.value.person;
    const from = earlier && earlier !== c.value.person ? ` from ${safe(earlier)}` : '';
    return `${r.name.padEnd(20)} ${safe(c.value.person)} (since ${hms(Date.parse(c.ts))}${from})`;
  });
}

/** "IC Dana · Scribe Sam · Comms —": the seats the first hour needs, on one line. */
export function rolesLine(s: IncidentState, asOf = s.seq): string | undefined {
  const now = rolesAsOf(s, asOf);
  if (now.size === 0) return undefined;
  const SHORT: Record<string, string> = {
    ic: 'IC',
    scribe: 'Scribe',
    comms: 'Comms',
    ops: 'Ops',
    forensics: 'Forensics',
    legal: 'Legal',
  };
  // Filled seats first, then the three the seeds call for from the start if still empty.
  const parts = ROLES.filter((r) => now.has(r.id)).map((r) => `${SHORT[r.id]} ${safe(now.get(r.id)!.value.person)}`);
  for (const id of ['ic', 'scribe', 'comms'] as const) if (!now.has(id)) parts.push(`${SHORT[id]} —`);
  return `roles: ${parts.join(' · ')}`;
}
