// Arming is per account or cluster, per cockpit session and for a limited time: arming the
// cluster does not arm the AWS account, a reopened journal starts disarmed, an arming lapses
// after 30 minutes (a lapse between plan and confirm refuses the confirm), `:arm` again extends
// it, `:disarm` ends it — and each arm, disarm and expiry is journaled with its actor.

import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionDef, ActionEnv, AwsClients, KubeClients, Target } from '../../../src/actions/types.js';
import { ActionRunner } from '../../../store/action-runner.js';
import { activeArmings } from '../../../store/arming.js';
import { openIncident } from '../../../store/open.js';
import { actionFixture, baseEnv, type ActionFixture } from '../../helpers/action-fixture.js';
import { tempDir } from '../../helpers/tmp.js';

const ACCOUNT = '123456789012';
const CLUSTER = 'prod-eks';
const MIN = 60_000;

function def(id: string, needs: 'aws' | 'kubernetes', kind: ActionDef['kind']): ActionDef {
  return {
    id,
    title: id,
    key: 'x',
    kind,
    phase: 'containment',
    destructive: true,
    reversible: false,
    evidence: false,
    needs,
    permissions: {},
    params: z.record(z.string(), z.unknown()),
    plan: async (t) => ({
      params: { id: t.id },
      calls: [{ service: needs === 'aws' ? 'iam' : 'kubernetes', op: 'X', summary: 'x', mutating: true }],
      blastRadius: [],
      warnings: [],
    }),
    dryRun: async () => ({ kind: 'simulated', ok: true, message: 'ok', requestIds: [] }),
    execute: async () => ({ requestIds: [], outputs: {}, message: 'done' }),
    verify: async () => ({ ok: true, observed: {}, message: 'in place' }),
  } as unknown as ActionDef;
}

const DEFS = [def('t.denyRole', 'aws', 'iam-role'), def('t.cordon', 'kubernetes', 'node')];
const role: Target = { kind: 'iam-role', id: 'orders-api-prod', label: 'role orders-api-prod' };
const node: Target = { kind: 'node', id: 'ip-10-30-12-84', label: 'node ip-10-30-12-84' };

function env(dir: string): ActionEnv {
  return baseEnv(dir, {
    aws: { account: ACCOUNT } as unknown as AwsClients,
    kube: { cluster: CLUSTER } as unknown as KubeClients,
  });
}

let f: ActionFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function setup(clock: { t: number }) {
  const dir = tempDir();
  f = await actionFixture(dir, env(dir), { defs: DEFS, armed: false });
  const runner = new ActionRunner({
    store: f.store,
    mode: 'live',
    env: async () => env(dir),
    backends: new Set(['aws', 'kubernetes']),
    defs: DEFS,
    clock: () => clock.t,
  });
  return { f, runner, actions: f.store.getState().actions };
}

const typesOf = (fx: ActionFixture) => fx.records().map((r) => r.type);

describe('arming', () => {
  it('is per target: arming the cluster does not arm the AWS account', async () => {
    const clock = { t: Date.now() };
    const { runner, actions } = await setup(clock);
    await actions.armSession(CLUSTER, CLUSTER, clock.t);
    await expect(runner.plan('t.denyRole', role)).rejects.toThrow(
      `not armed for AWS account ${ACCOUNT} (armed only for ${CLUSTER})`,
    );
    await expect(runner.plan('t.cordon', node)).resolves.toMatch(/^act-/);
  });

  it('lapses after 30 minutes; a lapse between plan and confirm refuses the confirm; expiry is journaled', async () => {
    const clock = { t: Date.now() };
    const { f: fx, runner, actions } = await setup(clock);
    const t0 = clock.t;
    await actions.armSession(ACCOUNT, ACCOUNT, t0);
    clock.t = t0 + 29 * MIN;
    const id = await runner.plan('t.denyRole', role);
    clock.t = t0 + 31 * MIN;
    const hash = fx.store.getState().state.actions.get(id)!.planned.paramsHash;
    await expect(runner.confirm(id, hash)).rejects.toThrow(/not armed for AWS account/);
    expect(runner.unavailable(DEFS[0]!, role)).toMatch(/not armed/);
    expect(await actions.expireArmings(clock.t)).toEqual([ACCOUNT]);
    // Once only.
    expect(await actions.expireArmings(clock.t + MIN)).toEqual([]);
    const ended = fx.records().filter((r) => r.type === 'session.disarmed');
    expect(ended.map((r) => [r.data, r.actor])).toEqual([
      [{ target: ACCOUNT, session: fx.store.getState().meta.session, reason: 'expired' }, 'firebreak'],
    ]);
    const tl = fx.store.getState().state.timeline;
    const texts = tl.slice(0, tl.length).map((e) => e.text);
    expect(texts).toContain(`Arming for ${ACCOUNT} expired`);
    expect(texts.some((t) => t.startsWith(`Session armed for ${ACCOUNT} until `))).toBe(true);
  });

  it('arming again extends it; :disarm ends it at once, journaled with the actor', async () => {
    const clock = { t: Date.now() };
    const { f: fx, runner, actions } = await setup(clock);
    const t0 = clock.t;
    await actions.armSession(ACCOUNT, ACCOUNT, t0);
    await actions.armSession(ACCOUNT, ACCOUNT, t0 + 20 * MIN);
    clock.t = t0 + 45 * MIN;
    expect(await actions.expireArmings(clock.t)).toEqual([]);
    await expect(runner.plan('t.denyRole', role)).resolves.toMatch(/^act-/);
    expect(await actions.disarmSession(undefined, clock.t)).toEqual([ACCOUNT]);
    await expect(runner.plan('t.denyRole', role)).rejects.toThrow(/not armed/);
    expect(await actions.disarmSession(undefined, clock.t)).toEqual([]);
    const last = fx.records().filter((r) => r.type === 'session.disarmed');
    expect(last.map((r) => (r.data as { reason: string }).reason)).toEqual(['disarmed']);
    expect(last[0]!.actor).not.toBe('firebreak');
  });

  it('a reopened journal starts disarmed, though its armings stay on the record', async () => {
    const clock = { t: Date.now() };
    const { f: fx, actions } = await setup(clock);
    await actions.armSession(ACCOUNT, ACCOUNT, clock.t);
    expect(activeArmings(fx.store.getState().state, fx.store.getState().meta.session, clock.t)).toHaveLength(1);
    const file = fx.file;
    await fx.close();
    f = undefined;
    const re = await openIncident(file);
    try {
      const s = re.store.getState();
      expect(s.state.armings).toHaveLength(1);
      expect(s.meta.session).not.toBe(fx.store.getState().meta.session);
      expect(activeArmings(s.state, s.meta.session, clock.t)).toEqual([]);
      const runner = new ActionRunner({
        store: re.store,
        mode: 'live',
        env: async () => env(join(file, '..')),
        backends: new Set(['aws']),
        defs: DEFS,
        clock: () => clock.t,
      });
      await expect(runner.plan('t.denyRole', role)).rejects.toThrow(/not armed/);
      expect(typesOf(fx)).toContain('session.armed');
    } finally {
      await re.journal?.close();
    }
  });
});
