// The live action env: which backends a session has (known before anything is built), evidence
// beside the journal, Vault from the environment, built once on first use and retried after a
// failure, and what counts as production.

import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  evidenceDirFor,
  liveBackends,
  liveEnvFactory,
  productionReason,
  vaultFrom,
} from '../../../src/actions/live-env.js';

function kubeConfig(context: string, cluster: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: cluster, server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: context, cluster, user: 'u' }],
    currentContext: context,
  });
  return kc;
}

const base = {
  incidentId: 'INC-2026-042',
  journal: '/tmp/inc.jsonl',
  collector: 'alice',
  toolVersion: 'firebreak 0.1.0',
};

it('knows the backends without building anything', () => {
  expect([...liveBackends({ ...base, env: {} })]).toEqual([]);
  expect(
    [
      ...liveBackends({
        ...base,
        region: 'us-east-1',
        kcs: [kubeConfig('c', 'k')],
        env: { VAULT_ADDR: 'https://vault:8200', VAULT_TOKEN: 's.x' },
      }),
    ].sort(),
  ).toEqual(['aws', 'kubernetes', 'vault']);
  // Half a Vault configuration is no Vault.
  expect(vaultFrom({ VAULT_ADDR: 'https://vault:8200' })).toBeUndefined();
});

it('builds the env once, lazily, with evidence beside the journal and the Object Lock bucket', async () => {
  const kc = kubeConfig('prod-eks', 'eks-prod-1');
  const make = liveEnvFactory({
    ...base,
    kcs: [kc],
    evidenceBucket: 'ev-bucket',
    retentionDays: 30,
    env: { VAULT_ADDR: 'https://v', VAULT_TOKEN: 'tok' },
  });
  const a = await make();
  expect(await make()).toBe(a);
  expect(a.evidenceDir).toBe('/tmp/inc.jsonl.evidence');
  expect(evidenceDirFor('x.jsonl')).toBe('x.jsonl.evidence');
  expect(a.kube).toMatchObject({ context: 'prod-eks', cluster: 'eks-prod-1' });
  expect(a.kube!.kc).toBe(kc);
  expect(a.vault).toEqual({ addr: 'https://v', token: 'tok' });
  expect(a.evidenceBucket).toEqual({ bucket: 'ev-bucket', retentionDays: 30, mode: 'COMPLIANCE' });
  expect(a.aws).toBeUndefined();
});

describe('several clusters in one session', () => {
  const a = kubeConfig('shop-a-ctx', 'shop-a');
  const b = kubeConfig('shop-b-ctx', 'shop-b');
  const make = () => liveEnvFactory({ ...base, kcs: [a, b], env: {} });
  const pod = (cluster?: string) => ({
    kind: 'pod' as const,
    id: 'shop/web-1',
    label: 'pod shop/web-1',
    ...(cluster ? { cluster } : {}),
  });

  it('acts in the cluster the target came from, never in another', async () => {
    const env = make();
    expect((await env(pod('shop-b'))).kube!.kc).toBe(b);
    expect((await env(pod('shop-a'))).kube!.kc).toBe(a);
    expect(env.clusters.map((c) => c.cluster)).toEqual(['shop-a', 'shop-b']);
    await expect(env(pod('shop-c'))).rejects.toThrow(
      'pod shop/web-1 is in cluster shop-c, which this session does not reach (it reaches shop-a, shop-b)',
    );
  });

  it('refuses a pod that names no cluster: the same name may run in each', async () => {
    await expect(make()(pod())).rejects.toThrow('pod shop/web-1: which cluster? This session watches shop-a, shop-b');
    // One cluster: no doubt, and a target from an event of that cluster matches it.
    const one = liveEnvFactory({ ...base, kcs: [a], env: {} });
    expect((await one(pod())).kube!.kc).toBe(a);
    expect((await one(pod('shop-a'))).kube!.kc).toBe(a);
    // An event of another cluster (an imported journal) is not acted on with this one's credentials.
    await expect(one(pod('shop-b'))).rejects.toThrow('is in cluster shop-b');
  });

  it('targets of a watched event carry its cluster; :act names one with @', async () => {
    const { targetsOf } = await import('../../../src/actions/catalog.js');
    const { splitWhere, withWhere } = await import('../../../src/domain/target-kinds.js');
    const [t] = targetsOf({
      source: 'kubernetes',
      actor: 'system:serviceaccount:shop:web',
      target: 'pods/web-1',
      scope: 'shop',
      where: 'shop-b',
    });
    expect(t).toMatchObject({ kind: 'pod', id: 'shop/web-1', cluster: 'shop-b' });
    expect(withWhere(t!)).toBe('pod:shop/web-1@shop-b');
    expect(splitWhere('pod', 'shop/web-1@shop-b')).toEqual({ id: 'shop/web-1', cluster: 'shop-b' });
    expect(splitWhere('iam-role', 'ci@222222222222')).toEqual({ id: 'ci', account: '222222222222' });
    // A user name may hold @: only a trailing account id is a where.
    expect(splitWhere('iam-user', 'alice@example.com')).toEqual({ id: 'alice@example.com' });
    expect(splitWhere('vault-prefix', 'aws/creds/x@y')).toEqual({ id: 'aws/creds/x@y' });
  });
});

