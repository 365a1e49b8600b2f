// A live session acting, end to end: `firebreak live` with the standard AWS configuration
// (AWS_ENDPOINT_URL, env credentials) pointed at a local server speaking the EC2, IAM, STS, S3 and
// CloudTrail protocols (packages/cloud-sim). An instance seen in the CloudTrail feed is snapshotted, isolated
// and restored from the keyboard — real SDK calls, each planned, dry-run, confirmed, executed,
// verified and undone — and the journal holds every lifecycle.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '@firebreak/cloud-sim';
import { ACCOUNT, INSTANCE, simAwsEnv, webEc2 } from './sim-estate.js';
import { killAll, runCli, sandbox, spawnCli, type Sandbox, quitCockpit } from './terminal.js';

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

function runInstancesRecord(time: number): string {
  return JSON.stringify({
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deployer/session-1`,
      accountId: ACCOUNT,
    },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'ModifyInstanceAttribute',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.45',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: { instanceId: INSTANCE, userData: '<sensitiveDataRemoved>' },
    responseElements: null,
    eventID: 'ev-modify-1',
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    resources: [{ type: 'AWS::EC2::Instance', ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${INSTANCE}` }],
  });
}

async function planByPalette(t: ReturnType<typeof spawnCli>, text: string): Promise<void> {
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(text);
  await t.waitFor(`: ${text}`);
  t.press('enter');
  await t.waitFor('params sha256');
}

/** The destructive confirmation: y, then the instance id typed back. */
async function confirmDestructive(t: ReturnType<typeof spawnCli>): Promise<void> {
  t.press('y');
  await t.waitFor('confirm:');
  t.type(INSTANCE);
  await t.waitFor(`confirm: ${INSTANCE}`);
  t.press('enter');
}

it('live: snapshot, isolate and restore an instance from the keyboard; every call real, every step journaled', async () => {
  const now = Date.now();
  cloud = await startSimCloud(
    {
      aws: {
        account: ACCOUNT,
        region: 'us-east-1',
        ec2: webEc2(),
        cloudtrail: {
          events: [
            {
              eventId: 'ev-modify-1',
              eventTime: now - 2 * 60_000,
              eventName: 'ModifyInstanceAttribute',
              eventSource: 'ec2.amazonaws.com',
              cloudTrailEvent: runInstancesRecord(now - 2 * 60_000),
            },
          ],
        },
      },
    },
    { now: () => new Date() },
  );
  const env = simAwsEnv(box.env, cloud);
  const J = join(box.dir, 'live.jsonl');
  const t = spawnCli(
    ['live', '--journal', J, '--title', 'Live actions', '--id', 'INC-2026-101', '--region', 'us-east-1'],
    { env, cols: 200, rows: 50 },
  );
  await t.waitFor(
    (s) => /^ LIVE /.test(s) && s.includes('ModifyInstanceAttrib'),
    undefined,
    'the live cockpit with the CloudTrail event',
  );

  // Arm for the account STS names.
  t.press('A');
  await t.waitFor(`type ${ACCOUNT}`);
  t.type(ACCOUNT);
  await t.waitFor(`arm: ${ACCOUNT}`);
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes('ARMED'), undefined, 'ARMED');

  // Evidence first: snapshot (server-side dry run, y runs it).
  await planByPalette(t, `act aws.snapshotVolumes instance:${INSTANCE}`);
  t.press('d');
  await t.waitFor(/dry run \(server\) at [\d:]+: ok/);
  t.press('y');
  await t.waitFor((s) => s.split('\n').at(-1)!.includes('succeeded and verified'), 30_000, 'the snapshot verified');

  // Isolate: the plan shows the tracked-connection caveat; typed confirmation; verified.
  await planByPalette(t, `act aws.isolateInstance instance:${INSTANCE}`);
  await t.waitFor('aws.naclIsolateInstance');
  t.press('d');
  await t.waitFor(/dry run \(server\) at [\d:]+: ok/);
  await confirmDestructive(t);
  await t.waitFor(
    (s) => s.split('\n').at(-1)!.includes('succeeded and verified') && s.includes('Isolate the instance'),
    30_000,
    'the isolation verified',
  );

  // Undo from the actions pane: past actions follow the offered ones, newest first.
  t.press('escape');
  t.press('4');
  const pane = await t.waitFor('2 done so far');
  const offered = (pane.match(/\[[a-zA-Z]\] [◆!·]/g) ?? []).length;
  expect(offered).toBeGreaterThanOrEqual(3); // role and instance actions for the selected event
  for (let i = 0; i < 12; i++) t.press('k');
  for (let i = 0; i < offered; i++) t.press('j');
  t.press('u');
  await t.waitFor('undoes act-');
  await confirmDestructive(t);
  await t.waitFor(
    (s) => s.split('\n').at(-1)!.includes('succeeded and verified') && s.includes('Restore'),
    30_000,
    'the restore verified',
  );

  await quitCockpit(t);

  const records = readFileSync(J, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const byAction = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const r of records) {
    if (!r.type.startsWith('action.')) continue;
    if (r.type === 'action.planned') names.set(r.data.actionId, r.data.action);
    byAction.set(r.data.actionId, [...(byAction.get(r.data.actionId) ?? []), r.type.slice(7)]);
  }
  expect([...byAction].map(([id, stages]) => `${names.get(id)}: ${stages.join(' ')}`)).toEqual([
    // Each mutating call is journaled as it answers; the isolation keeps the groups it found and
    // the group it made (captured) before changing anything with them.
    'aws.snapshotVolumes: planned dryrun confirmed started call succeeded verified',
    'aws.isolateInstance: planned dryrun confirmed started captured call call captured call call succeeded verified',
    'aws.restoreInstance: planned confirmed started call call succeeded verified',
  ]);
  // The real calls, once each, against the simulated account.
  const calls = cloud.takeNewCalls().filter((c) => c.service === 'ec2' && c.params.DryRun !== 'true');
  const count = (op: string) => calls.filter((c) => c.op === op).length;
  expect(count('CreateSnapshots')).toBe(1);
  expect(count('CreateSecurityGroup')).toBe(1);
  expect(count('ModifyNetworkInterfaceAttribute')).toBe(2); // isolate, then restore
  const restore = calls.filter((c) => c.op === 'ModifyNetworkInterfaceAttribute').at(-1)!;
  expect(Object.values(restore.params)).toContain('sg-0web0000000000001');
  expect(runCli(['verify', J], box.env).code).toBe(0);
  expect(readFileSync(J, 'utf8')).not.toContain('wJalrXUtnFEMI');
});
