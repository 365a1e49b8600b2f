// The two bundled scenarios: they load, everything they reference exists, their records look
// like the real sources' records, and they exercise the cockpit's defences (escape sequences,
// bidi overrides, live credentials for the redactor).

import { describe, expect, it } from 'vitest';
import { incidentEventSchema, type IncidentEvent } from '../../../src/domain/event.js';
import { recordDataSchemas } from '../../../src/journal/records.js';
import { redactSecrets } from '../../../src/safety/redact.js';
import { loadScenario, listScenarios, type Scenario } from '../../../src/sources/drill/scenario.js';

const NAMES = ['inc-2026-042', 'k8s-compromised-pod'] as const;
const scenarios = new Map<string, Scenario>();
for (const n of NAMES) scenarios.set(n, await loadScenario(n));

function eventsOf(s: Scenario): IncidentEvent[] {
  return s.items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
}

function rawOf(e: IncidentEvent): Record<string, unknown> {
  return e.raw as Record<string, unknown>;
}

/** Every string anywhere in a value. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === 'object') return Object.values(x).flatMap(strings);
  return [];
}

describe('bundled scenarios', () => {
  it('are listed with their titles and load without error', async () => {
    const list = await listScenarios();
    for (const n of NAMES) {
      const s = list.find((x) => x.name === n);
      expect(s, n).toBeDefined();
      expect(s!.error).toBeUndefined();
      expect(s!.title).toBe(scenarios.get(n)!.title);
      expect(s!.description.length).toBeGreaterThan(20);
    }
  });

  it.each(NAMES)('%s: every event is a valid IncidentEvent, ids are unique', (n) => {
    const evs = eventsOf(scenarios.get(n)!);
    expect(evs.length).toBeGreaterThanOrEqual(35);
    for (const e of evs) expect(incidentEventSchema.safeParse(e).success).toBe(true);
    const items = scenarios.get(n)!.items.map((i) => i.id);
    expect(new Set(items).size).toBe(items.length);
  });

  it.each(NAMES)('%s: every detection names scripted events already delivered, and fits the journal schema', (n) => {
    const s = scenarios.get(n)!;
    const delivered = new Map(s.items.map((i) => [i.id, i.deliverAt]));
    const detections = s.items.filter((i) => i.kind === 'detection');
    expect(detections.length).toBeGreaterThanOrEqual(4);
    for (const d of detections) {
      expect(recordDataSchemas['detection.raised'].safeParse(d.detection).success).toBe(true);
      for (const k of d.detection.eventKeys) {
        expect(delivered.has(k), `${d.detection.ruleId} → ${k}`).toBe(true);
        expect(delivered.get(k)!).toBeLessThanOrEqual(d.deliverAt);
      }
    }
    // The scenario's "detected" time is its first detection.
    expect(new Date(detections[0]!.deliverAt).toISOString().replace('.000', '')).toBe(s.incident.detectedAt);
  });

  it.each(NAMES)('%s: injects fit the journal schema', (n) => {
    const injects = scenarios.get(n)!.items.filter((i) => i.kind === 'inject');
    expect(injects.length).toBeGreaterThanOrEqual(3);
    for (const i of injects)
      expect(
        recordDataSchemas['drill.inject'].safeParse({ id: i.injectId, text: i.text, simTime: i.simTime }).success,
      ).toBe(true);
  });

  it('INC-2026-042 follows the seed: detected 14:32 UTC by GuardDuty, ~45 simulated minutes', () => {
    const s = scenarios.get('inc-2026-042')!;
    expect(s.incident).toMatchObject({ id: 'INC-2026-042', detectedAt: '2026-04-20T14:32:00Z' });
    const first = s.items.find((i) => i.kind === 'detection');
    expect(first?.kind === 'detection' && first.detection.ruleId).toBe('guardduty.finding');
    expect((s.endMs - s.startMs) / 60_000).toBeGreaterThanOrEqual(40);
    expect((s.endMs - s.startMs) / 60_000).toBeLessThanOrEqual(50);
    const sevs = s.items.flatMap((i) => (i.kind === 'detection' ? [i.detection.severity] : []));
    expect(sevs).toContain(0);
    const actions = new Set(eventsOf(s).map((e) => e.action));
    for (const a of [
      'AssumeRole',
      'GetCallerIdentity',
      'ListBuckets',
      'DescribeDBInstances',
      'GetSecretValue',
      'GetObject',
      'CreateAccessKey',
      'StopLogging',
    ]) {
      expect(actions, a).toContain(a);
    }
    const failed = eventsOf(s).filter((e) => e.action === 'StopLogging' || e.action === 'CreateAccessKey');
    for (const e of failed) expect(e).toMatchObject({ outcome: 'failure', errorCode: 'AccessDenied' });
  });

  it('CloudTrail raw records carry the fields a real CloudTrail record has, agreeing with the normalised event', () => {
    const ct = [...scenarios.values()].flatMap(eventsOf).filter((e) => e.source === 'cloudtrail');
    expect(ct.length).toBeGreaterThanOrEqual(40);
    for (const e of ct) {
      const r = rawOf(e);
      for (const f of [
        'eventVersion',
        'userIdentity',
        'eventTime',
        'eventSource',
        'eventName',
        'awsRegion',
        'sourceIPAddress',
        'userAgent',
        'requestParameters',
        'responseElements',
        'requestID',
        'eventID',
        'readOnly',
        'eventType',
        'managementEvent',
        'recipientAccountId',
        'eventCategory',
      ]) {
        expect(r, `${e.action} ${e.id}: ${f}`).toHaveProperty([f]);
      }
      expect(r.eventTime).toBe(e.eventTime);
      expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r.eventID).toBe(e.id);
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.eventName).toBe(e.action);
      expect(r.awsRegion).toBe(e.region);
      expect(r.sourceIPAddress).toBe(e.sourceIp);
      expect(r.userAgent).toBe(e.userAgent);
      expect(r.eventSource).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
      expect(typeof r.readOnly).toBe('boolean');
      expect(r.recipientAccountId).toBe('123456789012');
      expect(r.errorCode).toBe(e.errorCode);
      expect('errorMessage' in r).toBe(e.errorCode !== undefined);
      expect(e.outcome).toBe(e.errorCode ? 'failure' : 'success');
      const who = r.userIdentity as { type: string; arn?: string; userName?: string };
      expect(['IAMUser', 'AssumedRole', 'WebIdentityUser']).toContain(who.type);
      expect(e.actor).toBe(who.arn ?? who.userName);
    }
  });

  it('Kubernetes audit, core/v1 Event and Falco raw records have their real shapes', () => {
    const evs = eventsOf(scenarios.get('k8s-compromised-pod')!);
    const bySource = (s: string) => evs.filter((e) => e.source === s);
    for (const e of bySource('k8s-audit')) {
      const r = rawOf(e);
      expect(r).toMatchObject({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: e.id,
        verb: e.action,
      });
      // A long-running exec is logged at ResponseStarted; everything else when complete.
      const exec = (r.objectRef as { subresource?: string }).subresource === 'exec';
      expect(r.stage).toBe(exec && r.stage === 'ResponseStarted' ? 'ResponseStarted' : 'ResponseComplete');
      expect(r.requestURI).toMatch(/^\/api/);
      expect((r.user as { username: string }).username).toBe(e.actor);
      expect((r.sourceIPs as string[])[0]).toBe(e.sourceIp);
      expect(r.userAgent).toBe(e.userAgent);
      expect((r.objectRef as { resource: string }).resource).toBeTruthy();
      expect(typeof (r.responseStatus as { code: number }).code).toBe('number');
      expect(Date.parse(r.requestReceivedTimestamp as string)).toBe(Date.parse(e.eventTime));
      expect(Date.parse(r.stageTimestamp as string)).toBeGreaterThanOrEqual(Date.parse(e.eventTime));
    }
    const exec = bySource('k8s-audit').filter(
      (e) => (rawOf(e).objectRef as { subresource?: string }).subresource === 'exec',
    );
    expect(exec.length).toBeGreaterThan(0);
    for (const e of bySource('kubernetes')) {
      const r = rawOf(e);
      expect(r).toMatchObject({ apiVersion: 'v1', kind: 'Event', reason: e.action, metadata: { uid: e.id } });
      expect((r.source as { component: string }).component).toBe(e.actor);
      expect(['Normal', 'Warning']).toContain(r.type);
      expect(r.lastTimestamp).toBe(e.eventTime);
      expect(r.involvedObject).toHaveProperty('name');
    }
    expect(bySource('kubernetes').map((e) => e.action)).toEqual(expect.arrayContaining(['BackOff', 'Killing']));
    for (const e of bySource('falco')) {
      const r = rawOf(e);
      expect(r).toMatchObject({ rule: e.action, source: 'syscall' });
      for (const f of ['output', 'priority', 'rule', 'time', 'output_fields']) expect(r).toHaveProperty([f]);
      expect(Date.parse(r.time as string)).toBe(Date.parse(e.eventTime));
    }
    expect(
      bySource('falco').some((e) => (rawOf(e).output as string).includes('Outbound connection to 203.0.113.77:4444')),
    ).toBe(true);
  });

  it('every public IPv4 address is from the documentation ranges (RFC 5737)', () => {
    const ips = [...scenarios.values()]
      .flatMap((s) => strings(s.items))
      .flatMap((t) => t.match(/(?<![\w/.#-])\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []);
    expect(ips.length).toBeGreaterThan(50);
    const allowed = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.)/;
    // Version strings look like addresses: the lookbehind skips "Chrome/124.0.0.0", the octet
    // check skips "3.3.418.0" (the SSM agent version).
    for (const ip of ips.filter((x) => x.split('.').every((o) => Number(o) <= 255))) expect(ip, ip).toMatch(allowed);
  });

  it('attacker-controlled strings carry terminal escapes and bidi overrides for the neutraliser', () => {
    for (const s of scenarios.values()) {
      const all = strings(s.items);
      expect(
        all.some((t) => t.includes('\u001b')),
        s.name,
      ).toBe(true);
    }
    const all = [...scenarios.values()].flatMap((s) => strings(s.items));
    expect(all.some((t) => t.includes('\u001b]0;pwned\u0007'))).toBe(true);
    expect(all.some((t) => t.includes('\u202e'))).toBe(true);
  });

  it('an AssumeRole carries live-looking credentials, which the journal redactor masks', () => {
    const assume = eventsOf(scenarios.get('inc-2026-042')!).find((e) => {
      const c = (rawOf(e).responseElements as { credentials?: Record<string, string> } | null)?.credentials;
      return e.action === 'AssumeRole' && c?.secretAccessKey && c.sessionToken;
    });
    expect(assume).toBeDefined();
    const creds = (rawOf(assume!).responseElements as { credentials: Record<string, string> }).credentials;
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    const redacted = JSON.stringify(redactSecrets({ event: assume }));
    expect(redacted).not.toContain(creds.secretAccessKey);
    expect(redacted).not.toContain(creds.sessionToken);
    expect(redacted).toContain(creds.accessKeyId);
  });

  it('CloudTrail events arrive late and out of order, as they do for real', () => {
    const s = scenarios.get('inc-2026-042')!;
    const delivered = eventsOf(s).filter((e) => e.source === 'cloudtrail');
    const lags = delivered.map((e) => (Date.parse(e.discoveredAt) - Date.parse(e.eventTime)) / 60_000);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...lags)).toBeLessThanOrEqual(15);
    const outOfOrder = delivered.some(
      (e, i) => i > 0 && Date.parse(e.eventTime) < Date.parse(delivered[i - 1]!.eventTime),
    );
    expect(outOfOrder).toBe(true);
  });
});
