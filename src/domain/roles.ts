// Incident roles. The seeds name the incident commander (IC) and separate communications from
// command ("IC + comms separation"); the scribe keeps the timeline. The others are the usual
// security-incident seats a team fills as the incident grows.

import { parseNamed } from './named.js';

export const ROLES = [
  { id: 'ic', name: 'Incident commander', duty: 'Owns decisions and priorities' },
  { id: 'scribe', name: 'Scribe', duty: 'Keeps the timeline and the action log' },
  { id: 'comms', name: 'Communications lead', duty: 'Leadership, legal and customer updates' },
  { id: 'ops', name: 'Operations lead', duty: 'Runs containment and recovery actions' },
  { id: 'forensics', name: 'Forensics lead', duty: 'Evidence capture and chain of custody' },
  { id: 'legal', name: 'Legal / compliance', duty: 'Notification duties and legal hold' },
] as const;

export type RoleId = (typeof ROLES)[number]['id'];
export const ROLE_IDS = ROLES.map((r) => r.id) as unknown as readonly [RoleId, ...RoleId[]];

export function isRoleId(x: unknown): x is RoleId {
  return ROLES.some((r) => r.id === x);
}

export function roleName(id: RoleId): string {
  return ROLES.find((r) => r.id === id)!.name;
}

export function parseRole(text: string): RoleId | undefined {
  return parseNamed(ROLES, text);
}
