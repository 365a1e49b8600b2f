// A world that reacts: the bundled INC-2026-042 attacker's scripted calls, judged against the
// simulated IAM after the team's containment. Once the role is denied and its older sessions
// revoked, and the leaked key deactivated, the attacker's later calls are delivered failed with
// the error AWS returns; undoing the containment lets them through again. Before, the revoked
// session kept reading the database for 20 more minutes.

import { IamModel, judgeAwsCall, type IamSeed } from '@firebreak/cloud-sim';
import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { denyAllDocument, revokeSessionsDocument } from '../../../src/actions/aws/iam/policies.js';
import { principalOf, reactTo } from '../../../src/sources/drill/reactions.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';

async function world() {
  const s = await loadScenario('inc-2026-042');
  const aws = (s.cloud as { aws: { account: string; iam: Omit<IamSeed, 'account'> } }).aws;
  const iam = new IamModel({ account: aws.account, ...aws.iam });
  const events = s.items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
  return { iam, events, react: (evs: IncidentEvent[]) => reactTo(evs, (p) => judgeAwsCall(iam, p)) };
}

const attacker = (e: IncidentEvent) => e.sourceIp === '203.0.113.45';
const whoami = (e: IncidentEvent) => e.action === 'GetCallerIdentity';

describe('the scripted attacker meets containment', () => {
  it('reads who made each call from its CloudTrail identity', async () => {
    const { events } = await world();
    const byKey = events.find((e) => e.accessKeyId === 'AKIA5REPORTEXAMPLE01')!;
    expect(principalOf(byKey)).toMatchObject({ userName: 'svc-orders-reporting', accessKeyId: 'AKIA5REPORTEXAMPLE01' });
    const session = events.find((e) => e.accessKeyId === 'ASIA5ATTACKEXAMPLE01')!;
    expect(principalOf(session)).toMatchObject({
      roleName: 'orders-api-prod',
      sessionIssuedAt: '2026-04-20T14:20:30Z',
    });
  });

  it('before any containment every scripted call succeeds as scripted', async () => {
    const { events, react } = await world();
    expect(react(events)).toEqual(events);
  });

  it('revoking the role’s older sessions fails the first session with AccessDenied, not the fresh one', async () => {
    const { iam, events, react } = await world();
    iam.role('orders-api-prod').policies.set('AWSRevokeOlderSessions', revokeSessionsDocument('2026-04-20T14:40:00Z'));
    const out = react(events);
    // Calls the script already has failing (a denied secret read) keep their own error.
    const old = out.filter(
      (e, i) => e.accessKeyId === 'ASIA5ATTACKEXAMPLE01' && events[i]!.outcome === 'success' && !whoami(e),
    );
    expect(old.length).toBeGreaterThan(0);
    // GetCallerIdentity cannot be denied by any policy: it still works, as in AWS.
    const sessionWhoami = out.filter((e) => whoami(e) && e.accessKeyId === 'ASIA5ATTACKEXAMPLE01');
    expect(sessionWhoami.length).toBeGreaterThan(0);
    expect(sessionWhoami.every((e) => e.outcome === 'success')).toBe(true);
    for (const e of old) {
      expect(e.outcome).toBe('failure');
      expect(e.errorCode).toBe('AccessDenied');
      expect((e.raw as { errorMessage: string }).errorMessage).toMatch(
        /assumed-role\/orders-api-prod\/orders-debug is not authorized to perform: .* with an explicit deny/,
      );
    }
    // The session minted at 14:51 from the still-active leaked key is not hit by the cut-off.
    const fresh = out.filter((e) => e.accessKeyId === 'ASIA5ATTACKEXAMPLE02');
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((e) => e.outcome === 'success')).toBe(true);
  });

  it('deny-all plus the key deactivated: no call by the attacker works, with the real errors', async () => {
    const { iam, events, react } = await world();
    iam.role('orders-api-prod').policies.set('firebreak-deny-all', denyAllDocument());
    iam.key('AKIA5REPORTEXAMPLE01').key.status = 'Inactive';
    const theirs = events.filter(attacker);
    const out = react(theirs);
    expect(out.length).toBeGreaterThan(5);
    // Only GetCallerIdentity still answers (no policy can deny it; the session's own key signs it).
    const still = out.filter((e) => e.outcome === 'success' && e.source === 'cloudtrail');
    expect(still.length).toBeGreaterThan(0);
    expect(still.every((e) => whoami(e) && e.accessKeyId?.startsWith('ASIA'))).toBe(true);
    // The leaked user's own GetCallerIdentity fails: an inactive key does not authenticate.
    expect(out.filter((e) => whoami(e) && e.accessKeyId === 'AKIA5REPORTEXAMPLE01').map((e) => e.errorCode)).toEqual([
      'InvalidClientTokenId',
    ]);
    const byKey = out.filter((e, i) => e.accessKeyId === 'AKIA5REPORTEXAMPLE01' && theirs[i]!.outcome === 'success');
    expect(byKey.length).toBeGreaterThan(0);
    expect(byKey.every((e) => e.errorCode === 'InvalidClientTokenId')).toBe(true);
    // Undo: the deny-all lifted and the key reactivated, the attacker is back.
    iam.role('orders-api-prod').policies.delete('firebreak-deny-all');
    iam.key('AKIA5REPORTEXAMPLE01').key.status = 'Active';
    expect(react(events.filter(attacker))).toEqual(events.filter(attacker));
  });
});
