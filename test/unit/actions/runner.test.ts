// The action runner's lifecycle with a stand-in action that really calls a local HTTP server:
// plan → dry run → confirm (bound to the params hash) → started (durable first) → outcome →
// verify; double press; failures journaled as failures; the evidence guardrail and its override;
// undo; nothing runs twice.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionFixture, baseEnv, type ActionFixture } from '../../helpers/action-fixture.js';
import { startStandin, type StandinServer } from '../../helpers/standin-server.js';
import { tempDir } from '../../helpers/tmp.js';
// @ts-expect-error plain ESM fixture shared with the crash child
import { standinDefs } from '../../fixtures/action-standin.mjs';
import type { ActionDef, Target } from '../../../src/actions/types.js';
import { actionStatus } from '../../../store/action-selectors.js';

const TARGET: Target = { kind: 'instance', id: 'i-0abc', label: 'instance i-0abc', scope: 'us-east-1' };

let server: StandinServer;
let fx: ActionFixture;
let dir: string;

async function setup(o: { armed?: boolean } = {}) {
  dir = tempDir();
  server = await startStandin();
  fx = await actionFixture(dir, baseEnv(dir), { defs: standinDefs(() => server.sim.url) as ActionDef[], ...o });
}

afterEach(async () => {
  await fx?.close();
  await server?.sim.close();
});

const types = () =>
  fx
    .records()
    .map((r) => r.type)
    .filter((t) => t.startsWith('action.') || t === 'evidence.recorded');
const hashOf = (id: string) => fx.store.getState().state.actions.get(id)!.planned.paramsHash;
const statusOf = (id: string) =>
  actionStatus(fx.store.getState().state.actions.get(id)!, fx.store.getState().meta.loadedSeq);

