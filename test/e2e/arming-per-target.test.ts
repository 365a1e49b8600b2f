// Arming is per target, end to end in a real terminal: a live session on an AWS account and a
// production cluster at once (both simulated, packages/cloud-sim). Arming the cluster does not arm
// the account — a destructive AWS action is refused naming the account — and arming the account
// adds it beside the cluster; each arming is its own journaled record.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '@firebreak/cloud-sim';
import { ACCOUNT, INSTANCE, simAwsEnv, webEc2 } from './sim-estate.js';
import { killAll, sandbox, spawnCli, type Sandbox, quitCockpit, runPalette } from './terminal.js';

let box: Sandbox;
let cloud: SimCloud | undefined;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  await cloud?.close();
  box.remove();
});

it('arming the cluster leaves the AWS account unarmed; each is armed by its own name', async () => {
  cloud = await startSimCloud(
    {
      aws: {
        account: ACCOUNT,
        region: 'us-east-1',
        ec2: webEc2(),
      },
      kubernetes: { cluster: 'shop-cluster', seed: { namespaces: ['shop'] } },
    },
    { now: () => new Date() },
  );
  const k = cloud.endpoints.kubernetes!;
  const kubeconfig = join(box.dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: shop-cluster\n  cluster:\n    server: ${k.url}\n    insecure-skip-tls-verify: true`,
      'users:',
      `- name: tester\n  user:\n    token: ${k.token}`,
      'contexts:',
      '- name: shop-prod\n  context:\n    cluster: shop-cluster\n    user: tester',
      'current-context: shop-prod',
      '',
    ].join('\n'),
  );
  const env = { ...simAwsEnv(box.env, cloud), KUBECONFIG: kubeconfig };
  const J = join(box.dir, 'live.jsonl');
  const t = spawnCli(
    ['live', '--journal', J, '--id', 'INC-2026-102', '--title', 'Two targets', '--region', 'us-east-1'].concat([
      '--context',
      'shop-prod',
      '--namespace',
      'shop',
    ]),
    { env, cols: 160, rows: 40 },
  );
  await t.waitFor((s) => /^ LIVE /.test(s) && s.includes('not armed (A)'), undefined, 'the live cockpit, not armed');

  // Both targets are offered; the cluster's name arms the cluster only.
  t.press('A');
  await t.waitFor(
    (s) => s.includes('Kubernetes cluster shop-cluster') && s.includes(ACCOUNT),
    undefined,
    'the arming dialog listing both targets',
  );
  t.type('shop-cluster');
  await t.waitFor('arm: shop-cluster');
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes(' ARMED shop-cluster'), undefined, 'the cluster armed');
  expect(t.screen().split('\n')[0]).not.toContain(ACCOUNT);

  // A destructive AWS action is refused, naming the account and how to arm it; nothing is planned.
  await runPalette(t, `act aws.isolateInstance instance:${INSTANCE}`);
  await t.waitFor(
    `not armed for AWS account ${ACCOUNT} (armed only for shop-cluster): arm it first (A, or :arm ${ACCOUNT})`,
  );
  expect(t.screen()).not.toContain('params sha256');

  // Arming the account adds it; the same action now plans.
  await runPalette(t, `arm ${ACCOUNT}`);
  await t.waitFor(
    (s) => s.split('\n')[0]!.includes(ACCOUNT) && s.split('\n')[0]!.includes('shop-cluster'),
    undefined,
    'both armed on the header',
  );
  await runPalette(t, `act aws.isolateInstance instance:${INSTANCE}`);
  await t.waitFor('params sha256');
  t.press('escape');
  await quitCockpit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: { target?: string } });
  expect(records.filter((r) => r.type === 'session.armed').map((r) => r.data.target)).toEqual([
    'shop-cluster',
    ACCOUNT,
  ]);
  // Nothing destructive ran: the refused plan and the cancelled one never confirmed.
  expect(records.filter((r) => r.type === 'action.confirmed')).toEqual([]);
}, 90_000);
