// aws.preserveCloudTrail{,Key,User}: the real CloudTrail client against the CloudTrail sim, driven
// through the ActionRunner. What must hold: the exact lookups, every page inside the 2 req/s
// limiter, a complete hashed file whose hash is the journal's evidence record, and failures that
// leave no file behind.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_ACTIONS } from '../../src/actions/evidence/index.js';
import { CloudTrailSim, type CloudTrailSeedEvent } from '@firebreak/cloud-sim';
import { RateLimiter } from '../../src/sources/cloudtrail/limiter.js';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ACCOUNT, awsClients, ManualClock, ofType } from './actions-evidence-env.js';

const T0 = Date.parse('2026-04-20T14:40:00Z');
const FIRST = T0 - 2 * 3_600_000;
const START = FIRST - 24 * 3_600_000;
const KEY = 'AKIAEXAMPLEKEY123456';
const keyTarget = { kind: 'access-key' as const, id: KEY, label: `access key ${KEY}` };

let sim: CloudTrailSim;
let fx: ActionFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await sim?.close();
});

function keyEvents(n: number): CloudTrailSeedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `key-${String(i).padStart(3, '0')}`,
    eventTime: T0 - 60_000 - i * 60_000,
    eventName: 'GetObject',
    accessKeyId: KEY,
    username: 'mallory',
  }));
}

function raw(id: string, time: number, identity: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventVersion: '1.11',
    eventID: id,
    eventTime: new Date(time).toISOString(),
    userIdentity: identity,
    eventSource: 'sts.amazonaws.com',
    awsRegion: 'us-east-1',
    ...extra,
  });
}

async function setup(events: CloudTrailSeedEvent[], o: { limiter?: RateLimiter } = {}) {
  sim = new CloudTrailSim({ events });
  await sim.start();
  const dir = tempDir();
  const env = baseEnv(dir, {
    now: () => new Date(T0),
    windowAnchor: () => ({ at: new Date(FIRST), what: 'the earliest event of the key' }),
    aws: awsClients({ cloudtrail: sim.url, ...(o.limiter ? { limiter: o.limiter } : {}) }),
  });
  fx = await actionFixture(dir, env, { defs: EVIDENCE_ACTIONS });
  return { dir, env, fx };
}

