// KubeWatcher against an HTTPS fake API server with the REAL client-node: list then watch,
// drops, 410 Gone (both forms), pods, and unreachable / unauthorised servers.

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import { KubeWatcher, type KubeWatchStatus, type KubeWatcherOptions } from '../../src/sources/kubernetes/watch.js';
import { FakeKube, kubeConfigFor, makeTestCert, waitFor, type TestCert } from './fake-kube.js';

let cert: TestCert;
let fake: FakeKube;
let url: string;
let watcher: KubeWatcher | undefined;
let delivered: IncidentEvent[];
let batches: number;
let statuses: KubeWatchStatus[];

beforeAll(() => {
  cert = makeTestCert();
});

beforeEach(async () => {
  fake = new FakeKube(cert);
  url = await fake.listen();
  delivered = [];
  batches = 0;
  statuses = [];
});

afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
  await fake.close();
});

function startWatcher(over: Partial<KubeWatcherOptions> = {}): KubeWatcher {
  watcher = new KubeWatcher({
    kc: kubeConfigFor(url, cert.cert),
    namespace: 'shop',
    resources: ['events'],
    sink: async (evs) => {
      batches++;
      delivered.push(...evs);
    },
    onStatus: (s) => statuses.push(s),
    now: () => new Date('2026-04-20T15:00:00Z'),
    backoff: { initialMs: 20, maxMs: 200, random: () => 0.5 },
    ...over,
  });
  watcher.start();
  return watcher;
}

const ids = () => delivered.map((e) => e.id);
const status = (resource = 'events') => watcher!.statuses().find((s) => s.resource === resource)!;

function expectNoDuplicates(): void {
  expect(new Set(ids()).size).toBe(delivered.length);
}

