// Two-person approval, decided from the merged incident. A request binds an action's plan by its
// plan hash (the action, the target and the canonical parameters); an approval counts only when it
// comes from another writer than the request, names the same plan hash, and is younger than the
// policy's time to live. A changed plan is a new hash, so it needs a new approval.

import { createHash } from 'node:crypto';
import { parseIsoTime } from '../../domain/iso-time.js';
import { canonicalJson } from '../canonical.js';
import type { RecordData } from '../records.js';

export const DEFAULT_APPROVAL_TTL_MINUTES = 15;

export function planHash(p: {
  action: string;
  target: { kind: string; id: string };
  params: Record<string, unknown>;
}): string {
  const body = canonicalJson({ action: p.action, target: { kind: p.target.kind, id: p.target.id }, params: p.params });
  return createHash('sha256').update(body).digest('hex');
}

/** A request or decision with the writer whose chain holds it (never what the record claims). */
export type Written<D> = D & { writerId: string; ts: string; actor: string };

export interface ApprovalBook {
  policy: RecordData<'approval.policy'> | undefined;
  requests: readonly Written<RecordData<'approval.requested'>>[];
  decisions: readonly Written<RecordData<'approval.decided'>>[];
}

export type ApprovalStatus =
  | { state: 'not-required' }
  | { state: 'none' }
  | { state: 'pending'; requestId: string }
  | { state: 'approved'; requestId: string; by: string; until: string }
  | { state: 'rejected'; requestId: string; by: string; reason: string }
  | { state: 'expired'; requestId: string; by: string };

/** Where an action's plan stands: this writer's latest request for this plan hash, and its answers. */
export function approvalStatus(
  book: ApprovalBook,
  actionId: string,
  hash: string,
  writerId: string,
  now: number,
): ApprovalStatus {
  if (book.policy?.require !== 'destructive') return { state: 'not-required' };
  const ttl = book.policy.ttlMinutes * 60_000;
  const req = book.requests
    .filter((r) => r.actionId === actionId && r.planHash === hash && r.writerId === writerId)
    .at(-1);
  if (!req) return { state: 'none' };
  const answers = book.decisions.filter(
    (d) => d.requestId === req.requestId && d.planHash === hash && d.writerId !== req.writerId,
  );
  const last = answers.at(-1);
  if (!last) return { state: 'pending', requestId: req.requestId };
  const by = `${last.actor} (${last.writerId})`;
  if (last.decision === 'rejected')
    return { state: 'rejected', requestId: req.requestId, by, reason: last.reason ?? 'no reason given' };
  const until = parseIsoTime(last.ts) + ttl;
  if (now > until) return { state: 'expired', requestId: req.requestId, by };
  return { state: 'approved', requestId: req.requestId, by, until: new Date(until).toISOString() };
}

/** Why `writerId` may not answer request `requestId` now, or undefined. */
export function whyNotDecide(book: ApprovalBook, requestId: string, writerId: string): string | undefined {
  const req = book.requests.find((r) => r.requestId === requestId);
  if (!req) return `no approval request ${requestId} (is the other cockpit's segment published yet?)`;
  if (req.writerId === writerId) return `${requestId} is your own request: another responder must approve it`;
  if (
    book.decisions.some((d) => d.requestId === requestId && d.planHash === req.planHash && d.writerId !== req.writerId)
  )
    return `${requestId} is already decided`;
  return undefined;
}

/** Requests from other writers nobody has answered: what this responder may approve or reject. */
export function awaitingOthers(book: ApprovalBook, writerId: string): Written<RecordData<'approval.requested'>>[] {
  return book.requests.filter(
    (r) =>
      r.writerId !== writerId &&
      !book.decisions.some(
        (d) => d.requestId === r.requestId && d.planHash === r.planHash && d.writerId !== r.writerId,
      ),
  );
}
