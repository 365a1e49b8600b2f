// Actions in a drill, end to end in a real terminal: arm by typing the cluster name, capture the
// compromised pod's evidence, then quarantine it (destructive: the pod's id typed back) — real
// client-node calls against the drill's simulated cluster. The journal holds each full lifecycle,
// the evidence files match their hashes, the follow-up audit events are in the feed, and the
// post-mortem and evidence manifest made from the journal show it all.

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { armAs, killAll, runCli, sandbox, spawnCli, type Sandbox, quitCockpit } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

const POD = 'payments/api-7d9f8b6c5-x2kqp';

it('drill: arm, capture the pod, quarantine it; journal, evidence, feed and reports agree', async () => {
  const J = join(box.dir, 'k8s.jsonl');
  const t = spawnCli(['drill', 'k8s-compromised-pod', '--journal', J, '--speed', '10'], {
    env: box.env,
    cols: 160,
    rows: 40,
  });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');

  // Arming: A, the cluster name typed back.
  await armAs(t, 'prod-eu-west-1');

  // Evidence first: capture the pod (non-destructive: y runs it).
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(`act k8s.capturePod pod:${POD}`);
  await t.waitFor(`: act k8s.capturePod pod:${POD}`);
  t.press('enter');
  await t.waitFor('params sha256');
  t.press('d');
  await t.waitFor(/dry run \(simulated\) at [\d:]+: ok/);
  t.press('y');
  await t.waitFor('succeeded and verified', 30_000);

  // Quarantine: destructive — y, then the pod's id typed back.
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(`act k8s.quarantinePod pod:${POD}`);
  await t.waitFor(`: act k8s.quarantinePod pod:${POD}`);
  t.press('enter');
  await t.waitFor('DESTRUCTIVE');
  t.press('d');
  await t.waitFor(/dry run \(server\) at [\d:]+: ok/);
  t.press('y');
  await t.waitFor('confirm:', undefined, 'the typed confirmation prompt');
  t.type('payments/wrong-pod');
  await t.waitFor('confirm: payments/wrong-pod');
  t.press('enter');
  await t.waitFor('does not match');
  for (let i = 0; i < 'payments/wrong-pod'.length; i++) t.press('backspace');
  await t.waitFor((x) => !x.includes('confirm: payments/wrong-pod'), undefined, 'the wrong text erased');
  t.type(POD);
  await t.waitFor(`confirm: ${POD}`);
  t.press('enter');
  await t.waitFor(
    (x) => x.split('\n').at(-1)!.includes('succeeded and verified') && x.includes('Quarantine'),
    30_000,
    'the quarantine verified',
  );

  await quitCockpit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const lifecycle = records.filter((r) => r.type.startsWith('action.')).map((r) => r.type);
  expect(lifecycle).toEqual([
    'action.planned',
    'action.dryrun',
    'action.confirmed',
    'action.started',
    'action.succeeded',
    'action.verified',
    'action.planned',
    'action.dryrun',
    'action.confirmed',
    'action.started',
    // The quarantine's state before it (the pod's labels), then its two writes, each as it answered.
    'action.captured',
    'action.call',
    'action.call',
    'action.succeeded',
    'action.verified',
  ]);
  expect(records.find((r) => r.type === 'session.armed').data.target).toBe('prod-eu-west-1');
  // Every evidence file is on disk with the hash the journal recorded.
  const evidence = records.filter((r) => r.type === 'evidence.recorded');
  expect(evidence.length).toBeGreaterThanOrEqual(3);
  for (const e of evidence)
    expect(createHash('sha256').update(readFileSync(e.data.path)).digest('hex')).toBe(e.data.sha256);
  // The quarantine's calls came back as audit events in the drill's feed.
  const fed = records.filter(
    (r) =>
      r.type === 'event.ingested' && r.data.event.source === 'k8s-audit' && r.data.event.actor === 'drill-responder',
  );
  expect(fed.map((r) => r.data.event.action)).toEqual(expect.arrayContaining(['create', 'patch']));

  const pm = runCli(['export', J, '--postmortem'], box.env);
  expect(pm.code).toBe(0);
  // Actions in the post-mortem as a reader says them, not by their catalog ids.
  expect(pm.stdout).toContain('Quarantine pod payments/api-7d9f8b6c5-x2kqp');
  expect(pm.stdout).toMatch(/Capture (pod )?evidence( from pod)? payments\/api-7d9f8b6c5-x2kqp/);
  expect(pm.stdout).not.toContain('k8s.quarantinePod');
  const ev = runCli(['export', J, '--evidence'], box.env);
  expect(ev.code).toBe(0);
  for (const e of evidence) expect(ev.stdout).toContain(e.data.sha256);
});
