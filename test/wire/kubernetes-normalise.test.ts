import { describe, expect, it } from 'vitest';
import { incidentEventSchema } from '../../src/domain/event.js';
import { normaliseCoreEvent, normalisePod, podSummary, resourceOf } from '../../src/sources/kubernetes/normalise.js';

const NOW = '2026-04-20T15:00:00.000Z';
const backoff = {
  metadata: {
    name: 'web-1.17f',
    namespace: 'shop',
    uid: 'e-1',
    resourceVersion: '812',
    creationTimestamp: '2026-04-20T14:00:00Z',
  },
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  source: { component: 'kubelet', host: 'node-a' },
  count: 7,
  firstTimestamp: '2026-04-20T14:00:00Z',
  lastTimestamp: '2026-04-20T14:09:30Z',
  eventTime: null,
};

describe('core/v1 Event → IncidentEvent', () => {
  it('maps the fields and keeps the object as raw', () => {
    const r = normaliseCoreEvent(backoff, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toEqual({
      source: 'kubernetes',
      id: 'e-1#7',
      eventTime: '2026-04-20T14:09:30.000Z',
      discoveredAt: NOW,
      actor: 'kubelet',
      action: 'BackOff',
      targets: ['pods/web-1'],
      namespace: 'shop',
      outcome: 'failure',
      raw: backoff,
    });
    expect(incidentEventSchema.safeParse(r.event).success).toBe(true);
  });

  it('gives each occurrence of an aggregated event its own id, and the same occurrence the same id', () => {
    const id = (o: object) => (normaliseCoreEvent(o, NOW) as { event: { id: string } }).event.id;
    expect(id({ ...backoff, count: 8 })).toBe('e-1#8');
    expect(id({ ...backoff, metadata: { ...backoff.metadata, resourceVersion: '900' } })).toBe('e-1#7');
    expect(id({ ...backoff, count: undefined, series: { count: 3 } })).toBe('e-1#3');
    expect(id({ ...backoff, count: undefined })).toBe('e-1@812');
  });

  it('falls back from lastTimestamp to series, eventTime, then creationTimestamp', () => {
    const t = (o: object) => (normaliseCoreEvent(o, NOW) as { event: { eventTime: string } }).event.eventTime;
    const newStyle = {
      ...backoff,
      lastTimestamp: null,
      eventTime: '2026-04-20T14:01:00.123456Z',
      reportingComponent: 'default-scheduler',
      source: {},
    };
    expect(t(newStyle)).toBe('2026-04-20T14:01:00.123Z');
    expect(t({ ...newStyle, series: { count: 2, lastObservedTime: '2026-04-20T14:02:00.000000Z' } })).toBe(
      '2026-04-20T14:02:00.000Z',
    );
    expect(t({ ...newStyle, eventTime: null })).toBe('2026-04-20T14:00:00.000Z');
    expect((normaliseCoreEvent(newStyle, NOW) as { event: { actor: string } }).event.actor).toBe('default-scheduler');
  });

  it('marks Normal events success, pluralises kinds, and refuses objects without a uid', () => {
    const r = normaliseCoreEvent(
      { ...backoff, type: 'Normal', involvedObject: { kind: 'NetworkPolicy', name: 'deny' } },
      NOW,
    );
    expect(r.ok && [r.event.outcome, r.event.targets]).toEqual(['success', ['networkpolicies/deny']]);
    expect(['Ingress', 'Endpoints', 'Node', 'ReplicaSet'].map(resourceOf)).toEqual([
      'ingresses',
      'endpoints',
      'nodes',
      'replicasets',
    ]);
    expect(normaliseCoreEvent({ metadata: {} }, NOW)).toEqual({
      ok: false,
      reason: 'not a core/v1 Event: metadata.uid missing',
    });
    expect(normaliseCoreEvent('x', NOW).ok).toBe(false);
  });
});

describe('Pod change → IncidentEvent', () => {
  const pod = {
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: 'p-1',
      resourceVersion: '55',
      creationTimestamp: '2026-04-20T13:00:00Z',
    },
    spec: { nodeName: 'node-a' },
    status: {
      phase: 'Running',
      initContainerStatuses: [
        { restartCount: 1, state: { terminated: { exitCode: 0, finishedAt: '2026-04-20T13:00:03Z' } } },
      ],
      containerStatuses: [
        {
          restartCount: 4,
          state: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-04-20T14:30:00Z' } },
        },
      ],
    },
  };

  it('summarises phase, restarts and the failure reason', () => {
    expect(podSummary(pod)).toEqual({
      phase: 'Running',
      restarts: 5,
      failureReason: 'OOMKilled',
      lastChange: '2026-04-20T14:30:00.000Z',
    });
    expect(podSummary({})).toEqual({ phase: 'Unknown', restarts: 0 });
  });

  it('maps each change with its id and time', () => {
    const ev = (c: 'ADDED' | 'MODIFIED' | 'DELETED' | 'LISTED') => {
      const r = normalisePod(c, pod, NOW);
      if (!r.ok) throw new Error(r.reason);
      return [r.event.action, r.event.id, r.event.eventTime, r.event.outcome];
    };
    expect(ev('ADDED')).toEqual(['pod.added', 'p-1@55', '2026-04-20T13:00:00.000Z', 'failure']);
    expect(ev('MODIFIED')).toEqual(['pod.modified', 'p-1@55', NOW, 'failure']);
    expect(ev('LISTED')).toEqual(['pod.observed', 'p-1@55', '2026-04-20T14:30:00.000Z', 'failure']);
    expect(ev('DELETED')).toEqual(['pod.deleted', 'p-1:deleted', NOW, 'success']);
    const r = normalisePod('MODIFIED', pod, NOW);
    expect(r.ok && r.event).toMatchObject({
      targets: ['pods/web-1', 'nodes/node-a'],
      namespace: 'shop',
      errorCode: 'OOMKilled',
      actor: 'unknown',
    });
  });
});
