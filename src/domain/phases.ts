// The incident lifecycle (NIST SP 800-61 as the seeds lay it out). Phases normally advance in
// order, but a responder may go back (new evidence reopens triage), so any phase may be set.

import { parseNamed } from './named.js';

export const PHASES = [
  { id: 'preparation', name: 'Preparation' },
  { id: 'detection', name: 'Detection' },
  { id: 'triage', name: 'Triage' },
  { id: 'containment', name: 'Containment' },
  { id: 'evidence', name: 'Evidence collection' },
  { id: 'eradication', name: 'Eradication' },
  { id: 'recovery', name: 'Recovery' },
  { id: 'review', name: 'Post-incident review' },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];
export const PHASE_IDS = PHASES.map((p) => p.id) as unknown as readonly [PhaseId, ...PhaseId[]];

export function isPhaseId(x: unknown): x is PhaseId {
  return PHASES.some((p) => p.id === x);
}

export function phaseName(id: PhaseId): string {
  return PHASES.find((p) => p.id === id)!.name;
}

/** The phase after `id`, or undefined at the end of the lifecycle. */
export function nextPhase(id: PhaseId): PhaseId | undefined {
  const i = PHASES.findIndex((p) => p.id === id);
  return PHASES[i + 1]?.id;
}

export function parsePhase(text: string): PhaseId | undefined {
  return parseNamed(PHASES, text);
}
