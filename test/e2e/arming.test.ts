// Arming in the built cli, in a real pseudo-terminal: a live session on a production-named
// Kubernetes context shows PROD and "not armed"; A lists the cluster, a wrong name is refused, the
// cluster's name typed back arms it (ARMED, journaled). With --read-only, A does not exist.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeKube, makeTestCert, TOKEN } from '../wire/fake-kube.js';
import { killAll, runCli, sandbox, spawnCli, type Sandbox, quitCockpit } from './terminal.js';

let box: Sandbox;
let kube: FakeKube;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  await kube?.close();
  box.remove();
});

async function cluster(): Promise<Record<string, string>> {
  const tls = makeTestCert();
  kube = new FakeKube(tls);
  const server = await kube.listen();
  const kubeconfig = join(box.dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: shop-cluster\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}`,
      'users:',
      `- name: tester\n  user:\n    token: ${TOKEN}`,
      'contexts:',
      '- name: shop-prod\n  context:\n    cluster: shop-cluster\n    user: tester',
      'current-context: shop-prod',
      '',
    ].join('\n'),
  );
  return { ...box.env, KUBECONFIG: kubeconfig };
}

it('A arms a production session once the cluster name is typed back', async () => {
  const env = { ...(await cluster()), FIREBREAK_ARM_MINUTES: '0.1' };
  const J = join(box.dir, 'live.jsonl');
  const t = spawnCli(
    [
      'live',
      '--journal',
      J,
      '--title',
      'Arming e2e',
      '--id',
      'INC-2026-101',
      '--context',
      'shop-prod',
      '--namespace',
      'shop',
    ],
    { env, cols: 120, rows: 32 },
  );
  await t.waitFor(
    (s) => /^ LIVE /.test(s) && s.includes(' PROD ') && s.includes('not armed (A)'),
    undefined,
    'the live cockpit, production, not armed',
  );
  t.press('A');
  await t.waitFor(
    (s) => s.includes('Kubernetes cluster shop-cluster (context shop-prod)') && s.includes('arm:'),
    undefined,
    'the arming dialog',
  );
  t.type('shop-prod');
  // Wait for the text first: typed text and Enter in one chunk would be a paste, which never submits.
  await t.waitFor('arm: shop-prod');
  t.press('enter');
  await t.waitFor('"shop-prod" matches nothing: type shop-cluster exactly');
  // The dialog stays open on a wrong name; Ctrl-U clears the field.
  t.press('\u0015');
  await t.waitFor((s) => /│arm: +│/.test(s), undefined, 'the field cleared');
  t.type('shop-cluster');
  await t.waitFor('arm: shop-cluster');
  t.press('enter');
  // Armed for this cluster, with the time left (FIREBREAK_ARM_MINUTES=0.1: six seconds).
  await t.waitFor((s) => /ARMED shop-cluster 0:0\d/.test(s.split('\n')[0]!), undefined, 'ARMED with a countdown');
  // It lapses by itself; the expiry is journaled.
  await t.waitFor((s) => s.split('\n')[0]!.includes('not armed (A)'), 20_000, 'the arming to lapse');
  await t.waitFor((s) => s.includes('Arming for shop-cluster expired'), undefined, 'the expiry on the timeline');
  // :arm arms again; :disarm ends it at once.
  t.press(':');
  t.type('arm shop-cluster');
  await t.waitFor(': arm shop-cluster');
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes(' ARMED shop-cluster'), undefined, 'armed again');
  t.press(':');
  t.type('disarm');
  await t.waitFor(': disarm');
  t.press('enter');
  await t.waitFor('session disarmed for shop-cluster');
  expect(t.screen().split('\n')[0]).toContain('not armed (A)');
  t.press(':');
  t.type('arm shop-cluster');
  await t.waitFor(': arm shop-cluster');
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes(' ARMED shop-cluster'), undefined, 'armed before the restart');
  await quitCockpit(t);
  expect(runCli(['verify', J], box.env).code).toBe(0);
  const armed = runCli(['export', J, '--format', 'json'], box.env).stdout;
  expect(armed).toContain('shop-cluster');

  // The same journal opened again is a new session: disarmed, whatever the last one did.
  const again = spawnCli(['live', '--journal', J, '--context', 'shop-prod', '--namespace', 'shop'], {
    env,
    cols: 120,
    rows: 32,
  });
  await again.waitFor((s) => /^ LIVE /.test(s) && s.includes('not armed (A)'), undefined, 'reopened, not armed');
  await quitCockpit(again);
}, 90_000);

it('--read-only: the header says READ-ONLY and A does nothing', async () => {
  const env = await cluster();
  const J = join(box.dir, 'ro.jsonl');
  const t = spawnCli(
    [
      'live',
      '--journal',
      J,
      '--title',
      'Read-only e2e',
      '--id',
      'INC-2026-102',
      '--context',
      'shop-prod',
      '--read-only',
    ],
    { env, cols: 120, rows: 32 },
  );
  await t.waitFor((s) => /^ LIVE /.test(s) && s.includes('READ-ONLY'), undefined, 'the read-only cockpit');
  t.press('A');
  t.press('?');
  const help = await t.waitFor('Keys (live)');
  expect(help).not.toContain('Arm the session');
  expect(help).not.toContain('Arm the session for destructive actions (type');
  t.press('escape');
  await t.waitFor((s) => !s.includes('Keys (live)'), undefined, 'the help to close');
  await quitCockpit(t);
  expect(runCli(['verify', J], box.env).code).toBe(0);
});
