// The simulated API server over plain HTTP (fetch, no client library): the labelSelector query with
// set-based terms, the 400 a malformed one gets, and EndpointSlices that follow a Service's
// selector as pods are relabelled — what a quarantine's read-back depends on.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeSim } from '../src/kubernetes/protocol/server.js';
import type { KubeSeed } from '../src/kubernetes/model/objects.js';

const TOKEN = 'test-token';
const seed: KubeSeed = {
  pods: [
    {
      namespace: 'shop',
      name: 'web-1',
      labels: { app: 'shop', tier: 'web' },
      containers: [{ name: 'app', log: 'one\ntwo\nthree\n' }],
    },
    {
      namespace: 'shop',
      name: 'web-2',
      labels: { app: 'shop', tier: 'web', canary: 'true' },
      containers: [{ name: 'app' }],
    },
    { namespace: 'shop', name: 'api-1', labels: { app: 'shop', tier: 'api' }, containers: [{ name: 'app' }] },
    { namespace: 'shop', name: 'debug', containers: [{ name: 'sh' }] },
  ],
  services: [
    { namespace: 'shop', name: 'web', selector: { app: 'shop', tier: 'web' } },
    { namespace: 'shop', name: 'manual' },
  ],
};

let sim: KubeSim;
let url = '';
beforeEach(async () => {
  sim = new KubeSim(seed, { token: TOKEN });
  url = await sim.start();
});
afterEach(() => sim.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: any }> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const names = (list: any): string[] => list.items.map((o: any) => o.metadata.name).sort();

describe('list with labelSelector', () => {
  it.each([
    ['tier in (web,api)', ['api-1', 'web-1', 'web-2']],
    ['tier notin (web)', ['api-1', 'debug']],
    ['app,!canary', ['api-1', 'web-1']],
    ['tier!=web', ['api-1', 'debug']],
    ['', ['api-1', 'debug', 'web-1', 'web-2']],
  ])('%s', async (q, want) => {
    const r = await call('GET', `/api/v1/namespaces/shop/pods?labelSelector=${encodeURIComponent(q)}`);
    expect(r.status).toBe(200);
    expect(names(r.json)).toEqual(want);
  });

  it('a malformed selector is a 400 Status, not an empty list', async () => {
    const r = await call('GET', `/api/v1/namespaces/shop/pods?labelSelector=${encodeURIComponent('tier in (web')}`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(r.json.message).toMatch(/^unable to parse requirement/);
  });
});

describe('EndpointSlices follow the Service selector', () => {
  const endpoints = async (svc: string): Promise<string[]> => {
    const r = await call(
      'GET',
      `/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${svc}`)}`,
    );
    expect(r.json.items).toHaveLength(1);
    return r.json.items[0].endpoints.map((e: any) => e.targetRef.name).sort();
  };

  it('a Service selects the pods carrying every selector label; one without a selector selects none', async () => {
    expect(await endpoints('web')).toEqual(['web-1', 'web-2']);
    expect(await endpoints('manual')).toEqual([]);
  });

  it('removing one selector label (merge patch, null) takes the pod out; dryRun changes nothing', async () => {
    const patch = { metadata: { labels: { tier: null } } };
    const dry = await call(
      'PATCH',
      '/api/v1/namespaces/shop/pods/web-1?dryRun=All',
      patch,
      'application/merge-patch+json',
    );
    expect(dry.status).toBe(200);
    expect(await endpoints('web')).toEqual(['web-1', 'web-2']);
    const real = await call('PATCH', '/api/v1/namespaces/shop/pods/web-1', patch, 'application/merge-patch+json');
    expect(real.status).toBe(200);
    expect(real.json.metadata.labels).toEqual({ app: 'shop' });
    expect(await endpoints('web')).toEqual(['web-2']);
  });

  it('a merge-style object sent as JSON Patch is the API server’s 400', async () => {
    const r = await call(
      'PATCH',
      '/api/v1/namespaces/shop/pods/web-1',
      { metadata: { labels: { tier: null } } },
      'application/json-patch+json',
    );
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('cannot unmarshal object');
    expect(sim.get('pods', 'shop', 'web-1')?.metadata.labels.tier).toBe('web');
  });
});

describe('the model behind the server', () => {
  it('every change bumps resourceVersion; a change behind the API is seen by the next read', async () => {
    const before = Number(sim.resourceVersion);
    sim.mutate('pods', 'shop', 'api-1', (p) => (p.metadata.labels.tier = 'web'));
    expect(Number(sim.resourceVersion)).toBe(before + 1);
    const r = await call('GET', `/api/v1/namespaces/shop/pods?labelSelector=${encodeURIComponent('tier=web')}`);
    expect(names(r.json)).toEqual(['api-1', 'web-1', 'web-2']);
  });

  it('requests without the bearer token get 401', async () => {
    const r = await fetch(`${url}/api/v1/namespaces/shop/pods`);
    expect(r.status).toBe(401);
  });
});