describe('KubeWatcher over HTTPS', () => {
  it('lists, then watches from the list resourceVersion, delivering every event exactly once', async () => {
    fake.put('events', fake.event('a'));
    fake.put('events', fake.event('b', { type: 'Warning', reason: 'BackOff' }));
    const listRv = fake.resourceVersion;
    startWatcher();
    await waitFor(() => delivered.length === 2, 'the listed events');
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');

    const [list] = fake.listRequests('events');
    expect(list?.path).toBe('/api/v1/namespaces/shop/events');
    expect(list?.authorization).toBe('Bearer fake-token-for-tests');
    const [watch] = fake.watchRequests('events');
    expect(watch?.query).toMatchObject({ watch: 'true', resourceVersion: listRv, allowWatchBookmarks: 'true' });

    fake.put('events', fake.event('c'));
    // The kubelet aggregates a repeat into the same object: count 2 is a new occurrence.
    fake.put('events', fake.event('a', { count: 2, lastTimestamp: '2026-04-20T14:05:00Z' }));
    await waitFor(() => delivered.length === 4, 'the watched events');
    expect(ids()).toEqual(['uid-ev-a#1', 'uid-ev-b#1', 'uid-ev-c#1', 'uid-ev-a#2']);
    expect(delivered[3]).toMatchObject({
      source: 'kubernetes',
      action: 'Pulled',
      eventTime: '2026-04-20T14:05:00.000Z',
      discoveredAt: '2026-04-20T15:00:00.000Z',
    });
    expect(delivered[1]).toMatchObject({
      outcome: 'failure',
      action: 'BackOff',
      targets: ['pods/web-1'],
      namespace: 'shop',
      actor: 'kubelet',
    });
    // raw is the JSON as sent, list items included (timestamps stay strings, no model classes).
    expect((delivered[0]!.raw as { lastTimestamp: unknown }).lastTimestamp).toBe('2026-04-20T14:00:00Z');

    fake.bookmark();
    await waitFor(() => status().resourceVersion === fake.resourceVersion, 'the bookmark resourceVersion');
    expect(delivered).toHaveLength(4);
    expect(status()).toMatchObject({
      resource: 'events',
      state: 'watching',
      events: 4,
      lastEventAt: '2026-04-20T15:00:00.000Z',
    });
    expect(batches).toBeLessThanOrEqual(4);
  });

  it('after a dropped stream, reconnects from the last resourceVersion: no loss, no duplicates', async () => {
    fake.put('events', fake.event('a'));
    startWatcher();
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');
    fake.put('events', fake.event('b'));
    await waitFor(() => delivered.length === 2, 'b over the watch');
    fake.bookmark();
    const rvBeforeDrop = fake.resourceVersion;
    await waitFor(() => status().resourceVersion === rvBeforeDrop, 'the bookmark');

    fake.dropWatches();
    // Written while nobody is watching: the reconnect must replay them from history.
    fake.put('events', fake.event('c'));
    fake.put('events', fake.event('b', { count: 2 }));
    await waitFor(() => delivered.length === 4, 'the events written during the gap');
    await waitFor(() => fake.openWatches('events') === 1, 'the new watch');

    const watches = fake.watchRequests('events');
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches[1]?.query.resourceVersion).toBe(rvBeforeDrop);
    expect(fake.listRequests('events')).toHaveLength(1);
    expect(ids()).toEqual(['uid-ev-a#1', 'uid-ev-b#1', 'uid-ev-c#1', 'uid-ev-b#2']);
    // The connection had delivered data: the reconnect goes at once, and the header stays calm.
    expect(statuses.some((s) => s.state === 'reconnecting')).toBe(false);
    expectNoDuplicates();
  });

  it('on an ERROR 410 watch event, relists and delivers only what is new', async () => {
    fake.put('events', fake.event('a'));
    fake.put('events', fake.event('b'));
    startWatcher();
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');
    fake.put('events', fake.event('c'));
    await waitFor(() => delivered.length === 3, 'c');

    fake.expireWatches();
    fake.put('events', fake.event('d'));
    await waitFor(() => fake.listRequests('events').length === 2, 'the relist');
    await waitFor(() => delivered.length === 4, 'd');
    await waitFor(() => fake.openWatches('events') === 1, 'the new watch');
    fake.put('events', fake.event('e'));
    await waitFor(() => delivered.length === 5, 'e');
    expect(ids()).toEqual(['uid-ev-a#1', 'uid-ev-b#1', 'uid-ev-c#1', 'uid-ev-d#1', 'uid-ev-e#1']);
    expectNoDuplicates();
  });

  it('on an HTTP 410 to a reconnecting watch, relists without duplicates', async () => {
    fake.goneAs = 'http';
    fake.put('events', fake.event('a'));
    startWatcher();
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');
    fake.dropWatches();
    fake.put('events', fake.event('b'));
    fake.put('events', fake.event('a', { count: 2 }));
    fake.compact();
    await waitFor(() => fake.listRequests('events').length === 2, 'the relist');
    await waitFor(() => delivered.length === 3, 'b and a#2 from the relist');
    await waitFor(() => fake.openWatches('events') === 1, 'the new watch');
    expect(ids().sort()).toEqual(['uid-ev-a#1', 'uid-ev-a#2', 'uid-ev-b#1']);
    expect(
      fake.requests.some(
        (r) =>
          r.query.watch === 'true' &&
          r.query.resourceVersion &&
          Number(r.query.resourceVersion) < Number(fake.resourceVersion),
      ),
    ).toBe(true);
    expectNoDuplicates();
  });

  it('reports pod adds, changes and deletions, including one missed while disconnected', async () => {
    const p1 = fake.put('pods', fake.pod('web-1'));
    startWatcher({ resources: ['pods'] });
    await waitFor(() => fake.openWatches('pods') === 1, 'the pod watch');
    await waitFor(() => delivered.length === 1, 'the listed pod');
    expect(delivered[0]).toMatchObject({
      action: 'pod.observed',
      targets: ['pods/web-1', 'nodes/node-a'],
      outcome: 'success',
      eventTime: '2026-04-20T13:00:05.000Z',
    });

    const p2 = fake.put('pods', fake.pod('miner-7'));
    fake.put('pods', {
      ...p1,
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'app', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    });
    fake.remove('pods', p2.metadata.uid);
    await waitFor(() => delivered.length === 4, 'added, modified, deleted');
    expect(delivered.slice(1).map((e) => [e.action, e.targets[0], e.outcome, e.errorCode])).toEqual([
      ['pod.added', 'pods/miner-7', 'success', undefined],
      ['pod.modified', 'pods/web-1', 'failure', 'CrashLoopBackOff'],
      ['pod.deleted', 'pods/miner-7', 'success', undefined],
    ]);

    // The compromised pod is deleted while we are disconnected, and history is compacted:
    // the relist no longer has it, so the watcher reports the deletion itself.
    fake.dropWatches();
    fake.remove('pods', p1.metadata.uid);
    fake.compact();
    await waitFor(() => fake.listRequests('pods').length === 2, 'the relist');
    await waitFor(() => delivered.length === 5, 'the missed deletion');
    expect(delivered[4]).toMatchObject({
      action: 'pod.deleted',
      targets: ['pods/web-1', 'nodes/node-a'],
      id: `${p1.metadata.uid}:deleted`,
    });
    expectNoDuplicates();
  });

  it('watches events and pods cluster-wide when no namespace is given', async () => {
    fake.put('events', fake.event('a', { metadata: { name: 'a', namespace: 'kube-system', uid: 'uid-ks' } }));
    fake.put('pods', fake.pod('web-1'));
    startWatcher({ namespace: undefined, resources: undefined });
    await waitFor(() => delivered.length === 2, 'one event and one pod');
    await waitFor(() => fake.openWatches() === 2, 'both watches');
    expect(new Set(fake.requests.map((r) => r.path))).toEqual(new Set(['/api/v1/events', '/api/v1/pods']));
    expect(delivered.find((e) => e.id === 'uid-ks#1')?.namespace).toBe('kube-system');
  });

  it('stop() aborts the open watches and reports stopped', async () => {
    startWatcher({ resources: undefined });
    await waitFor(() => fake.openWatches() === 2, 'both watches');
    await watcher!.stop();
    await waitFor(() => fake.openWatches() === 0, 'the server to see both watches closed');
    expect(watcher!.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });

  it('shows "reconnecting in Xs (reason)" for an unreachable server, and stops cleanly', async () => {
    const deadUrl = url;
    await fake.close();
    fake = new FakeKube(cert); // a fresh one for afterEach; deadUrl stays closed
    await fake.listen();
    url = deadUrl;
    startWatcher();
    await waitFor(() => statuses.filter((s) => s.state === 'reconnecting').length >= 2, 'two reconnect attempts');
    const s = statuses.find((x) => x.state === 'reconnecting')!;
    expect(s.message).toMatch(/^reconnecting in \d+(ms|s) \(.*ECONNREFUSED.*\)$/);
    await watcher!.stop();
    expect(status().state).toBe('stopped');
    expect(delivered).toEqual([]);
  });

  it('shows an error state for a refused token, and keeps retrying', async () => {
    const kc = kubeConfigFor(url, cert.cert);
    kc.loadFromOptions({ ...kcParts(kc), users: [{ name: 'tester', token: 'wrong' }] });
    startWatcher({ kc });
    await waitFor(() => fake.listRequests('events').length >= 2, 'a retry');
    expect(statuses.find((s) => s.state === 'error')?.message).toMatch(/\(HTTP 401: Unauthorized\)$/);
  });
});

