// A world that reacts, end to end in a real terminal: the team preserves the leaked key's and
// the role's CloudTrail, deactivates the key and denies the role before the attack plays, then
// lets the drill run to its end. Every scripted call the attacker makes after that comes back
// failed with the error AWS returns (InvalidClientTokenId for the dead key, AccessDenied for the
// denied role) — before, the revoked session kept reading the database for 20 more minutes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import { armAs, killAll, sandbox, spawnCli, type Sandbox, type TerminalSession, quitCockpit } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

async function act(t: TerminalSession, action: string, target: string, typeBack?: string): Promise<void> {
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(`act ${action} ${target}`);
  await t.waitFor(`: act ${action} ${target}`);
  t.press('enter');
  await t.waitFor('params sha256');
  t.press('y');
  if (typeBack) {
    await t.waitFor('confirm:', undefined, 'the typed confirmation prompt');
    t.type(typeBack);
    await t.waitFor(`confirm: ${typeBack}`);
    t.press('enter');
  }
  await t.waitFor((x) => x.split('\n').at(-1)!.includes('succeeded and verified'), 30_000, `${action} verified`);
}

/** Space plays the (paused) drill to its end; q, y quit; the cockpit exits cleanly. */
async function playToEndAndQuit(t: TerminalSession): Promise<void> {
  t.press('space');
  await t.waitFor('drill finished', 120_000, 'the drill to play to its end');
  await quitCockpit(t, 30_000);
}

it('drill: contain the key and the role, then the attacker’s scripted calls fail', async () => {
  const J = join(box.dir, 'inc.jsonl');
  const t = spawnCli(['drill', 'inc-2026-042', '--journal', J, '--paused', '--speed', '60'], {
    env: box.env,
    cols: 160,
    rows: 40,
  });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');
  await armAs(t, '123456789012');

  await act(t, 'aws.preserveCloudTrailKey', 'access-key:AKIA5REPORTEXAMPLE01');
  await act(t, 'aws.preserveCloudTrail', 'iam-role:orders-api-prod');
  await act(t, 'aws.deactivateKey', 'access-key:AKIA5REPORTEXAMPLE01', 'AKIA5REPORTEXAMPLE01');
  await act(t, 'aws.denyAllRole', 'iam-role:orders-api-prod', 'orders-api-prod');

  await playToEndAndQuit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: { event?: Record<string, unknown> } });
  const attacker = records
    .filter((r) => r.type === 'event.ingested')
    .map((r) => r.data.event!)
    .filter((e) => e.source === 'cloudtrail' && e.sourceIp === '203.0.113.45');
  expect(attacker.length).toBeGreaterThan(10);
  // GetCallerIdentity is the one call no policy denies (packages/cloud-sim/src/reactions.ts):
  // the revoked session may still ask who it is, and nothing else.
  expect(attacker.filter((e) => e.outcome === 'success' && e.action !== 'GetCallerIdentity')).toEqual([]);
  const codes = new Set(attacker.map((e) => e.errorCode));
  expect(codes).toContain('InvalidClientTokenId');
  expect(codes).toContain('AccessDenied');
  const byKey = attacker.filter((e) => e.accessKeyId === 'AKIA5REPORTEXAMPLE01' && e.action === 'AssumeRole');
  expect(byKey.length).toBeGreaterThan(0);
  expect(byKey.every((e) => e.errorCode === 'InvalidClientTokenId')).toBe(true);
  // The scorecard written when the cockpit closed counts the containment: it held.
  const scored = records.filter((r) => r.type === 'drill.scored').at(-1) as unknown as {
    data: { metrics: { id: string; pass: boolean; detail: string }[] };
  };
  expect(scored.data.metrics.find((m) => m.id === 'contain')).toMatchObject({ pass: true });
}, 240_000);

