// Drill events carry what real ones carry: the leaked key's calls name the key that signed them
// (CloudTrail userIdentity.accessKeyId), so AKIA5REPORTEXAMPLE01 is offered as a target and the
// runbook's "deactivate the key" has something to act on. Before, only `:act aws.deactivateKey
// access-key:AKIA…` typed by hand reached it.

import { describe, expect, it } from 'vitest';
import { targetsOf } from '../../../src/actions/catalog.js';
import { loadScenario } from '../../../src/sources/drill/scenario.js';

describe('drill event fields', () => {
  it('the leaked key signs its calls, and is a target of them', async () => {
    const s = await loadScenario('inc-2026-042');
    const events = s.items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
    const byKey = events.filter((e) => e.accessKeyId === 'AKIA5REPORTEXAMPLE01');
    expect(byKey.length).toBeGreaterThan(0);
    const e = byKey[0]!;
    expect(e.sourceIp).toBe('203.0.113.45');
    expect(e.userAgent).toBeTruthy();
    const targets = targetsOf({
      source: e.source,
      actor: e.actor,
      target: e.targets.join(' '),
      scope: e.region ?? '',
      accessKeyId: e.accessKeyId,
    });
    expect(targets).toContainEqual(expect.objectContaining({ kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01' }));
    // The attacker's role sessions are signed by their own temporary keys.
    expect(events.some((x) => x.accessKeyId === 'ASIA5ATTACKEXAMPLE01')).toBe(true);
  });
});
