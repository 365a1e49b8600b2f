// Resume that remembers, for Kubernetes: the team quarantines the compromised pod, the drill is
// killed (kill -9: no clean shutdown, nothing flushed on the way out), and the same --journal is
// opened again. The rebuilt simulated cluster still holds the quarantine, so the read-back the
// responder asks for says verified — before, a fresh sim answered "VERIFY FAILED" and the journal
// kept a permanent, false "quarantine not in place". The resumed clock never runs backwards.

import { readFileSync } from 'node:fs';
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

interface Rec {
  type: string;
  ts: string;
  data: Record<string, unknown>;
}
const records = (file: string): Rec[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec);

it('drill: quarantine the pod, kill -9, resume, and v still reads it back as verified', async () => {
  const J = join(box.dir, 'k8s-resume.jsonl');
  const args = ['drill', 'k8s-compromised-pod', '--journal', J, '--paused', '--speed', '10'];
  const t = spawnCli(args, { env: box.env, cols: 200, rows: 40 });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');

  // Arming: A, the cluster name typed back.
  await armAs(t, 'prod-eu-west-1');

  // As a responder does it: play until the feed names the pod, narrow the live events to it,
  // then act from the actions pane with the actions' own keys.
  t.press('space');
  t.press('3');
  t.press('/');
  await t.waitFor('Filter the events');
  t.type('x2kqp');
  await t.waitFor('/ x2kqp');
  t.press('enter');
  await t.waitFor(/Live events {2}[1-9]\d* matching "x2kqp"/, 60_000, 'an event naming the api pod');
  t.press('space');
  await t.waitFor('drill PAUSED');
  t.press('4');
  await t.waitFor(`for pod ${POD}`, undefined, 'the actions for the pod');

  // Evidence first (the guardrail insists): c plans the capture, non-destructive, y runs it.
  t.press('c');
  await t.waitFor('params sha256');
  t.press('y');
  await t.waitFor((x) => /succeeded and verified: Capture/.test(x.split('\n').at(-1)!), 30_000, 'the capture verified');

  // Q plans the quarantine: destructive — y, then the pod's id typed back.
  t.press('Q');
  await t.waitFor('DESTRUCTIVE');
  t.press('y');
  await t.waitFor('confirm:', undefined, 'the typed confirmation prompt');
  t.type(POD);
  await t.waitFor(`confirm: ${POD}`);
  t.press('enter');
  await t.waitFor(
    (x) => /succeeded and verified: Quarantine/.test(x.split('\n').at(-1)!),
    30_000,
    'the quarantine verified',
  );
  // Let the drill clock run on past the quarantine, so the last record is well after it.
  t.press('space');
  await t.waitFor((x) => /\d\d:\d\d:\d\d DET /.test(x), 60_000, 'a scripted detection on the timeline');

  // kill -9: the crash case, no quit dialog, no scorecard, no clean close of the sims.
  await t.kill();
  expect(t.exitedStatus?.signal).toBe(9);
  const before = records(J);
  const lastTs = Math.max(...before.map((r) => Date.parse(r.ts)));
  const verifiedBefore = before.filter((r) => r.type === 'action.verified');
  expect(verifiedBefore.map((r) => r.data.ok)).toEqual([true, true]);

  const r = spawnCli(args, { env: box.env, cols: 200, rows: 40 });
  await r.waitFor(/^ DRILL /, undefined, 'the resumed drill');
  r.press('4');
  await r.waitFor('2 done so far');
  // Offered rows first, then the done ones newest first: the quarantine, then the capture. The
  // cursor stops on the last row however many are offered; one up is the quarantine.
  for (let i = 0; i < 30; i++) r.press('j');
  r.press('k');
  r.press('v');
  const shown = await r.waitFor(
    (x) =>
      /(succeeded and verified|VERIFY FAILED \(the call succeeded\)|verified after doubt|NOT APPLIED[^:]*): Quarantine/.test(
        x.split('\n').at(-1)!,
      ),
    30_000,
    'the read-back',
  );
  expect(shown).not.toContain('VERIFY FAILED');
  expect(shown.split('\n').at(-1)).toMatch(/succeeded and verified: Quarantine/);
  // Play on a little: the resumed clock moves forward from where it stopped.
  r.press('space');
  await r.waitForChange(r.screen());
  await quitCockpit(r, 30_000);

  const all = records(J);
  const after = all.slice(before.length);
  const verified = after.filter((x) => x.type === 'action.verified');
  expect(verified.length).toBe(1);
  expect(verified[0]!.data.ok).toBe(true);
  // No record anywhere claims the quarantine is not in place.
  expect(all.filter((x) => x.type === 'action.verified' && x.data.ok !== true)).toEqual([]);
  // The resumed drill clock never ran before the last record written before the kill.
  expect(after.length).toBeGreaterThan(0);
  expect(Math.min(...after.map((x) => Date.parse(x.ts)))).toBeGreaterThanOrEqual(lastTs);
  // The journal still verifies end to end after the crash and the resume.
  const v = runCli(['verify', J], box.env);
  expect(v.code).toBe(0);
}, 240_000);