describe('action runner', () => {
  beforeEach(() => setup());

  it('journals the full lifecycle in order, started durable before the mutating call', async () => {
    await fx.run('test.capture', TARGET);
    const id = await fx.runner.plan('test.isolate', TARGET);
    const planned = fx.store.getState().state.actions.get(id)!.planned;
    expect(planned.params).toEqual({ target: 'i-0abc', group: 'sg-iso', previous: 'sg-web' });
    expect(planned.paramsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(planned.blastRadius).toEqual(['everything behind the load balancer']);
    const dry = await fx.runner.dryRun(id);
    expect(dry).toMatchObject({ kind: 'simulated', ok: true });
    expect(server.mutating()).toBe(0);
    await fx.runner.confirm(id, hashOf(id));
    // The started record is on disk when the server sees /before (the first call of execute).
    const held = server.hold('/before');
    const run = fx.runner.execute(id);
    const release = await held;
    expect(
      fx.records().some((r) => r.type === 'action.started' && (r.data as { actionId: string }).actionId === id),
    ).toBe(true);
    expect(server.mutating()).toBe(0);
    release();
    expect(await run).toBe('verified');
    expect(server.mutating()).toBe(1);
  });

  it('runs once: a second execute is refused and the API saw one mutating call', async () => {
    await fx.run('test.capture', TARGET);
    const id = await fx.runner.plan('test.isolate', TARGET);
    await fx.runner.confirm(id, hashOf(id));
    const [a, b] = await Promise.allSettled([fx.runner.execute(id), fx.runner.execute(id)]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    await expect(fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(server.mutating()).toBe(1);
    expect(statusOf(id)).toBe('verified');
    expect(types()).toEqual([
      'action.planned',
      'action.confirmed',
      'action.started',
      'action.succeeded',
      'action.verified',
      'action.planned',
      'action.confirmed',
      'action.started',
      'action.succeeded',
      'action.verified',
    ]);
    const started = fx
      .records()
      .find((r) => r.type === 'action.started' && (r.data as { actionId: string }).actionId === id)!;
    expect((started.data as { idempotencyToken: string }).idempotencyToken).toBe(id);
    expect(JSON.parse(server.calls.find((c) => c.path === '/apply')!.body).token).toBe(id);
  });

  it('refuses a confirmation of a different hash than the plan shown', async () => {
    const id = await fx.runner.plan('test.capture', TARGET);
    await expect(fx.runner.confirm(id, 'f'.repeat(64))).rejects.toThrow(/plan changed/);
    await expect(fx.runner.execute(id)).rejects.toThrow(/confirm the plan first/);
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('journals an API error as a failure with the request id and a hint, never as success', async () => {
    await fx.run('test.capture', TARGET);
    server.failNext('/apply', 403, 'AccessDenied: not allowed');
    const id = await fx.run('test.isolate', TARGET);
    expect(statusOf(id)).toBe('failed');
    const failed = fx.records().find((r) => r.type === 'action.failed')!;
    expect(failed.data).toMatchObject({ actionId: id, stage: 'execute', code: 'AccessDenied' });
    expect((failed.data as { hint: string }).hint).toMatch(/permission/);
    expect((failed.data as { requestIds: string[] }).requestIds).toEqual([expect.stringMatching(/^req-/)]);
    // Only the capture succeeded; the isolate is a failure and nothing else.
    expect(
      fx
        .records()
        .filter((r) => r.type === 'action.succeeded')
        .map((r) => (r.data as { actionId: string }).actionId),
    ).not.toContain(id);
    expect(
      fx
        .records()
        .filter((r) => r.type === 'action.verified')
        .map((r) => (r.data as { actionId: string }).actionId),
    ).not.toContain(id);
  });

  it('verify fails when the read-back disagrees', async () => {
    await fx.run('test.capture', TARGET);
    const id = await fx.runner.plan('test.isolate', TARGET);
    await fx.runner.confirm(id, hashOf(id));
    await fx.runner.execute(id);
    expect(statusOf(id)).toBe('verified');
    server.state.group = 'sg-attacker';
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    const last = fx
      .records()
      .filter((r) => r.type === 'action.verified')
      .at(-1)!;
    expect(last.data).toMatchObject({ ok: false, detail: 'group is sg-attacker, expected sg-iso' });
  });

  it('a REFUSED dry run blocks confirming unless a typed reason overrides it (journaled)', async () => {
    await fx.run('test.capture', TARGET);
    const id = await fx.runner.plan('test.isolate', TARGET);
    const isolate = fx.runner.def('test.isolate') as { dryRun: ActionDef['dryRun'] };
    const real = isolate.dryRun;
    isolate.dryRun = async () => ({ kind: 'server', ok: false, message: 'UnauthorizedOperation', requestIds: [] });
    try {
      expect(await fx.runner.dryRun(id)).toMatchObject({ ok: false });
    } finally {
      isolate.dryRun = real;
    }
    await expect(fx.runner.confirm(id, hashOf(id))).rejects.toThrow(/dry run was REFUSED \(UnauthorizedOperation\)/);
    await expect(fx.runner.confirm(id, hashOf(id), '   ')).rejects.toThrow(/REFUSED/);
    expect(statusOf(id)).toBe('planned');
    await fx.runner.confirm(id, hashOf(id), 'SCP blocks dry runs only; checked with the cloud team');
    expect(fx.store.getState().state.actions.get(id)!.confirmed!.refusedDryRun).toEqual({
      message: 'UnauthorizedOperation',
      reason: 'SCP blocks dry runs only; checked with the cloud team',
    });
    // A passing dry run after a refused one needs no reason.
    const id2 = await fx.runner.plan('test.isolate', TARGET);
    await fx.runner.dryRun(id2);
    await fx.runner.confirm(id2, hashOf(id2));
    expect(fx.store.getState().state.actions.get(id2)!.confirmed!.refusedDryRun).toBeUndefined();
  });

  it('evidence before destruction: refused until captured, or overridden by the commander with a reason', async () => {
    const id = await fx.runner.plan('test.isolate', TARGET);
    await expect(fx.runner.confirm(id, hashOf(id))).rejects.toThrow(
      /evidence first: no capture the thing has succeeded for instance i-0abc.*\(c\)/,
    );
    await expect(fx.runner.confirm(id, hashOf(id), 'active ransomware')).rejects.toThrow(/assign one first/);
    await fx.store.getState().actions.assignRole('ic', 'Dana');
    await fx.runner.confirm(id, hashOf(id), 'active ransomware');
    const confirmed = fx.records().find((r) => r.type === 'action.confirmed')!;
    expect(confirmed.data).toMatchObject({
      override: { basis: 'commander', reason: 'active ransomware', commander: 'Dana' },
    });
    // Captured first: no override needed.
    await fx.run('test.capture', TARGET);
    const id2 = await fx.runner.plan('test.isolate', TARGET);
    await fx.runner.confirm(id2, hashOf(id2));
    expect(fx.store.getState().state.actions.get(id2)!.confirmed!.override).toBeUndefined();
  });

  it('Sev0 with active exfiltration flagged waives the guardrail, and says so in the journal', async () => {
    await fx.store.getState().actions.setSeverity(0);
    await fx.store.getState().actions.flagExfiltration(true, 'GuardDuty Exfiltration:S3/AnomalousBehavior');
    const id = await fx.runner.plan('test.isolate', TARGET);
    await fx.runner.confirm(id, hashOf(id));
    expect(fx.store.getState().state.actions.get(id)!.confirmed!.override).toMatchObject({
      basis: 'critical-exfiltration',
    });
  });

  it('undo plans the reverse from the recorded outputs and restores the state', async () => {
    await fx.run('test.capture', TARGET);
    const id = await fx.run('test.isolate', TARGET);
    expect(server.state.group).toBe('sg-iso');
    const undo = await fx.runner.planUndo(id);
    expect(fx.store.getState().state.actions.get(undo)!.planned).toMatchObject({
      undoOf: id,
      params: { group: 'sg-web' },
    });
    await fx.runner.confirm(undo, hashOf(undo));
    await fx.runner.execute(undo);
    expect(server.state.group).toBe('sg-web');
    expect(statusOf(undo)).toBe('verified');
    expect(fx.store.getState().state.actions.get(id)!.undoneBy).toEqual([undo]);
    await expect(fx.runner.planUndo(undo)).rejects.toThrow(/cannot be undone/);
  });
});

describe('arming', () => {
  beforeEach(() => setup({ armed: false }));
  it('a destructive action is unavailable until the session is armed with the typed name', async () => {
    await expect(fx.runner.plan('test.isolate', TARGET)).rejects.toThrow(/arm the session first/);
    await expect(fx.store.getState().actions.armSession('123456789012', '12345678901')).rejects.toThrow(/exactly/);
    await fx.store.getState().actions.armSession('123456789012', '123456789012');
    await expect(fx.runner.plan('test.isolate', TARGET)).resolves.toMatch(/^act-/);
    // Evidence actions never need arming.
  });
});
