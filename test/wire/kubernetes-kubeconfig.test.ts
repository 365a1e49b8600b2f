import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProductionContext,
  KubeConfigError,
  listContexts,
  loadKubeConfig,
  NO_CONTEXT,
} from '../../src/sources/kubernetes/kubeconfig.js';
import { tempDir } from '../helpers/tmp.js';

const TWO_CONTEXTS = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: { server: https://127.0.0.1:6443 }
- name: prod
  cluster: { server: https://127.0.0.1:7443 }
users:
- name: me
  user: { token: abc }
contexts:
- name: dev
  context: { cluster: dev, user: me }
- name: prod-eu
  context: { cluster: prod, user: me }
`;

const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function file(text: string): string {
  const p = join(tempDir('fb-kc-'), 'config');
  writeFileSync(p, text);
  return p;
}

describe('loadKubeConfig', () => {
  it('refuses an empty kubeconfig instead of falling back to localhost:8080', () => {
    expect(() => loadKubeConfig({ kubeconfig: file('') })).toThrow(NO_CONTEXT);
    expect(() => loadKubeConfig({ kubeconfig: file('apiVersion: v1\nkind: Config\n') })).toThrow(NO_CONTEXT);
  });

  it('refuses when nothing is configured at all (client-node would silently use http://localhost:8080)', () => {
    delete process.env.KUBECONFIG;
    process.env.HOME = tempDir('fb-home-');
    let err: unknown;
    try {
      loadKubeConfig();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KubeConfigError);
    expect((err as Error).message).toBe(NO_CONTEXT);
  });

  it('refuses an unknown context and lists the available ones', () => {
    expect(() => loadKubeConfig({ kubeconfig: file(TWO_CONTEXTS), context: 'staging' })).toThrow(
      'unknown Kubernetes context "staging"; available: dev, prod-eu',
    );
  });

  it('returns one KubeConfig per context, with that context current', () => {
    const path = file(TWO_CONTEXTS);
    const dev = loadKubeConfig({ kubeconfig: path });
    const prod = loadKubeConfig({ kubeconfig: path, context: 'prod-eu' });
    expect(dev).not.toBe(prod);
    expect(dev.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(prod.getCurrentContext()).toBe('prod-eu');
    expect(prod.getCurrentCluster()?.server).toBe('https://127.0.0.1:7443');
    process.env.KUBECONFIG = path;
    expect(loadKubeConfig({ context: 'prod-eu' }).getCurrentContext()).toBe('prod-eu');
    expect(listContexts({ kubeconfig: path })).toEqual(['dev', 'prod-eu']);
  });

  it('refuses a context whose cluster is the localhost:8080 fallback or missing', () => {
    const fallback = TWO_CONTEXTS.replace('https://127.0.0.1:6443', 'http://localhost:8080');
    expect(() => loadKubeConfig({ kubeconfig: file(fallback) })).toThrow(NO_CONTEXT);
    const noCurrent = TWO_CONTEXTS.replace('current-context: dev\n', '');
    expect(() => loadKubeConfig({ kubeconfig: file(noCurrent) })).toThrow(NO_CONTEXT);
  });
});

describe('isProductionContext', () => {
  it('matches /prod/i by default, or a given pattern, repeatably', () => {
    expect(isProductionContext('prod-eu')).toBe(true);
    expect(isProductionContext('arn:aws:eks:eu-west-1:1:cluster/PROD')).toBe(true);
    expect(isProductionContext('dev')).toBe(false);
    const g = /live/g;
    expect([isProductionContext('live-1', g), isProductionContext('live-1', g)]).toEqual([true, true]);
  });
});
