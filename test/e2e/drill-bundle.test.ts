// The cross-plane bundle end to end in a real terminal: the IRSA drill (k8s-irsa-pod), the
// cluster and the account armed, the compromised pod's event selected, X, every step's plan on
// screen, the role's name typed once, and the four actions run against the drill's simulated
// cluster and account — each with its own full lifecycle in the journal.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { armAs, killAll, quitCockpit, sandbox, spawnCli, type Sandbox } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

it('drill: X on the pod contains the pod and its IRSA role, one confirmation, four journaled actions', async () => {
  const J = join(box.dir, 'irsa.jsonl');
  const t = spawnCli(['drill', 'k8s-irsa-pod', '--journal', J, '--speed', '60'], { env: box.env, cols: 160, rows: 40 });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');
  await armAs(t, 'shop-prod');
  t.press('A');
  await t.waitFor('210987654321');
  t.type('210987654321');
  await t.waitFor('arm: 210987654321');
  t.press('enter');
  await t.waitFor(
    (s) => /ARMED .*210987654321/.test(s.split('\n')[0]!) && s.split('\n')[0]!.includes('shop-prod'),
    undefined,
    'both armed on the header',
  );
  // The Falco alert on the pod arrives at +00:01:40 (under two seconds at 60x); it is the first
  // row of the feed, and names the pod.
  await t.waitFor('FA Terminal shell in c', 30_000);
  t.press('3');
  t.press('g');
  await t.waitFor(/> 14:01:40 FA Terminal shell/, undefined, 'the Falco alert selected');
  t.press('4');
  await t.waitFor('Quarantine the pod');
  t.press('X');
  await t.waitFor('y confirm all 4 steps', 30_000, 'the bundle plan');
  const plan = t.screen();
  expect(plan).toContain('→ role shop-orders-reader (210987654321) via IRSA');
  for (const step of [
    '1. evidence: Capture pod',
    '2. evidence: Preserve CloudTrail',
    '3. destructive: Quarantine',
    '4. destructive: Deny-all',
  ])
    expect(plan).toContain(step);
  t.press('y');
  await t.waitFor('role name:');
  t.type('shop-orders-reader');
  await t.waitFor('role name: shop-orders-reader');
  t.press('enter');
  await t.waitFor('bundle done: all 4 steps in place', 60_000);
  t.press('escape');
  await quitCockpit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: { action?: string; actionId?: string; ok?: boolean } });
  const planned = records.filter((r) => r.type === 'action.planned').map((r) => r.data.action);
  expect(planned).toEqual(['k8s.capturePod', 'aws.preserveCloudTrail', 'k8s.quarantinePod', 'aws.denyAllRole']);
  expect(records.filter((r) => r.type === 'action.verified' && r.data.ok)).toHaveLength(4);
}, 120_000);
