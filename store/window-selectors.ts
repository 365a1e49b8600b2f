// Where an incident's evidence window starts for a target: the earliest event that names it (the
// same rule that offers the target's actions, src/actions/catalog.ts targetsOf), else the
// incident's first signal (the earliest detection's event, else the earliest event of all).
// The CloudTrail preservation window is anchored here, not at "now".

import { targetsOf, type Target } from '../src/actions/catalog.js';
import type { IncidentState } from './state.js';

export interface WindowAnchor {
  at: Date;
  /** What the time is, for the plan's warning: "the earliest event of access key AKIA…". */
  what: string;
}

export function windowAnchorFor(s: IncidentState, target: Target): WindowAnchor | undefined {
  let linked = Infinity;
  let first = Infinity;
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events.at(i)!;
    if (e.eventTime < first) first = e.eventTime;
    if (e.eventTime >= linked) continue;
    if (targetsOf(e).some((t) => t.kind === target.kind && t.id === target.id)) linked = e.eventTime;
  }
  if (Number.isFinite(linked)) return { at: new Date(linked), what: `the earliest event of ${target.label}` };
  let signal = Infinity;
  for (let i = 0; i < s.detections.length; i++) {
    const d = s.detections.at(i)!;
    if (d.eventTime !== undefined && d.eventTime < signal) signal = d.eventTime;
  }
  if (Number.isFinite(signal)) return { at: new Date(signal), what: "the incident's first detection" };
  if (Number.isFinite(first)) return { at: new Date(first), what: "the incident's first event" };
  return undefined;
}
