// "Your call landed": an action's AWS calls carry firebreak's user agent with the action id; when
// the cloud's log shows the call (here: the record the stand-in's CloudTrail writes for it, with
// the User-Agent it received), the event is marked as firebreak's own and the action shows when it
// landed. Real IAM client against the IAM sim, through the ActionRunner.

import { describe, expect, it } from 'vitest';
import { loggedRecords } from '@firebreak/cloud-sim';
import { normaliseCloudTrailRecord } from '../../src/sources/cloudtrail/normalise.js';
import { ownActionOf, firebreakUserAgent } from '../../src/domain/user-agent.js';
import { landedText } from '../../views/action-lines.js';
import { eventLine } from '../../views/event-table.js';
import { iamWorld, key } from './iam-harness.js';
import { kubeHarness, NODE } from './kube-action-harness.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';

describe('correlation of an action with its CloudTrail record', () => {
  it('every call of the action names firebreak and the action id; the logged record marks it as ours', async () => {
    const w = await iamWorld();
    const id = await w.contain('aws.deactivateKey', key(KEY));
    const writes = w.rec.calls.filter((c) => c.op === 'UpdateAccessKey' || c.op === 'PutUserPolicy');
    expect(writes.length).toBeGreaterThan(0);
    for (const c of writes) {
      expect(c.headers['user-agent']).toContain(`firebreak-action/${id}`);
      expect(c.headers['user-agent']).toMatch(/\bfirebreak\/\S+/);
      expect(ownActionOf(c.headers['user-agent'])).toBe(id);
    }

    // What CloudTrail would log, six minutes later, as the poller would deliver it.
    const started = Date.parse(w.fx.store.getState().state.actions.get(id)!.started!.ts);
    const later = new Date(started + 6 * 60_000);
    const logged = loggedRecords(writes, {
      account: '123456789012',
      region: 'us-east-1',
      responderArn: 'arn:aws:sts::123456789012:assumed-role/responder/alice',
      now: new Date(started + 60_000),
    });
    const events = logged.map((l) => {
      const r = normaliseCloudTrailRecord(l.record, later.toISOString());
      if (!r.ok) throw new Error(r.reason);
      return r.event;
    });
    await w.fx.store.getState().actions.ingestEvents(events);

    const s = w.fx.store.getState().state;
    const rows = Array.from({ length: s.events.length }, (_, i) => s.events.at(i)!);
    expect(rows.map((r) => r.ownAction)).toEqual(rows.map(() => id));
    expect(eventLine(rows[0]!, 100, false)).toContain('[fb]');
    const a = s.actions.get(id)!;
    expect(a.landed?.source).toBe('cloudtrail');
    const hms = later.toISOString().slice(11, 19);
    expect(landedText(a)).toBe(` · landed in CloudTrail at ${hms} (+6m)`);
  });

  it("an attacker's event is not marked, and the user agent token is exact", () => {
    expect(ownActionOf('aws-cli/2.15.30 Python/3.11')).toBeUndefined();
    expect(ownActionOf('aws-sdk-js/3.0 firebreak-action/act-evil')).toBeUndefined();
    expect(firebreakUserAgent('1.2.0', 'act-mabc12-0a1b2c3d')).toBe(
      'firebreak/1.2.0 firebreak-action/act-mabc12-0a1b2c3d',
    );
    expect(ownActionOf(`aws-sdk-js/3 ${firebreakUserAgent('1.2.0', 'act-mabc12-0a1b2c3d')}`)).toBe(
      'act-mabc12-0a1b2c3d',
    );
  });

  it('Kubernetes calls carry the user agent with the action id, and writes fieldManager=firebreak', async () => {
    const h = await kubeHarness();
    try {
      const id = await h.fx.run('k8s.cordonNode', NODE);
      const calls = h.sim.recorder.calls.filter((c) => !c.path.includes('dryRun=All') && c.query.dryRun !== 'All');
      const writes = calls.filter((c) => c.method === 'PATCH');
      expect(writes.length).toBeGreaterThan(0);
      for (const c of writes) {
        expect(ownActionOf(c.headers['user-agent'])).toBe(id);
        expect(c.query.fieldManager ?? new URL(c.path, 'http://x').searchParams.get('fieldManager')).toBe('firebreak');
      }
      const logged = loggedRecords(writes, {
        account: '1',
        region: 'r',
        responderArn: 'arn:aws:sts::1:assumed-role/r/a',
        now: new Date(),
      });
      expect(logged.map((l) => (l.record as { userAgent: string }).userAgent)).toEqual(
        writes.map((c) => c.headers['user-agent']),
      );
    } finally {
      await h.close();
    }
  });
});
