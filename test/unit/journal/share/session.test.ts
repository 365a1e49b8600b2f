// Two cockpits of one shared incident over an in-memory write-once bucket: each publishes its
// journal and merges the other's; offline records wait and go out later; a late joiner rebuilds
// the incident from the bucket; and two-person approval holds a destructive action until another
// writer approves that very plan, for a limited time.

import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { ActionDef, ActionEnv, AwsClients, Target } from '../../../../src/actions/types.js';
import { MemoryTransport } from '../../../../src/journal/share/transport.js';
import { ActionRunner } from '../../../../store/action-runner.js';
import { newIncident } from '../../../../store/open.js';
import { openedFromShare, ShareSession } from '../../../../store/share-session.js';
import { phaseAsOf, severityAsOf } from '../../../../store/selectors.js';
import { baseEnv } from '../../../helpers/action-fixture.js';
import { tempDir } from '../../../helpers/tmp.js';
import { INC, PREFIX, TestClock, testWriter, type TestWriter } from '../../../helpers/share-writers.js';

const ACCOUNT = '123456789012';
const MIN = 60_000;

async function session(w: TestWriter, transport: MemoryTransport) {
  return ShareSession.start({ store: w.store, journalFile: w.file, transport, prefix: PREFIX, actor: w.name });
}

function notes(s: ShareSession): string[] {
  const tl = s.merged.store.getState().state.timeline;
  return tl
    .slice(0, tl.length)
    .filter((t) => t.kind === 'note')
    .map((t) => `${t.actor}: ${t.text}`);
}

describe('a shared incident', () => {
  it('two cockpits see each other’s notes and severity', async () => {
    const dir = tempDir();
    const bucket = new MemoryTransport();
    const a = await testWriter(dir, 'alice');
    const b = await testWriter(dir, 'bob');
    const sa = await session(a, bucket);
    const sb = await session(b, bucket);
    await a.store.getState().actions.addNote('rotating the CI keys');
    await a.store.getState().actions.setSeverity(1, 'credentials in use');
    await sa.sync();
    await b.store.getState().actions.addNote('checking S3 access logs');
    const rb = await sb.sync();
    expect(rb.publish.error).toBeUndefined();
    await sa.sync();
    for (const s of [sa, sb]) {
      expect(notes(s)).toEqual(['alice-0a1b2c3d: rotating the CI keys', 'bob-0a1b2c3d: checking S3 access logs']);
      expect(severityAsOf(s.merged.store.getState().state)?.value).toBe(1);
      expect(s.merged.refusals).toEqual([]);
    }
    expect([...bucket.objects.keys()].every((k) => k.startsWith(`${PREFIX}/${INC}/`))).toBe(true);
  });

  it('publishes what was written offline once the bucket is back', async () => {
    const dir = tempDir();
    const bucket = new MemoryTransport();
    const a = await testWriter(dir, 'alice');
    const b = await testWriter(dir, 'bob');
    const sa = await session(a, bucket);
    const sb = await session(b, bucket);
    await sa.sync();
    bucket.offline = true;
    await a.store.getState().actions.addNote('written on the train');
    const off = await sa.sync();
    expect(off.publish.error).toMatch(/ECONNREFUSED/);
    expect(off.publish.pending).toBe(1);
    expect(off.fetchError).toMatch(/ECONNREFUSED/);
    expect(notes(sa)).toEqual(['alice-0a1b2c3d: written on the train']); // the local view is not held back
    bucket.offline = false;
    const on = await sa.sync();
    expect(on.publish).toMatchObject({ pending: 0, published: [expect.objectContaining({ first: 3, last: 3 })] });
    await sb.sync();
    expect(notes(sb)).toEqual(['alice-0a1b2c3d: written on the train']);
  });

  it('a late joiner rebuilds the whole incident from the bucket', async () => {
    const dir = tempDir();
    const bucket = new MemoryTransport();
    const a = await testWriter(dir, 'alice');
    const sa = await session(a, bucket);
    await a.store.getState().actions.addNote('first hour');
    await a.store.getState().actions.setPhase('containment');
    await sa.sync();
    const opened = await openedFromShare(bucket, PREFIX, INC);
    expect(opened.title).toBe(a.store.getState().state.incident!.title);
    const file = join(dir, 'carol.jsonl');
    const c = await newIncident(file, opened, { actor: 'carol', signer: null });
    const sc = await ShareSession.start({
      store: c.store,
      journalFile: file,
      transport: bucket,
      prefix: PREFIX,
      actor: 'carol',
    });
    await sc.sync();
    expect(sc.writerId).toMatch(/^carol-[0-9a-f]{8}$/);
    expect(notes(sc)).toEqual(['alice-0a1b2c3d: first hour']);
    expect(phaseAsOf(sc.merged.store.getState().state)).toBe('containment');
    await expect(openedFromShare(bucket, PREFIX, 'INC-2026-999')).rejects.toThrow(
      /no verified segment of INC-2026-999/,
    );
  });

  it('refuses a forged segment in the bucket by key and seq, and merges the rest', async () => {
    const dir = tempDir();
    const bucket = new MemoryTransport();
    const a = await testWriter(dir, 'alice');
    const b = await testWriter(dir, 'bob');
    const sa = await session(a, bucket);
    const sb = await session(b, bucket);
    await a.store.getState().actions.addNote('honest');
    await sa.sync();
    const key = [...bucket.objects.keys()].find((k) => k.includes('alice'))!;
    bucket.objects.set(key, Buffer.from(bucket.objects.get(key)!.toString().replace('honest', 'HONEST')));
    await b.store.getState().actions.addNote('bob is fine');
    await sb.sync();
    expect(sb.merged.refusals).toEqual([expect.objectContaining({ key, seq: 3 })]);
    expect(sb.merged.report).toContain(`refused ${key} at seq 3: hash does not match`);
    expect(notes(sb)).toEqual(['bob-0a1b2c3d: bob is fine']);
  });
});