function kcParts(kc: ReturnType<typeof kubeConfigFor>) {
  return { clusters: kc.getClusters(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext() };
}

describe('KubeWatcher backoff (injected clock: no real sleeps)', () => {
  let t: number;
  let sleeps: number[];
  const clock = {
    now: () => t,
    sleep: async (ms: number) => void sleeps.push(ms),
  };
  beforeEach(() => {
    t = Date.parse('2026-04-20T15:00:00Z');
    sleeps = [];
  });
  const degraded = () => statuses.filter((s) => s.state === 'reconnecting' || s.state === 'error');

  it('a quiet watch that stayed up and is closed by the server reconnects at once, every time', async () => {
    startWatcher({ clock, backoff: { initialMs: 1000, maxMs: 30_000, random: () => 0.5 } });
    for (let i = 1; i <= 4; i++) {
      await waitFor(() => fake.openWatches('events') === 1 && fake.watchRequests('events').length === i, `watch ${i}`);
      t += 5 * 60_000; // the API server's watch timeout: minutes, no event meanwhile
      fake.endWatches();
    }
    await waitFor(() => fake.watchRequests('events').length === 5, 'the fifth watch');
    expect(sleeps).toEqual([]);
    expect(degraded()).toEqual([]);
    expect(fake.listRequests('events')).toHaveLength(1);
  });

  it('a watch the server ends at once backs off, growing, and shows reconnecting', async () => {
    startWatcher({ clock, backoff: { initialMs: 1000, maxMs: 30_000, random: () => 1 } });
    for (let i = 1; i <= 3; i++) {
      await waitFor(() => fake.openWatches('events') === 1 && fake.watchRequests('events').length === i, `watch ${i}`);
      fake.endWatches();
    }
    await waitFor(() => sleeps.length === 3, 'three backoffs');
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(degraded().length).toBeGreaterThan(0);
  });

  it('a 410 relists at once, even after quiet closes and failed reconnects built the backoff up', async () => {
    fake.put('events', fake.event('a'));
    startWatcher({ clock, backoff: { initialMs: 1000, maxMs: 30_000, random: () => 1 } });
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');
    await waitFor(() => delivered.length === 1, 'a');
    fake.endWatches(); // ends at once: not healthy, backs off
    await waitFor(() => fake.openWatches('events') === 1 && fake.watchRequests('events').length === 2, 'watch 2');
    fake.endWatches();
    await waitFor(() => fake.openWatches('events') === 1 && fake.watchRequests('events').length === 3, 'watch 3');
    const before = sleeps.length;
    expect(before).toBe(2);
    fake.expireWatches();
    fake.put('events', fake.event('b'));
    await waitFor(() => fake.listRequests('events').length === 2, 'the relist');
    await waitFor(() => delivered.length === 2, 'b');
    expect(sleeps.length).toBe(before);
  });

  it('a dropped healthy watch is DEGRADED only once its reconnect fails', async () => {
    fake.put('events', fake.event('a'));
    startWatcher({ clock, backoff: { initialMs: 1000, maxMs: 30_000, random: () => 1 } });
    await waitFor(() => fake.openWatches('events') === 1, 'the watch');
    await waitFor(() => delivered.length === 1, 'a');
    fake.put('events', fake.event('b'));
    await waitFor(() => delivered.length === 2, 'b over the watch');
    fake.dropWatches();
    await waitFor(() => fake.watchRequests('events').length === 2 && fake.openWatches('events') === 1, 'reconnect');
    expect(sleeps).toEqual([]);
    expect(degraded()).toEqual([]);

    // Now the server goes away: the first reconnect fails, and only then the header degrades.
    await fake.close();
    await waitFor(() => degraded().length > 0, 'reconnecting after the failed reconnect');
    expect(sleeps[0]).toBe(2000);
    expect(degraded()[0]!.message).toMatch(/^reconnecting in 2s \(/);
  });
});
