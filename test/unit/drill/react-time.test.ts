// A call is judged against the world as it was when it was made, not when its record arrives:
// CloudTrail delivers minutes late, and a GetObject made before the deny-all succeeded.

import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { reactTo } from '../../../src/sources/drill/reactions.js';
import { firstChangeMs } from '../../../app/commands/drill.js';
import { emptyState } from '../../../store/state.js';

const call = (id: string, at: string): IncidentEvent => ({
  source: 'cloudtrail',
  id,
  eventTime: at,
  discoveredAt: at,
  actor: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-debug',
  action: 'GetObject',
  targets: [],
  outcome: 'success',
  raw: {
    eventSource: 's3.amazonaws.com',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-debug',
      sessionContext: { sessionIssuer: { userName: 'orders-api-prod' } },
    },
  },
});

describe('reactTo and the time of the first change', () => {
  const deny = () => ({ ok: false as const, errorCode: 'AccessDenied', errorMessage: 'explicit deny' });

  it('passes the calls made before the change as scripted, and judges the ones after it', () => {
    const out = reactTo(
      [call('before', '2026-04-20T14:36:04Z'), call('after', '2026-04-20T14:40:00Z')],
      deny,
      undefined,
      Date.parse('2026-04-20T14:39:00Z'),
    );
    expect(out.map((e) => [e.id, e.outcome, e.errorCode])).toEqual([
      ['before', 'success', undefined],
      ['after', 'failure', 'AccessDenied'],
    ]);
  });

  it('without a change time every call is judged', () => {
    expect(reactTo([call('x', '2026-04-20T14:36:04Z')], deny)[0]!.outcome).toBe('failure');
  });

  it('the first change is the first mutating call that answered ok, across actions', () => {
    const s = emptyState();
    expect(firstChangeMs(s)).toBe(Number.POSITIVE_INFINITY);
    const stub = (calls: { ok: boolean; ts: string }[]) => ({ calls }) as never;
    s.actions = new Map([
      [
        'a',
        stub([
          { ok: false, ts: '2026-04-20T14:38:00Z' },
          { ok: true, ts: '2026-04-20T14:41:00Z' },
        ]),
      ],
      ['b', stub([{ ok: true, ts: '2026-04-20T14:39:30Z' }])],
    ]);
    expect(firstChangeMs(s)).toBe(Date.parse('2026-04-20T14:39:30Z'));
  });
});
