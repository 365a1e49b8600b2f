// One live session on two AWS accounts (two --profile, each with its own endpoint_url) and two
// clusters (two --context), all simulated (packages/cloud-sim), end to end in a real terminal:
// the header shows every source by account and cluster, events of both accounts arrive, arming
// lists all four and arms one, and a pod of the same name in both clusters is captured and
// quarantined in the cluster named — the other cluster never sees a call.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '@firebreak/cloud-sim';
import { killAll, sandbox, spawnCli, type Sandbox, quitCockpit, runPalette } from './terminal.js';

const A = '111111111111';
const B = '222222222222';
const POD = 'shop/web-1';

let box: Sandbox;
let clouds: SimCloud[] = [];
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  await Promise.all(clouds.map((c) => c.close()));
  clouds = [];
  box.remove();
});

function estate(account: string, cluster: string, eventName: string) {
  const now = Date.now();
  return startSimCloud(
    {
      aws: {
        account,
        region: 'us-east-1',
        cloudtrail: {
          events: [
            {
              eventId: `ev-${account}`,
              eventTime: new Date(now - 60_000).toISOString(),
              eventName,
              eventSource: 'secretsmanager.amazonaws.com',
              username: 'svc-orders',
            },
          ],
        },
      },
      kubernetes: {
        cluster,
        seed: {
          namespaces: ['shop'],
          pods: [
            { namespace: 'shop', name: 'web-1', labels: { app: 'web' }, containers: [{ name: 'web', log: 'GET /' }] },
          ],
        },
      },
    },
    { now: () => new Date() },
  );
}

it('two accounts and two clusters in one session: each source shown, each armed and acted on by name', async () => {
  clouds = [await estate(A, 'shop-a', 'GetSecretValue'), await estate(B, 'shop-b', 'DeleteSecret')];
  const [ca, cb] = clouds as [SimCloud, SimCloud];
  const profile = (name: string, c: SimCloud) =>
    [
      `[profile ${name}]`,
      'region = us-east-1',
      `aws_access_key_id = ${c.endpoints.aws!.credentials.accessKeyId}`,
      `aws_secret_access_key = ${c.endpoints.aws!.credentials.secretAccessKey}`,
      `endpoint_url = ${c.endpoints.aws!.url}`,
      '',
    ].join('\n');
  writeFileSync(join(box.dir, 'aws-config'), profile('shop-a', ca) + profile('shop-b', cb));
  const cluster = (name: string, c: SimCloud) =>
    `- name: ${name}\n  cluster:\n    server: ${c.endpoints.kubernetes!.url}\n    insecure-skip-tls-verify: true`;
  const user = (name: string, c: SimCloud) => `- name: ${name}\n  user:\n    token: ${c.endpoints.kubernetes!.token}`;
  writeFileSync(
    join(box.dir, 'kubeconfig'),
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      cluster('shop-a', ca),
      cluster('shop-b', cb),
      'users:',
      user('ua', ca),
      user('ub', cb),
      'contexts:',
      '- name: ctx-a\n  context:\n    cluster: shop-a\n    user: ua',
      '- name: ctx-b\n  context:\n    cluster: shop-b\n    user: ub',
      'current-context: ctx-a',
      '',
    ].join('\n'),
  );
  const env = {
    ...box.env,
    AWS_CONFIG_FILE: join(box.dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(box.dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    KUBECONFIG: join(box.dir, 'kubeconfig'),
  };
  const J = join(box.dir, 'live.jsonl');
  const t = spawnCli(
    ['live', '--journal', J, '--id', 'INC-2026-202', '--title', 'Two accounts, two clusters'].concat(
      ['--profile', 'shop-a', '--profile', 'shop-b', '--region', 'us-east-1'],
      ['--context', 'ctx-a', '--context', 'ctx-b', '--namespace', 'shop'],
    ),
    { env, cols: 220, rows: 50 },
  );
  await t.waitFor(
    (s) =>
      ['CT shop-a us-east-1 ✓', 'CT shop-b us-east-1 ✓', 'k8s shop-a pods ✓', 'k8s shop-b pods ✓'].every((x) =>
        s.includes(x),
      ),
    30_000,
    'every source healthy, named by profile and cluster',
  );
  await t.waitFor((s) => s.includes('GetSecretValue') && s.includes('DeleteSecret'), 30_000, 'both accounts’ events');

  // Arming lists both accounts and both clusters; the second cluster's name arms only it.
  t.press('A');
  await t.waitFor(
    (s) => [A, B, 'Kubernetes cluster shop-a', 'Kubernetes cluster shop-b'].every((x) => s.includes(x)),
    undefined,
    'the arming dialog listing four targets',
  );
  t.type('shop-b');
  await t.waitFor('arm: shop-b');
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes(' ARMED shop-b'), undefined, 'shop-b armed');

  // A pod named in no cluster is refused: web-1 runs in both.
  await runPalette(t, `act k8s.capturePod pod:${POD}`);
  await t.waitFor('which cluster? This session watches shop-a, shop-b');

  // Capture, then quarantine, in shop-b.
  ca.takeNewCalls();
  await runPalette(t, `act k8s.capturePod pod:${POD}@shop-b`);
  await t.waitFor('params sha256');
  t.press('y');
  await t.waitFor('succeeded and verified', 30_000);
  await runPalette(t, `act k8s.quarantinePod pod:${POD}@shop-b`);
  await t.waitFor('DESTRUCTIVE');
  await t.waitFor('in cluster shop-b');
  t.press('y');
  await t.waitFor('confirm:');
  t.type(POD);
  await t.waitFor(`confirm: ${POD}`);
  t.press('enter');
  await t.waitFor(
    (s) => s.split('\n').at(-1)!.includes('succeeded and verified') && s.includes('Quarantine'),
    30_000,
    'the quarantine verified',
  );
  await quitCockpit(t);

  // Only shop-b was written to; shop-a saw reads of its watch and nothing else.
  const writes = (c: SimCloud) =>
    c.takeNewCalls().filter((x) => x.service === 'kubernetes' && !['GET'].includes(x.method));
  expect(writes(ca)).toEqual([]);
  expect(writes(cb).length).toBeGreaterThan(0);
  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  // Every journaled event says where it came from; every action's target too.
  const events = records.filter((r) => r.type === 'event.ingested').map((r) => r.data.event as Record<string, unknown>);
  expect(
    events
      .filter((e) => e.source === 'cloudtrail')
      .map((e) => e.account)
      .sort(),
  ).toEqual([A, B]);
  expect(new Set(events.filter((e) => e.source === 'kubernetes').map((e) => e.cluster))).toEqual(
    new Set(['shop-a', 'shop-b']),
  );
  const planned = records.filter((r) => r.type === 'action.planned').map((r) => r.data.target);
  expect(planned).toEqual([
    expect.objectContaining({ kind: 'pod', id: POD, cluster: 'shop-b' }),
    expect.objectContaining({ kind: 'pod', id: POD, cluster: 'shop-b' }),
  ]);
  expect(records.filter((r) => r.type === 'session.armed').map((r) => r.data.target)).toEqual(['shop-b']);
}, 120_000);