function files(dir: string): string[] {
  const d = join(dir, 'evidence', 'INC-2026-042', 'aws');
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

describe('aws.preserveCloudTrailKey', () => {
  it('pages every event of the key into one JSON-lines file whose SHA-256 is the evidence record', async () => {
    const noise: CloudTrailSeedEvent[] = [
      { eventId: 'other', eventTime: T0 - 5000, eventName: 'ListBuckets', accessKeyId: 'AKIAOTHEROTHEROTHER1' },
    ];
    const { dir, fx } = await setup([...keyEvents(120), ...noise]);
    const id = await fx.run('aws.preserveCloudTrailKey', keyTarget);

    expect(fx.runner.status(id)).toBe('verified');
    const calls = sim.recorder.of('LookupEvents');
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c.headers['x-amz-target']).toBe('CloudTrail_20131101.LookupEvents');
      expect(c.params).toMatchObject({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
        StartTime: START / 1000,
        EndTime: T0 / 1000,
        MaxResults: 50,
      });
    }
    expect(calls[0]!.params.NextToken).toBeUndefined();
    expect(calls[1]!.params.NextToken).toEqual(expect.any(String));

    const [name] = files(dir);
    expect(name).toBe(`cloudtrail-${KEY}-20260419T124000Z-20260420T144000Z.jsonl`);
    const path = join(dir, 'evidence', 'INC-2026-042', 'aws', name!);
    const bytes = readFileSync(path);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(120);
    // Oldest first, each line the raw CloudTrailEvent the API sent.
    expect(JSON.parse(lines[0]!).eventID).toBe('key-119');
    expect(lines.every((l) => JSON.parse(l).userIdentity.accessKeyId === KEY)).toBe(true);

    const ev = ofType(fx.records(), 'evidence.recorded');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.data).toMatchObject({
      evidenceId: 'EV-001',
      path,
      size: bytes.length,
      actionId: id,
      collector: 'tester',
    });
    expect(ev[0]!.data.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(ofType(fx.records(), 'action.verified')[0]!.data).toMatchObject({ ok: true });

    const planned = ofType(fx.records(), 'action.planned')[0]!.data;
    expect(planned.params).toMatchObject({
      startTime: new Date(START).toISOString(),
      endTime: new Date(T0).toISOString(),
    });
    expect(planned.warnings.join(' ')).toMatch(/management events only/);
    expect(planned.warnings.join(' ')).toMatch(/90 days/);
    expect(planned.warnings.join(' ')).toMatch(/15 minutes late/);
  });

  it('reports progress per page; stopped after two pages it keeps them, marked INCOMPLETE, and verifies', async () => {
    const { dir, fx } = await setup(keyEvents(160));
    const id = await fx.runner.plan('aws.preserveCloudTrailKey', keyTarget);
    await fx.runner.confirm(id, fx.store.getState().state.actions.get(id)!.planned.paramsHash);
    const abort = new AbortController();
    const seen: { done: number; detail?: string }[] = [];
    await fx.runner.execute(id, {
      signal: abort.signal,
      progress: (p) => {
        seen.push({ done: p.done, ...(p.detail ? { detail: p.detail } : {}) });
        if (seen.length === 2) abort.abort();
      },
    });
    expect(seen).toEqual([
      { done: 50, detail: `page 1 · AccessKeyId=${KEY}` },
      { done: 100, detail: `page 2 · AccessKeyId=${KEY}` },
    ]);
    // No third page asked for; the two fetched are the evidence, newest first from the window's end.
    expect(sim.recorder.of('LookupEvents')).toHaveLength(2);
    expect(fx.runner.status(id)).toBe('verified');
    const [name] = files(dir);
    const lines = readFileSync(join(dir, 'evidence', 'INC-2026-042', 'aws', name!), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(100);
    const done = ofType(fx.records(), 'action.succeeded')[0]!.data;
    const oldest = new Date(T0 - 60_000 - 99 * 60_000).toISOString();
    expect(done.message).toMatch(/^STOPPED by the responder, INCOMPLETE: 100 CloudTrail events/);
    expect(done.message).toContain(
      `not preserved: AccessKeyId=${KEY}: nothing before ${oldest} (stopped after 2 pages)`,
    );
    expect(ofType(fx.records(), 'evidence.recorded')[0]!.data.description).toContain(
      'INCOMPLETE (stopped by the responder)',
    );
  });

  it('the dry run reads one page, writes nothing, and is labelled simulated', async () => {
    const { dir, fx } = await setup(keyEvents(120));
    const id = await fx.runner.plan('aws.preserveCloudTrailKey', keyTarget);
    const r = await fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'simulated', ok: true });
    expect(r.message).toMatch(/50 events on the first page, more pages follow/);
    expect(sim.recorder.of('LookupEvents')).toHaveLength(1);
    expect(files(dir)).toEqual([]);
  });

  it('a second press is refused: the window is read once', async () => {
    const { fx } = await setup(keyEvents(10));
    const id = await fx.run('aws.preserveCloudTrailKey', keyTarget);
    await expect(fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(sim.recorder.of('LookupEvents')).toHaveLength(1);
  });

  it('AccessDenied is journaled as action.failed with message and hint, and no file is left', async () => {
    const { dir, fx } = await setup(keyEvents(10));
    sim.recorder.fail({
      op: 'LookupEvents',
      status: 400,
      code: 'AccessDeniedException',
      message: 'User: arn:aws:iam::123456789012:user/responder is not authorized to perform: cloudtrail:LookupEvents',
    });
    const id = await fx.run('aws.preserveCloudTrailKey', keyTarget);
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed')[0]!.data;
    expect(f).toMatchObject({ stage: 'execute', code: 'AccessDeniedException' });
    expect(f.message).toMatch(/not authorized to perform: cloudtrail:LookupEvents/);
    expect(f.hint).toMatch(/permission/);
    expect(f.requestIds.length).toBe(1);
    expect(files(dir)).toEqual([]);
    expect(ofType(fx.records(), 'evidence.recorded')).toEqual([]);
  });

  it('throttling on every retry fails the action clearly and leaves no partial file', async () => {
    const { dir, fx } = await setup(keyEvents(120));
    // Page 1 passes, then page 2 is throttled on all five attempts.
    const origTake = sim.recorder.takeFault.bind(sim.recorder);
    let n = 0;
    sim.recorder.takeFault = (op) =>
      ++n >= 2 ? { op, status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } : origTake(op);
    const id = await fx.run('aws.preserveCloudTrailKey', keyTarget);
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed')[0]!.data;
    expect(f.code).toBe('ThrottlingException');
    expect(f.message).toMatch(/kept throttling.*page 2.*nothing was written/);
    expect(f.hint).toMatch(/2 requests\/s/);
    expect(sim.recorder.of('LookupEvents')).toHaveLength(6);
    expect(files(dir)).toEqual([]);
  });

  it('verify fails when the file no longer matches what was recorded', async () => {
    const { dir, fx } = await setup(keyEvents(5));
    const id = await fx.run('aws.preserveCloudTrailKey', keyTarget);
    expect(fx.runner.status(id)).toBe('verified');
    const path = join(dir, 'evidence', 'INC-2026-042', 'aws', files(dir)[0]!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('key-001', 'key-999'));
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(ofType(fx.records(), 'action.verified').at(-1)!.data.detail).toMatch(/changed: sha256/);
  });
});