it('drill (Kubernetes): quarantine before the reverse shell; it never connects, the attacker execs back in', async () => {
  const J = join(box.dir, 'k8s.jsonl');
  const POD = 'payments/api-7d9f8b6c5-x2kqp';
  const t = spawnCli(['drill', 'k8s-compromised-pod', '--journal', J, '--paused', '--speed', '60'], {
    env: box.env,
    cols: 160,
    rows: 40,
  });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');
  await armAs(t, 'prod-eu-west-1');
  await act(t, 'k8s.capturePod', `pod:${POD}`);
  await act(t, 'k8s.quarantinePod', `pod:${POD}`, POD);

  await playToEndAndQuit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, any> });
  const events = records.filter((r) => r.type === 'event.ingested').map((r) => r.data.event as IncidentEvent);
  const falco = events.filter((e) => e.source === 'falco').map((e) => e.action);
  // The pod's egress is cut: no reverse-shell connection, no outbound connect, no dropped binary.
  expect(falco).not.toContain('Redirect STDOUT/STDIN to Network Connection in Container');
  expect(falco).not.toContain('Unexpected outbound connection destination');
  expect(falco).not.toContain('Drop and execute new binary in container');
  // The calls the stolen token made from inside the pod never reached the API server after it.
  // What a NetworkPolicy does not cut: the attacker execs back in with the developer session.
  expect(falco.filter((a) => a === 'Terminal shell in container')).toHaveLength(2);
  const rules = records.filter((r) => r.type === 'detection.raised').map((r) => r.data.ruleId as string);
  expect(rules).not.toContain('falco.outbound-c2');
  // And the scorecard says the quarantine did not stop the activity (the token still works).
  const scored = records.filter((r) => r.type === 'drill.scored').at(-1)!;
  const contain = (scored.data.metrics as { id: string; pass: boolean; detail: string }[]).find(
    (m) => m.id === 'contain',
  )!;
  expect(contain.pass).toBe(false);
  expect(contain.detail).toContain('did not stop the activity');
}, 240_000);

it('drill: kill -9 after the deny-all, resume, and the read-back is still true', async () => {
  const J = join(box.dir, 'resume.jsonl');
  const args = ['drill', 'inc-2026-042', '--journal', J, '--paused', '--speed', '60'];
  const t = spawnCli(args, { env: box.env, cols: 160, rows: 40 });
  await t.waitFor(/^ DRILL /, undefined, 'the drill header');
  await armAs(t, '123456789012');
  await act(t, 'aws.preserveCloudTrail', 'iam-role:orders-api-prod');
  await act(t, 'aws.denyAllRole', 'iam-role:orders-api-prod', 'orders-api-prod');
  await t.kill();
  const before = readFileSync(J, 'utf8').trim().split('\n').length;
  const lastTs = Date.parse((JSON.parse(readFileSync(J, 'utf8').trim().split('\n').at(-1)!) as { ts: string }).ts);

  const r = spawnCli(args, { env: box.env, cols: 160, rows: 40 });
  await r.waitFor(/^ DRILL /, undefined, 'the resumed drill');
  r.press('4');
  // The pane offers the actions for the selected follow-up event first, then the two done ones.
  await r.waitFor('2 done so far');
  r.press('j');
  r.press('j');
  for (let i = 0; i < 2; i++) {
    r.press('v');
    await r.waitFor(
      (x) => /succeeded and verified|VERIFY FAILED|verified after doubt/.test(x.split('\n').at(-1)!),
      30_000,
      'the read-back',
    );
    r.press('j');
  }
  // Let the attack play: the role is still denied in the rebuilt cloud.
  await playToEndAndQuit(r);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; ts: string; data: Record<string, unknown> });
  const after = records.slice(before);
  const verified = after.filter((x) => x.type === 'action.verified');
  expect(verified.length).toBe(2);
  expect(verified.map((v) => v.data.ok)).toEqual([true, true]);
  // The resumed clock never ran before the last record written before the kill.
  expect(Math.min(...after.map((x) => Date.parse(x.ts)))).toBeGreaterThanOrEqual(lastTs);
  // The rebuilt cloud still stops the old session: its calls after the resume failed.
  const old = after
    .filter((x) => x.type === 'event.ingested')
    .map((x) => x.data.event as IncidentEvent)
    .filter((e) => e.accessKeyId === 'ASIA5ATTACKEXAMPLE01');
  expect(old.length).toBeGreaterThan(0);
  expect(old.filter((e) => e.outcome === 'success' && e.action !== 'GetCallerIdentity')).toEqual([]);
}, 240_000);