function destructive(id: string): ActionDef {
  return {
    id,
    title: id,
    key: 'x',
    kind: 'iam-role',
    phase: 'containment',
    destructive: true,
    reversible: false,
    evidence: false,
    needs: 'aws',
    permissions: {},
    params: z.record(z.string(), z.unknown()),
    plan: async (t: Target) => ({
      params: { role: t.id },
      calls: [{ service: 'iam', op: 'PutRolePolicy', summary: 'deny all', mutating: true }],
      blastRadius: [],
      warnings: [],
    }),
    dryRun: async () => ({ kind: 'simulated', ok: true, message: 'ok', requestIds: [] }),
    execute: async () => ({ requestIds: [], outputs: {}, message: 'done' }),
    verify: async () => ({ ok: true, detail: 'in place' }),
  } as unknown as ActionDef;
}

const ROLE: Target = { kind: 'iam-role', id: 'ci-deploy', label: 'role ci-deploy' };

async function approvalSetup() {
  const dir = tempDir();
  const bucket = new MemoryTransport();
  const clock = new TestClock();
  const a = await testWriter(dir, 'alice', clock);
  const b = await testWriter(dir, 'bob', clock);
  const sa = await session(a, bucket);
  const sb = await session(b, bucket);
  const env: ActionEnv = baseEnv(dir, { aws: { account: ACCOUNT } as unknown as AwsClients, now: clock.now });
  const runner = new ActionRunner({
    store: a.store,
    mode: 'live',
    env: async () => env,
    backends: new Set(['aws']),
    defs: [destructive('t.denyRole')],
    clock: () => clock.t,
  });
  await a.store.getState().actions.armSession(ACCOUNT, ACCOUNT, clock.t);
  await a.store.getState().actions.setApprovalPolicy('destructive', 15);
  return { a, b, sa, sb, runner, clock };
}

