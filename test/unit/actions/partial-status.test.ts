// How a failed or interrupted action's status follows from its records: the read-back after the
// error (or after the crash) decides, part by part — never the error alone.

import { describe, expect, it } from 'vitest';
import { actionStatus } from '../../../store/action-selectors.js';
import type { ActionState } from '../../../store/state.js';

const stamp = (seq: number) => ({ seq, ts: '2026-03-14T02:17:03.000Z', actor: 'alice' });
const part = (what: string, inPlace: boolean) => ({ what, inPlace });

function action(more: Partial<ActionState>): ActionState {
  return {
    actionId: 'act-1',
    planned: {
      ...stamp(1),
      actionId: 'act-1',
      action: 'aws.deactivateKey',
      target: { kind: 'access-key', id: 'AKIAIOSFODNN7EXAMPLE', label: 'key' },
      params: {},
      paramsHash: '0'.repeat(64),
      calls: [],
      blastRadius: [],
      warnings: [],
    },
    dryRuns: [],
    confirmed: { ...stamp(2), actionId: 'act-1', paramsHash: '0'.repeat(64) },
    started: { ...stamp(3), actionId: 'act-1', paramsHash: '0'.repeat(64), idempotencyToken: 'act-1' },
    captured: undefined,
    calls: [],
    succeeded: undefined,
    failed: undefined,
    verified: [],
    undoneBy: [],
    completedBy: [],
    ...more,
  };
}

const failed = { ...stamp(5), actionId: 'act-1', stage: 'execute' as const, requestIds: [], message: 'HTTP 500' };
const call = (op: string, ok: boolean, seq: number) => ({ ...stamp(seq), actionId: 'act-1', service: 'iam', op, ok });
const readBack = (ok: boolean, parts?: ReturnType<typeof part>[], how: object = { afterFailure: true }) => ({
  ...stamp(6),
  actionId: 'act-1',
  ok,
  detail: 'read back',
  ...how,
  ...(parts ? { parts } : {}),
});

describe('the status of an action that did not simply succeed', () => {
  it('failed with one part in place: partial', () => {
    const a = action({
      failed,
      calls: [call('UpdateAccessKey', true, 4)],
      verified: [readBack(false, [part('key Inactive', true), part('policy', false)])],
    });
    expect(actionStatus(a, 0)).toBe('partial');
  });

  it('failed, but the read-back finds every part in place (an error after apply): verified', () => {
    const a = action({ failed, verified: [readBack(true, [part('key Inactive', true)])] });
    expect(actionStatus(a, 0)).toBe('verified');
  });

  it('failed with nothing in place: failed, even if a call answered OK but was undone since', () => {
    expect(actionStatus(action({ failed }), 0)).toBe('failed');
    const a = action({
      failed,
      calls: [call('UpdateAccessKey', true, 4)],
      verified: [readBack(false, [part('key Inactive', false), part('policy', false)])],
    });
    expect(actionStatus(a, 0)).toBe('failed');
  });

  it('failed before any read-back, with a call that changed something: partial', () => {
    expect(actionStatus(action({ failed, calls: [call('UpdateAccessKey', true, 4)] }), 0)).toBe('partial');
  });

  it('interrupted (in doubt), then read back half-applied: partial, not "not applied"', () => {
    const a = action({
      verified: [readBack(false, [part('key Inactive', true), part('policy', false)], { afterDoubt: true })],
    });
    expect(actionStatus(a, 10)).toBe('partial');
    const none = action({ verified: [readBack(false, [part('key Inactive', false)], { afterDoubt: true })] });
    expect(actionStatus(none, 10)).toBe('not-applied');
  });

  it('a call unanswered (deadline, dropped connection) and a read-back that could not read: in doubt', () => {
    const unread = { ...readBack(false, undefined), unreadable: true };
    const timedOut = { ...failed, message: 'timed out', unanswered: true };
    expect(actionStatus(action({ failed: timedOut, verified: [unread] }), 0)).toBe('in-doubt');
    // One call went in, the read-back failed: nobody knows what is in place either.
    expect(actionStatus(action({ failed, calls: [call('UpdateAccessKey', true, 4)], verified: [unread] }), 0)).toBe(
      'in-doubt',
    );
    // A refused first call (answered, nothing applied) stays failed even if the read-back fails.
    expect(actionStatus(action({ failed, calls: [call('UpdateAccessKey', false, 4)], verified: [unread] }), 0)).toBe(
      'failed',
    );
    // `v` once the cloud answers settles it.
    const settled = { ...readBack(false, [part('key Inactive', true), part('policy', false)], { afterDoubt: true }) };
    expect(actionStatus(action({ failed: timedOut, verified: [unread, settled] }), 0)).toBe('partial');
  });
});
