// The target a runbook step's action takes when no event names one. Two steps act on something
// the feed never shows: "upload the evidence to the write-once bucket" (an evidence record: the
// newest one, the file just preserved) and "revoke the Vault leases" (a lease prefix: the one the
// session knows, e.g. the drill scenario's). Every other step's target comes from the selected
// event, as the actions pane offers it.

import type { Target } from '../src/actions/types.js';
import type { IncidentState } from '../store/state.js';
import type { ActionSession } from '../store/action-session.js';

export function stepTarget(
  defId: string,
  state: Pick<IncidentState, 'evidence'>,
  session: Pick<ActionSession, 'vaultPrefixes'> | undefined,
): Target | undefined {
  if (defId === 'aws.uploadEvidence') {
    const ev = state.evidence.at(-1);
    // The upload reads the file from the label (its path), as `:act aws.uploadEvidence evidence:EV-…` does.
    return ev ? { kind: 'evidence', id: ev.evidenceId, label: ev.path } : undefined;
  }
  if (defId === 'vault.revokeLeases') {
    const prefix = session?.vaultPrefixes?.[0];
    return prefix ? { kind: 'vault-prefix', id: prefix, label: `vault-prefix ${prefix}` } : undefined;
  }
  return undefined;
}

/** What to do when such a step has no target yet (undefined: the step's target comes from an event). */
export function stepTargetMissing(defId: string): string | undefined {
  if (defId === 'aws.uploadEvidence')
    return 'aws.uploadEvidence needs evidence: none collected yet — run a preserve or capture step first';
  if (defId === 'vault.revokeLeases')
    return 'vault.revokeLeases needs a Vault lease prefix: none known in this session — :act vault.revokeLeases vault-prefix:PATH';
  return undefined;
}
