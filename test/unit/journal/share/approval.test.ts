// The approval book on its own: the plan hash binds action, target and canonical params (key
// order does not matter, any value does); an answer counts only from another writer, for that
// hash, until the policy's time runs out; and a responder is shown the requests waiting on others.

import { describe, expect, it } from 'vitest';
import {
  approvalStatus,
  awaitingOthers,
  planHash,
  whyNotDecide,
  type ApprovalBook,
} from '../../../../src/journal/share/approval.js';

const T0 = Date.parse('2026-04-20T14:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const plan = {
  action: 'aws.denyRole',
  target: { kind: 'iam-role', id: 'ci-deploy' },
  params: { role: 'ci-deploy', a: 1 },
};
const H = planHash(plan);

function book(over: Partial<ApprovalBook> = {}): ApprovalBook {
  return {
    policy: { require: 'destructive', ttlMinutes: 15 },
    requests: [
      {
        requestId: 'apr-000001-aa',
        actionId: 'act-000001-aa',
        action: 'aws.denyRole',
        targetLabel: 'role ci-deploy',
        planHash: H,
        writerId: 'alice-1',
        actor: 'alice',
        ts: at(0),
      },
    ],
    decisions: [],
    ...over,
  };
}

describe('two-person approval, decided from the book', () => {
  it('hashes the plan canonically and changes with any parameter', () => {
    expect(planHash({ ...plan, params: { a: 1, role: 'ci-deploy' } })).toBe(H);
    expect(planHash({ ...plan, params: { role: 'ci-deploy', a: 2 } })).not.toBe(H);
    expect(planHash({ ...plan, target: { kind: 'iam-role', id: 'other' } })).not.toBe(H);
  });

  it('counts an approval from another writer, for the same hash, until it expires', () => {
    const approved = book({
      decisions: [
        { requestId: 'apr-000001-aa', decision: 'approved', planHash: H, writerId: 'bob-2', actor: 'bob', ts: at(1) },
      ],
    });
    expect(approvalStatus(approved, 'act-000001-aa', H, 'alice-1', T0 + 5 * 60_000)).toMatchObject({
      state: 'approved',
      by: 'bob (bob-2)',
    });
    expect(approvalStatus(approved, 'act-000001-aa', H, 'alice-1', T0 + 17 * 60_000).state).toBe('expired');
    expect(approvalStatus(approved, 'act-000001-aa', 'f'.repeat(64), 'alice-1', T0).state).toBe('none');
    expect(approvalStatus(book({ policy: undefined }), 'act-000001-aa', H, 'alice-1', T0).state).toBe('not-required');
  });

  it('ignores an approval from the requesting writer itself, or for another hash', () => {
    const self = book({
      decisions: [
        {
          requestId: 'apr-000001-aa',
          decision: 'approved',
          planHash: H,
          writerId: 'alice-1',
          actor: 'alice',
          ts: at(1),
        },
        {
          requestId: 'apr-000001-aa',
          decision: 'approved',
          planHash: 'e'.repeat(64),
          writerId: 'bob-2',
          actor: 'bob',
          ts: at(1),
        },
      ],
    });
    expect(approvalStatus(self, 'act-000001-aa', H, 'alice-1', T0).state).toBe('pending');
    expect(whyNotDecide(self, 'apr-000001-aa', 'alice-1')).toMatch(/your own request/);
    expect(whyNotDecide(self, 'apr-000001-aa', 'bob-2')).toBeUndefined();
    expect(whyNotDecide(self, 'apr-nope-00', 'bob-2')).toMatch(/no approval request/);
  });

  it('lists the requests waiting on other responders', () => {
    expect(awaitingOthers(book(), 'bob-2').map((r) => r.requestId)).toEqual(['apr-000001-aa']);
    expect(awaitingOthers(book(), 'alice-1')).toEqual([]);
    const decided = book({
      decisions: [
        {
          requestId: 'apr-000001-aa',
          decision: 'rejected',
          planHash: H,
          writerId: 'bob-2',
          actor: 'bob',
          ts: at(1),
          reason: 'no',
        },
      ],
    });
    expect(awaitingOthers(decided, 'carol-3')).toEqual([]);
  });
});