it('production: a context, cluster or profile matching the pattern', () => {
  expect(productionReason({ context: 'prod-eks', pattern: /prod/i })).toBe('context prod-eks');
  expect(productionReason({ context: 'dev', cluster: 'PROD-1', pattern: /prod/i })).toBe('cluster PROD-1');
  expect(productionReason({ profile: 'live-admin', pattern: /live/i })).toBe('profile live-admin');
  expect(productionReason({ context: 'staging', profile: 'dev', pattern: /prod/i })).toBeUndefined();
});

describe('the Region an action runs in', () => {
  it('is the one the target’s event named when the session polls it, else the first --region', async () => {
    const { regionFor } = await import('../../../src/actions/live-env.js');
    const { targetsOf } = await import('../../../src/actions/catalog.js');
    const o = { region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] };
    const [inst] = targetsOf({
      source: 'cloudtrail',
      actor: 'arn:aws:iam::123456789012:user/x',
      target: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f67890',
      scope: 'eu-west-1',
    }).filter((t) => t.kind === 'instance');
    expect(inst).toMatchObject({ id: 'i-0a1b2c3d4e5f67890', scope: 'eu-west-1' });
    expect(regionFor(o, inst)).toBe('eu-west-1');
    // A Region the session does not poll (or none) falls back to the first --region.
    expect(regionFor(o, { ...inst!, scope: 'ap-south-1' })).toBe('us-east-1');
    expect(regionFor(o, undefined)).toBe('us-east-1');
    // Kubernetes namespaces are not Regions.
    const [pod] = targetsOf({
      source: 'k8s-audit',
      actor: 'system:serviceaccount:payments:api',
      target: 'pods/api-1',
      scope: 'payments',
    });
    expect(pod).toMatchObject({ kind: 'pod', id: 'payments/api-1' });
    expect(pod!.scope).toBeUndefined();
  });
});

describe('the key that signed a call is a target', () => {
  it('CloudTrail userIdentity.accessKeyId becomes an access-key target (well-formed ids only)', async () => {
    const { normaliseCloudTrailRecord } = await import('../../../src/sources/cloudtrail/normalise.js');
    const { targetsOf } = await import('../../../src/actions/catalog.js');
    const raw = (accessKeyId: string) => ({
      eventVersion: '1.11',
      eventID: `e-${accessKeyId.length}`,
      eventTime: '2026-04-20T14:16:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'us-east-1',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/svc-orders-reporting', accessKeyId },
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/orders-api-prod' },
    });
    const r = normaliseCloudTrailRecord(raw('AKIA5REPORTEXAMPLE01'), '2026-04-20T14:20:00Z');
    expect(r.ok && r.event.accessKeyId).toBe('AKIA5REPORTEXAMPLE01');
    const ev = r.ok ? r.event : undefined;
    const ts = targetsOf({
      source: 'cloudtrail',
      actor: ev!.actor,
      target: ev!.targets[0] ?? '',
      scope: 'us-east-1',
      accessKeyId: ev!.accessKeyId,
    });
    expect(ts.map((t) => `${t.kind}:${t.id}`)).toEqual(
      expect.arrayContaining(['iam-user:svc-orders-reporting', 'access-key:AKIA5REPORTEXAMPLE01']),
    );
    const forged = normaliseCloudTrailRecord(raw('AKIA\u001b[31mX'), '2026-04-20T14:20:00Z');
    expect(forged.ok && forged.event.accessKeyId).toBeUndefined();
  });
});
