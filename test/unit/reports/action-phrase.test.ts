// Every catalog action, as a report sentence names it: the target's name once, in the place of
// "the role" / "the pod", without the actions pane's detail in brackets. Pasting "on LABEL" after
// the title wrote "Deny all on the role on role orders-api-prod" and "Isolate the instance on
// i-0abc (build-runner-7) (instance)".

import { describe, expect, it } from 'vitest';
import { ACTION_META } from '../../../src/actions/meta.js';
import { actionPhrase, shortTitle, targetName } from '../../../src/reports/action-phrase.js';
import { proseGlitches } from './glitches.js';

const TARGETS: Record<string, { id: string; label: string }> = {
  'iam-role': { id: 'orders-api-prod', label: 'role orders-api-prod' },
  'access-key': { id: 'AKIA5REPORTEXAMPLE01', label: 'access key AKIA5REPORTEXAMPLE01 (signed this call)' },
  'iam-user': { id: 'svc-orders-reporting', label: 'user svc-orders-reporting' },
  instance: { id: 'i-0f9e8d7c6b5a43210', label: 'instance i-0f9e8d7c6b5a43210' },
  bucket: { id: 'orders-prod-data', label: 'bucket orders-prod-data' },
  pod: { id: 'payments/api-7d9f8b6c5-x2kqp', label: 'pod payments/api-7d9f8b6c5-x2kqp' },
  namespace: { id: 'payments', label: 'namespace payments' },
  node: { id: 'ip-10-0-1-5', label: 'node ip-10-0-1-5' },
  evidence: { id: 'EV-001', label: 'drill.jsonl.evidence/EV-001.json' },
  'vault-prefix': { id: 'database/creds/orders-prod', label: 'leases database/creds/orders-prod' },
};

describe('actionPhrase', () => {
  for (const m of ACTION_META) {
    it(`${m.id} names its target once, with no bracketed detail`, () => {
      const t = { kind: m.kind, ...TARGETS[m.kind]! };
      const p = actionPhrase({ title: m.title, target: t });
      const name = targetName(t);
      expect(p.split(name).length - 1, p).toBe(1);
      expect(p, p).not.toMatch(/[()+]/);
      expect(proseGlitches(p), p).toEqual([]);
    });
  }

  it('reads as a person would write it', () => {
    const role = { kind: 'iam-role', id: 'orders-api-prod', label: 'role orders-api-prod' };
    expect(actionPhrase({ title: 'Deny all on the role', target: role })).toBe('Deny all on role orders-api-prod');
    expect(
      actionPhrase({ title: "Preserve CloudTrail for the role's window (hashed evidence file)", target: role }),
    ).toBe('Preserve CloudTrail for the window of role orders-api-prod');
    const inst = { kind: 'instance', id: 'i-0abc123def4567890', label: 'i-0abc123def4567890 (build-runner-7)' };
    expect(actionPhrase({ title: 'Isolate the instance (isolation security group)', target: inst })).toBe(
      'Isolate instance i-0abc123def4567890 (build-runner-7)',
    );
    const pod = { kind: 'pod', id: 'payments/api-1', label: 'pod payments/api-1' };
    expect(actionPhrase({ title: 'Quarantine the pod (relabel out of Services + deny-all policy)', target: pod })).toBe(
      'Quarantine pod payments/api-1',
    );
    expect(actionPhrase({ title: 'Lift the pod quarantine (restore labels, delete its policy)', target: pod })).toBe(
      'Lift the quarantine on pod payments/api-1',
    );
    expect(shortTitle('Deactivate the access key (not delete) + revoke sessions')).toBe('Deactivate the access key');
  });
});
