// Two built cockpits in pseudo-terminals share one incident through the S3 sim with Object Lock:
// alice opens it with --share, bob joins it from the bucket (--id, no --title), each types a
// note and a different severity; both headers show the merged conflict, and after they quit,
// `verify --share` and `export --share` read the whole incident from the bucket, with each
// record's writer.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { S3Sim } from '@firebreak/cloud-sim';
import { FakeCloudTrail } from '../wire/fake-cloudtrail.js';
import { BIN, killAll, quitCockpit, sandbox, spawnCli, type Sandbox, type TerminalSession } from './terminal.js';

let box: Sandbox;
let ct: FakeCloudTrail;
let s3: S3Sim;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  await ct?.close();
  await s3?.close();
  box.remove();
});

/** terminal.ts runCli blocks the event loop (spawnSync), and the S3 sim answers from this process. */
function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd: env.HOME, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function palette(t: TerminalSession, line: string, done: string): Promise<void> {
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(line);
  await t.waitFor(`: ${line}`);
  t.press('enter');
  await t.waitFor(done);
}

it('two cockpits on one shared incident: join from the bucket, conflict shown, merged export', async () => {
  ct = new FakeCloudTrail();
  const ctUrl = await ct.start();
  s3 = new S3Sim({ buckets: [{ name: 'ir-share', objectLock: true }] });
  const s3Url = await s3.start();
  const env = {
    ...box.env,
    AWS_ENDPOINT_URL: ctUrl,
    AWS_ENDPOINT_URL_S3: s3Url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const share = ['--share', 's3://ir-share/team', '--share-every', '1', '--region', 'us-east-1'];
  const alice = spawnCli(
    [
      'live',
      '--journal',
      join(box.dir, 'alice.jsonl'),
      '--title',
      'Shared wire test',
      '--id',
      'INC-2026-100',
      '--actor',
      'alice',
      ...share,
    ],
    { env, cols: 220, rows: 50 },
  );
  await alice.waitFor((s) => /^ LIVE /.test(s) && s.includes('INC-2026-100'), undefined, 'alice’s cockpit');
  await alice.waitFor(/share alice-[0-9a-f]{8} ✓/, undefined, 'alice’s share healthy');
  await palette(alice, 'note from alice', 'recorded');
  await palette(alice, 'severity 1 creds used', 'recorded');
  // Published within a round: the joiner needs alice's incident.opened in the bucket.
  await new Promise((r) => setTimeout(r, 2_500));

  const bob = spawnCli(
    ['live', '--journal', join(box.dir, 'bob.jsonl'), '--id', 'INC-2026-100', '--actor', 'bob', ...share],
    {
      env,
      cols: 220,
      rows: 50,
    },
  );
  await bob.waitFor(
    (s) => /^ LIVE /.test(s) && s.includes('Shared wire test'),
    undefined,
    'bob joined alice’s incident',
  );
  await palette(bob, 'note from bob', 'recorded');
  await palette(bob, 'severity 2 looks contained', 'recorded');
  for (const t of [alice, bob])
    await t.waitFor(
      /CONFLICT severity: Sev1 by alice-[0-9a-f]{8} vs Sev2 by bob-[0-9a-f]{8}/,
      undefined,
      'the conflict',
    );

  // Each sees the other's note and severity in the merged view, named by its writer.
  for (const [t, other, sev] of [
    [alice, 'bob', 'Sev2'],
    [bob, 'alice', 'Sev1'],
  ] as const) {
    t.press(':');
    await t.waitFor('Tab completes');
    t.type('shared');
    await t.waitFor(': shared');
    t.press('enter');
    await t.waitFor(
      (s) =>
        new RegExp(`NOTE ${other}-[0-9a-f]{8} +from ${other}`).test(s) &&
        new RegExp(`SEV +${other}-[0-9a-f]{8} +Severity set to ${sev}`).test(s),
      undefined,
      `${other}'s note and severity in the merged view`,
    );
    t.press('escape');
  }

  await quitCockpit(alice);
  await quitCockpit(bob);

  const v = await runCli(['verify', '--share', 's3://ir-share/team'], env);
  expect(v.stderr).toBe('');
  expect(v.code).toBe(0);
  expect(v.stdout).toMatch(/^OK INC-2026-100: \d+ segments from 2 writer\(s\)/);
  const out = await runCli(['export', '--share', 's3://ir-share/team', '--format', 'json'], env);
  expect(out.code).toBe(0);
  const timeline = (JSON.parse(out.stdout) as { timeline: { actor: string; text: string }[] }).timeline;
  expect(timeline.find((e) => e.text === 'from alice')?.actor).toMatch(/^alice-[0-9a-f]{8}$/);
  expect(timeline.find((e) => e.text === 'from bob')?.actor).toMatch(/^bob-[0-9a-f]{8}$/);
  // A segment of bob's tampered with in the store itself ("from bob" → "from eve"): verify refuses
  // the set and names the object.
  const [key, versions] = [...s3.buckets.get('ir-share')!.objects].find(
    ([k, v]) => k.includes('/bob-') && v[0]!.body.includes('from bob'),
  )!;
  versions[0]!.body = Buffer.from(versions[0]!.body.toString().replace('from bob', 'from eve'));
  const bad = await runCli(['verify', '--share', 's3://ir-share/team'], env);
  expect(bad.code).not.toBe(0);
  expect(bad.stdout + bad.stderr).toContain('NOT INTACT');
  expect(bad.stdout + bad.stderr).toContain(key);
  // Every PUT was a locked, conditional one.
  const puts = s3.recorder.of('PutObject');
  expect(puts.length).toBeGreaterThan(1);
  expect(
    puts.every((p) => p.headers['x-amz-object-lock-mode'] === 'COMPLIANCE' && p.headers['if-none-match'] === '*'),
  ).toBe(true);
}, 120_000);
