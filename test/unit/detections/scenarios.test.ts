// The bundled drills, replayed in delivery order through the bundled rules, raise the kinds of
// detection their authors scripted (assets/scenarios/*.yaml `detections:`). A scripted detection
// that needs the responder's own move (role-reassumed needs a revocation first) is not raised here.

import { describe, expect, it } from 'vitest';
import { ALL_RULES, createDetector, getObjectVolumeRule, type Detection } from '../../../src/detections/index.js';
import { loadScenario, type Scenario } from '../../../src/sources/drill/scenario.js';

async function replay(name: string, rules = ALL_RULES): Promise<{ scenario: Scenario; raised: Detection[] }> {
  const scenario = await loadScenario(name);
  const d = createDetector(rules);
  const raised = scenario.items.flatMap((i) => (i.kind === 'event' ? d.observe(i.event) : []));
  return { scenario, raised };
}

function scripted(s: Scenario): Set<string> {
  return new Set(s.items.flatMap((i) => (i.kind === 'detection' ? [i.detection.ruleId] : [])));
}

describe('INC-2026-042 (CloudTrail, GuardDuty)', () => {
  it('raises trail tampering, access key for another user, the secret read and both GuardDuty findings', async () => {
    const { scenario, raised } = await replay('inc-2026-042');
    const ids = raised.map((d) => d.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'cloudtrail.trail-tampering',
        'cloudtrail.iam-new-access-key',
        'guardduty.finding',
        'cloudtrail.secret-read-unknown-ip',
      ]),
    );
    // The app task read the secret from inside the VPC first; the attacker's session of the same
    // role, from outside, is the one flagged.
    expect(raised.find((d) => d.ruleId === 'cloudtrail.secret-read-unknown-ip')!.title).toContain('203.0.113.45');
    expect(ids.filter((id) => id === 'guardduty.finding')).toHaveLength(2);
    // Denied attempts: one level below the successful case.
    expect(raised.find((d) => d.ruleId === 'cloudtrail.trail-tampering')).toMatchObject({
      severity: 1,
      title: expect.stringContaining('(denied)'),
    });
    expect(raised.find((d) => d.ruleId === 'cloudtrail.iam-new-access-key')!.title).toContain('dba-breakglass');
    // Every id we raise is one the scenario's authors expect, plus nothing noisy.
    for (const id of ids) expect(scripted(scenario)).toContain(id);
    // Keys point at events that exist in the scenario.
    const keys = new Set(
      scenario.items.flatMap((i) => (i.kind === 'event' ? [`${i.event.source}:${i.event.id}`] : [])),
    );
    for (const d of raised) for (const k of d.eventKeys) expect(keys).toContain(k);
  });

  it('16 GetObject calls are below the default threshold but a burst at 10', async () => {
    const rules = ALL_RULES.map((r) =>
      r.id === 'cloudtrail.s3-getobject-volume' ? getObjectVolumeRule({ threshold: 10 }) : r,
    );
    const { raised } = await replay('inc-2026-042', rules);
    const burst = raised.filter((d) => d.ruleId === 'cloudtrail.s3-getobject-volume');
    expect(burst).toHaveLength(1);
    expect(burst[0]).toMatchObject({ severity: 1, title: expect.stringContaining('orders-prod-data') });
    expect(burst[0]!.eventKeys.length).toBeGreaterThanOrEqual(10);
    const { raised: dflt } = await replay('inc-2026-042');
    expect(dflt.some((d) => d.ruleId === 'cloudtrail.s3-getobject-volume')).toBe(false);
  });
});

describe('INC-2026-057 (Kubernetes audit, Falco)', () => {
  it('raises exec, secret read, privileged pod, cluster-admin binding, reverse shell and Falco', async () => {
    const { scenario, raised } = await replay('k8s-compromised-pod');
    const ids = new Set(raised.map((d) => d.ruleId));
    for (const id of [
      'k8s.exec-into-pod',
      'k8s.secret-read-by-workload',
      'k8s.privileged-pod',
      'k8s.cluster-admin-binding',
      'falco.outbound-c2',
      'falco.alert',
      'k8s.evidence-destruction',
    ]) {
      expect(ids, id).toContain(id);
    }
    const want = scripted(scenario);
    for (const id of ids) if (id !== 'falco.alert') expect(want).toContain(id);
    expect(raised.find((d) => d.ruleId === 'falco.outbound-c2')).toMatchObject({
      severity: 0,
      title: expect.stringContaining('203.0.113.77:4444'),
    });
    expect(raised.find((d) => d.ruleId === 'falco.alert' && d.title.includes('Drop and execute'))!.severity).toBe(1);
    // The two denied cluster-admin attempts (a person and the stolen token) are separate detections.
    expect(raised.filter((d) => d.ruleId === 'k8s.cluster-admin-binding').map((d) => d.severity)).toEqual([2, 2]);
    // The prometheus/argocd background traffic raises nothing.
    expect(raised.every((d) => !/prometheus|argocd/.test(d.title))).toBe(true);
  });
});