async function planAndAsk(
  runner: ActionRunner,
  a: TestWriter,
): Promise<{ id: string; hash: string; requestId: string }> {
  const id = await runner.plan('t.denyRole', ROLE);
  const hash = a.store.getState().state.actions.get(id)!.planned.paramsHash;
  const err = await runner.confirm(id, hash).catch((e: Error) => e);
  expect(String(err)).toMatch(/approval apr-[0-9a-z-]+ requested: another responder types :approve apr-/);
  const requestId = [...a.store.getState().state.approvalRequests.keys()].at(-1)!;
  return { id, hash, requestId };
}

describe('two-person approval', () => {
  it('holds a destructive action until another writer approves that plan; never the requester', async () => {
    const { a, b, sa, sb, runner } = await approvalSetup();
    const { id, hash, requestId } = await planAndAsk(runner, a);
    await expect(runner.confirm(id, hash)).rejects.toThrow(`waiting for approval ${requestId}`);
    await expect(a.store.getState().actions.decideApproval(requestId, 'approved')).rejects.toThrow(
      /your own request: another responder must approve it/,
    );
    await expect(b.store.getState().actions.decideApproval(requestId, 'approved')).rejects.toThrow(
      /no approval request/,
    );
    await sa.sync();
    await sb.sync();
    await b.store.getState().actions.decideApproval(requestId, 'approved');
    await expect(b.store.getState().actions.decideApproval(requestId, 'approved')).rejects.toThrow(/already decided/);
    await sb.sync();
    await sa.sync();
    await runner.confirm(id, hash);
    expect(a.store.getState().state.actions.get(id)!.confirmed).toMatchObject({
      approval: { requestId, by: 'bob (bob-0a1b2c3d)' },
    });
    expect(await runner.execute(id)).toBe('verified');
    // Journaled on both sides: the request in alice's chain, the decision in bob's.
    expect(sa.merged.store.getState().state.approvalDecisions).toEqual([
      expect.objectContaining({ requestId, decision: 'approved', actor: 'bob-0a1b2c3d' }),
    ]);
    expect(b.store.getState().state.approvalDecisions).toHaveLength(1);
  });

  it('a rejection refuses with its reason; an approval expires; a new plan needs a new approval', async () => {
    const { a, b, sa, sb, runner, clock } = await approvalSetup();
    const first = await planAndAsk(runner, a);
    await sa.sync();
    await sb.sync();
    await expect(b.store.getState().actions.decideApproval(first.requestId, 'rejected')).rejects.toThrow(/say why/);
    await b.store.getState().actions.decideApproval(first.requestId, 'rejected', 'wrong role');
    await sb.sync();
    await sa.sync();
    await expect(runner.confirm(first.id, first.hash)).rejects.toThrow(/rejected by bob .*: wrong role/);

    const second = await planAndAsk(runner, a);
    expect(second.requestId).not.toBe(first.requestId);
    await sa.sync();
    await sb.sync();
    await b.store.getState().actions.decideApproval(second.requestId, 'approved');
    await sb.sync();
    await sa.sync();
    await runner.confirm(second.id, second.hash);
    clock.advance(16 * MIN);
    await expect(runner.execute(second.id)).rejects.toThrow(/has expired/);
  });

  it('without a share session the policy holds every destructive action', async () => {
    const dir = tempDir();
    const a = await testWriter(dir, 'alice');
    const env: ActionEnv = baseEnv(dir, { aws: { account: ACCOUNT } as unknown as AwsClients });
    const runner = new ActionRunner({
      store: a.store,
      mode: 'live',
      env: async () => env,
      backends: new Set(['aws']),
      defs: [destructive('t.denyRole')],
    });
    await a.store.getState().actions.armSession(ACCOUNT, ACCOUNT);
    await a.store.getState().actions.setApprovalPolicy('destructive');
    const id = await runner.plan('t.denyRole', ROLE);
    await expect(runner.confirm(id, a.store.getState().state.actions.get(id)!.planned.paramsHash)).rejects.toThrow(
      /another responder must approve this plan \(start the cockpit with --share\)/,
    );
    await expect(a.store.getState().actions.decideApproval('apr-000000-00', 'approved')).rejects.toThrow(/--share/);
  });
});
