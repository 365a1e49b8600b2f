// The live Kubernetes feed raises detections: a privileged pod created in the fake API server
// reaches the journal through the Pods watch, the live ingest path and the live session's
// detector (app/commands/live.ts liveDetector), as a detection naming the pod and its risk.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngest } from '../../app/commands/ingest.js';
import { liveDetector } from '../../app/commands/live.js';
import { KubeWatcher } from '../../src/sources/kubernetes/watch.js';
import { newIncident } from '../../store/open.js';
import { FakeKube, kubeConfigFor, makeTestCert, waitFor, type TestCert } from './fake-kube.js';

let cert: TestCert;
const cleanup: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  cert = makeTestCert();
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('live Kubernetes detections', () => {
  it('a privileged pod appearing in the Pods watch raises k8s.live-privileged-pod once', async () => {
    const fake = new FakeKube(cert);
    const url = await fake.listen();
    cleanup.push(() => fake.close());
    const dir = mkdtempSync(join(tmpdir(), 'fb-live-det-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { store, journal } = await newIncident(join(dir, 'j.jsonl'), {
      incidentId: 'INC-2026-042',
      title: 't',
      mode: 'live',
    });
    cleanup.push(() => journal?.close());
    fake.put('pods', fake.pod('web-1'));
    const watcher = new KubeWatcher({
      kc: kubeConfigFor(url, cert.cert),
      namespace: 'shop',
      resources: ['pods'],
      sink: createIngest(store, 'kubernetes', liveDetector()),
      backoff: { initialMs: 20, maxMs: 200, random: () => 0.5 },
    });
    watcher.start();
    cleanup.push(() => watcher.stop());
    await waitFor(() => fake.openWatches('pods') === 1, 'the pod watch');
    const evil = fake.pod('node-shell', {
      spec: {
        nodeName: 'node-a',
        hostPID: true,
        containers: [{ name: 'shell', image: 'alpine', securityContext: { privileged: true } }],
        volumes: [{ name: 'host', hostPath: { path: '/' } }],
      },
    });
    fake.put('pods', evil);
    await waitFor(() => store.getState().state.detections.length > 0, 'a detection');
    // A status change of the same pod is not a second detection.
    fake.put('pods', { ...evil, metadata: { ...(evil.metadata as object), resourceVersion: '999' } });
    await waitFor(() => store.getState().state.events.length >= 3, 'the modified pod');
    const ds = store.getState().state.detections;
    expect(ds).toHaveLength(1);
    expect(ds.at(0)!.text).toMatch(
      /^Pod shop\/node-shell appeared with hostPID, hostPath \/, privileged \(shell\) on node-a \[k8s\.live-privileged-pod\] — suggests Sev1$/,
    );
  });
});