describe('the 2 requests/s limit (injected clock)', () => {
  it('every page and every throttled retry waits for its own limiter slot', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ ratePerSec: 2, marginMs: 0, clock });
    const grants: number[] = [];
    const acquire = limiter.acquire.bind(limiter);
    limiter.acquire = async (s) => {
      await acquire(s);
      grants.push(clock.now());
    };
    const { fx } = await setup(keyEvents(150), { limiter });
    const id = await clock.runUntil(fx.runner.plan('aws.preserveCloudTrailKey', keyTarget));
    // Throttled once on page 2: the action skips 2 slots, then asks again with the same token.
    let n = 0;
    const take = sim.recorder.takeFault.bind(sim.recorder);
    sim.recorder.takeFault = (op) =>
      ++n === 2 ? { op, status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } : take(op);
    const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
    await fx.runner.confirm(id, hash);
    await clock.runUntil(fx.runner.execute(id));

    expect(fx.runner.status(id)).toBe('verified');
    const calls = sim.recorder.of('LookupEvents');
    expect(calls.map((c) => c.status)).toEqual([200, 400, 200, 200]);
    expect(calls[2]!.params).toEqual(calls[1]!.params);
    // 4 requests + 2 skipped slots, each 500 ms after the previous: never 3 in any second.
    expect(limiter.granted).toBe(6);
    expect(grants).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(ofType(fx.records(), 'action.succeeded')[0]!.data.outputs).toMatchObject({
      lines: 150,
      pages: 3,
      throttled: 1,
    });
  });
});

describe('aws.preserveCloudTrail (role) and aws.preserveCloudTrailUser', () => {
  const ROLE = 'prod-db-reader';
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
  const session = (role: string) => ({
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/ci-session`,
    sessionContext: { sessionIssuer: { type: 'Role', userName: role } },
  });
  const seed: CloudTrailSeedEvent[] = [
    {
      eventId: 'assume-1',
      eventTime: T0 - 50 * 60_000,
      eventName: 'AssumeRole',
      eventSource: 'sts.amazonaws.com',
      username: 'mallory',
      resources: [{ type: 'AWS::IAM::Role', name: roleArn }],
      cloudTrailEvent: raw(
        'assume-1',
        T0 - 50 * 60_000,
        { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory` },
        {
          eventName: 'AssumeRole',
          requestParameters: { roleArn, roleSessionName: 'ci-session' },
          responseElements: { assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/ci-session` } },
        },
      ),
    },
    {
      eventId: 'policy-1',
      eventTime: T0 - 40 * 60_000,
      eventName: 'PutRolePolicy',
      username: 'mallory',
      resources: [{ type: 'AWS::IAM::Role', name: ROLE }],
      cloudTrailEvent: raw('policy-1', T0 - 40 * 60_000, { type: 'IAMUser' }),
    },
    {
      eventId: 'sess-1',
      eventTime: T0 - 30 * 60_000,
      eventName: 'GetSecretValue',
      username: 'ci-session',
      cloudTrailEvent: raw('sess-1', T0 - 30 * 60_000, session(ROLE)),
    },
    // Same session name, another role: not this role's activity.
    {
      eventId: 'sess-other',
      eventTime: T0 - 20 * 60_000,
      eventName: 'GetSecretValue',
      username: 'ci-session',
      cloudTrailEvent: raw('sess-other', T0 - 20 * 60_000, session('build-role')),
    },
    { eventId: 'user-1', eventTime: T0 - 10 * 60_000, eventName: 'CreateAccessKey', username: 'mallory' },
  ];

  it("finds the role by resource, then its sessions by Username, keeping only this role's", async () => {
    const { dir, fx } = await setup(seed);
    const id = await fx.run('aws.preserveCloudTrail', { kind: 'iam-role', id: ROLE, label: `role ${ROLE}` });
    expect(fx.runner.status(id)).toBe('verified');
    expect(sim.recorder.of('LookupEvents').map((c) => c.params.LookupAttributes)).toEqual([
      [{ AttributeKey: 'ResourceName', AttributeValue: ROLE }],
      [{ AttributeKey: 'ResourceName', AttributeValue: roleArn }],
      [{ AttributeKey: 'Username', AttributeValue: 'ci-session' }],
    ]);
    const text = readFileSync(join(dir, 'evidence', 'INC-2026-042', 'aws', files(dir)[0]!), 'utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).eventID),
    ).toEqual(['assume-1', 'policy-1', 'sess-1']);
    expect(ofType(fx.records(), 'action.succeeded')[0]!.data.outputs).toMatchObject({
      sessions: ['ci-session'],
      lines: 3,
    });
  });

  it('a user is looked up by Username', async () => {
    const { fx } = await setup(seed);
    const id = await fx.run('aws.preserveCloudTrailUser', { kind: 'iam-user', id: 'mallory', label: 'user mallory' });
    expect(fx.runner.status(id)).toBe('verified');
    expect(sim.recorder.of('LookupEvents').map((c) => c.params.LookupAttributes)).toEqual([
      [{ AttributeKey: 'Username', AttributeValue: 'mallory' }],
    ]);
    expect(ofType(fx.records(), 'action.succeeded')[0]!.data.outputs).toMatchObject({ lines: 3 });
  });
});
