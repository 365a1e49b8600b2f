// Two-person approval in the cockpit: what the store's approval commands and the action runner ask
// of a shared incident. A share session (store/merged.ts) attaches itself to the local store; a
// store without one has a single writer, and nobody can approve their own request.

import type { ApprovalBook } from '../src/journal/share/approval.js';
import type { IncidentStore } from './store.js';

export interface ApprovalProvider {
  /** This cockpit's writer id. */
  writerId: string;
  /** The merged incident's policy, requests and decisions, with this journal's newest records. */
  book(): Promise<ApprovalBook>;
}

const providers = new WeakMap<IncidentStore, ApprovalProvider>();

export function attachApprovals(store: IncidentStore, p: ApprovalProvider): void {
  providers.set(store, p);
}

export function approvalsOf(store: IncidentStore): ApprovalProvider | undefined {
  return providers.get(store);
}

/** The book of a single-writer journal: its own records only. */
export function localBook(store: IncidentStore): ApprovalBook {
  const s = store.getState().state;
  const writerId = s.writerId ?? 'local';
  return {
    policy: s.approvalPolicy.at(-1)?.value,
    requests: [...s.approvalRequests.values()].map((r) => ({ ...r, writerId })),
    decisions: s.approvalDecisions.map((d) => ({ ...d, writerId })),
  };
}
