// Each lifecycle phase's checklist (the seed's cloud-native lifecycle: detection through
// post-incident review) with its progress. An item is ticked from the journal when the journal
// can say so (a severity was set, a containment was verified, evidence recorded…); items only a
// person can judge ("the threat actor is removed") stay reminders and never count as done.
// Derived on every read, like the runbooks' journal ticks (runbook-selectors.ts).

import { ACTION_DEFS } from '../src/actions/registry.js';
import type { PhaseId } from '../src/domain/phases.js';
import { actionStatus } from './action-selectors.js';
import { rolesAsOf, severityAsOf } from './selectors.js';
import type { IncidentState } from './state.js';

export interface PhaseItem {
  text: string;
  /** undefined: a reminder the journal cannot tick. */
  done?: boolean;
}

function verifiedWhere(s: IncidentState, pred: (d: (typeof ACTION_DEFS)[number]) => boolean): boolean {
  return s.actionOrder.some((id) => {
    const a = s.actions.get(id)!;
    const d = ACTION_DEFS.find((x) => x.id === a.planned.action);
    if (!d || !pred(d) || a.planned.undoOf) return false;
    const st = actionStatus(a, Number.MAX_SAFE_INTEGER);
    return st === 'verified' || (d.evidence && st === 'succeeded');
  });
}

export function phaseChecklist(s: IncidentState, phase: PhaseId): PhaseItem[] {
  const last = <T>(xs: readonly T[]) => xs.at(-1);
  switch (phase) {
    case 'preparation':
      return [{ text: 'Runbooks, roles and access ready before an incident' }];
    case 'detection':
      return [
        {
          text: 'A signal is in the journal (a detection, or a pinned event)',
          done: s.detections.length > 0 || s.pins.size > 0,
        },
        {
          text: 'Time detected known (recorded, or the first detection)',
          done: s.detectedAt.length > 0 || s.detections.length > 0,
        },
      ];
    case 'triage':
      return [
        { text: 'Severity set', done: !!severityAsOf(s) },
        { text: 'Incident commander assigned', done: rolesAsOf(s).has('ic') },
        {
          text: 'Scope: personal data flagged or a notification decided',
          done: s.personalData.length > 0 || s.notifications.length > 0,
        },
      ];
    case 'containment':
      return [
        {
          text: 'A containment action verified (network isolation, deny-all, quarantine…)',
          done: verifiedWhere(s, (d) => d.destructive),
        },
        {
          text: 'Leaked credentials deactivated or their sessions revoked',
          done: verifiedWhere(s, (d) => /deactivateKey|denyAll|revokeLeases/.test(d.id)),
        },
        { text: 'Contained time known', done: s.containedAt.length > 0 || verifiedWhere(s, (d) => d.destructive) },
      ];
    case 'evidence':
      return [
        { text: 'Forensic evidence collected and hashed', done: s.evidence.length > 0 },
        {
          text: 'Logs preserved (CloudTrail, pod logs)',
          done: verifiedWhere(s, (d) => d.evidence && /preserve|capture/i.test(d.id)),
        },
        { text: 'Evidence handed on with a custody record', done: s.custody.length > 0 },
      ];
    case 'eradication':
      return [{ text: 'Threat actor removed from every foothold' }, { text: 'Vulnerability patched, images rebuilt' }];
    case 'recovery':
      return [
        { text: 'Restored from infrastructure as code; clean state validated' },
        { text: 'Resolved time recorded (:resolved)', done: !!last(s.resolvedAt) },
      ];
    case 'review':
      return [
        { text: 'Post-mortem filled in (:pm)', done: s.postmortem.length > 0 },
        { text: 'Action items with owners (:item)', done: s.actionItems.size > 0 },
        { text: 'Lessons learned recorded', done: s.postmortem.some((p) => p.value.field === 'lessons') },
      ];
  }
}

/** "2/3": the items the journal ticked of those it can tick. */
export function phaseProgress(items: readonly PhaseItem[]): { done: number; of: number } {
  const checkable = items.filter((i) => i.done !== undefined);
  return { done: checkable.filter((i) => i.done).length, of: checkable.length };
}
