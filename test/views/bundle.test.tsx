// The cross-plane bundle on screen: X on a pod plans every step, the plan shows every step at
// 80x24 (evidence first), one typed confirmation with the role's name runs them in order, and a
// failed step is shown as failed with what is in place and what did not run. The role lookup is
// stubbed here (test/wire/actions-cross-plane.test.ts runs it against the sims); the steps are
// stand-ins with the real actions' metadata, driven by the real runner.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import { actionMeta } from '../../src/actions/meta.js';
import { ActionError } from '../../src/actions/errors.js';
import type { ActionDef, ActionEnv, AwsClients, KubeClients, PlannedCall } from '../../src/actions/types.js';
import { ActionRunner } from '../../store/action-runner.js';
import type { ActionSession } from '../../store/action-session.js';
import type { IncidentStore } from '../../store/store.js';
import { createJournal, linesOf, mount, recordsOf, Scratch, widest, type Cockpit } from './harness.js';
import { standInEnv } from './stand-in-actions.js';
import { bundleLines } from '../../views/bundle-lines.js';

const ACCOUNT = '123456789012';
const ROLE = 'prod-db-reader';

vi.mock('../../src/actions/cross-plane/pod-identity.js', async (orig) => ({
  ...(await orig<typeof import('../../src/actions/cross-plane/pod-identity.js')>()),
  resolvePodIdentity: async () => ({
    namespace: 'prod',
    pod: 'web-1',
    serviceAccount: 'web',
    irsa: { arn: `arn:aws:iam::123456789012:role/prod-db-reader`, name: 'prod-db-reader', account: '123456789012' },
    podIdentity: [],
    chosen: {
      arn: `arn:aws:iam::123456789012:role/prod-db-reader`,
      name: 'prod-db-reader',
      account: '123456789012',
      via: 'irsa',
    },
    problems: [],
    calls: [],
    requestIds: [],
  }),
}));

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const podEvent: IncidentEvent = {
  source: 'kubernetes',
  id: 'uid-web-1@41',
  eventTime: '2026-04-20T14:30:00.000Z',
  discoveredAt: '2026-04-20T14:30:01.000Z',
  actor: 'unknown',
  action: 'pod modified',
  targets: ['pods/web-1'],
  namespace: 'prod',
  outcome: 'success',
  raw: {},
};

const CALLS: Record<string, PlannedCall[]> = {
  'k8s.capturePod': [
    { service: 'kubernetes', op: 'GET pods/web-1', summary: 'spec and status', mutating: false },
    { service: 'kubernetes', op: 'GET pods/web-1/log', summary: 'container app', mutating: false },
    { service: 'kubernetes', op: 'GET pods/web-1/log?previous', summary: 'container app (previous)', mutating: false },
    { service: 'kubernetes', op: 'LIST events', summary: 'involvedObject.name=web-1', mutating: false },
  ],
  'aws.preserveCloudTrail': [
    { service: 'cloudtrail', op: 'LookupEvents', summary: `ResourceName=${ROLE} (every page)`, mutating: false },
    { service: 'cloudtrail', op: 'LookupEvents', summary: 'Username=each session found', mutating: false },
  ],
  'k8s.quarantinePod': [
    { service: 'kubernetes', op: 'LIST services', summary: 'which select the pod', mutating: false },
    { service: 'kubernetes', op: 'PATCH pods/web-1', summary: 'labels → quarantine=true', mutating: true },
    { service: 'kubernetes', op: 'POST networkpolicies', summary: 'deny-all for quarantine=true', mutating: true },
  ],
  'aws.denyAllRole': [
    { service: 'iam', op: 'GetRolePolicy', summary: 'kept for undo', mutating: false },
    { service: 'iam', op: 'PutRolePolicy', summary: `RoleName=${ROLE} PolicyName=firebreak-deny-all`, mutating: true },
    {
      service: 'iam',
      op: 'PutRolePolicy',
      summary: `RoleName=${ROLE} PolicyName=AWSRevokeOlderSessions`,
      mutating: true,
    },
  ],
};

interface Steps {
  defs: ActionDef[];
  executed: string[];
  failNext?: string;
}

function steps(): Steps {
  const s: Steps = { defs: [], executed: [] };
  s.defs = Object.keys(CALLS).map((id) => ({
    ...actionMeta(id),
    async plan(t) {
      return { params: { target: t.id }, calls: CALLS[id]!, blastRadius: [], warnings: [] };
    },
    async dryRun() {
      return { kind: 'simulated', ok: true, message: 'ok', requestIds: [] };
    },
    async execute(t) {
      s.executed.push(id);
      if (s.failNext === id)
        throw new ActionError(`User is not authorized to perform iam:PutRolePolicy on ${t.id}`, 'AccessDenied');
      return { requestIds: ['req-1'], outputs: {}, message: `${id} applied to ${t.id}` };
    },
    async verify(t) {
      return { ok: true, detail: `read back: ${t.id} as planned` };
    },
  }));
  return s;
}

async function session(store: IncidentStore, s: Steps): Promise<ActionSession> {
  const env: ActionEnv = {
    ...standInEnv(scratch.dir),
    aws: { account: ACCOUNT, region: 'eu-west-1' } as AwsClients,
    kube: { cluster: 'prod-eks', context: 'prod-eks' } as KubeClients,
  };
  const runner = new ActionRunner({
    store,
    mode: 'live',
    env: async () => env,
    backends: new Set(['aws', 'kubernetes']),
    defs: s.defs,
  });
  for (const name of [ACCOUNT, 'prod-eks']) await store.getState().actions.armSession(name, name);
  return { runner, armTargets: async () => [] };
}

const footer = (f: string) => linesOf(f).at(-1)!;

describe('the cross-plane bundle dialog', () => {
  it('X plans every step, all shown at 80x24; the role name typed once runs each as its own action', async () => {
    const { file, store } = await createJournal(scratch, { events: [podEvent] });
    const s = steps();
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, actions: await session(store, s) }));
    c.press('4');
    await c.waitForText('Quarantine the pod');
    c.press('X');
    const f = await c.waitForText('Bundle: pod prod/web-1 → role prod-db-reader', 'y confirm all 4 steps');
    expect(widest(f)).toBeLessThanOrEqual(80);
    expect(linesOf(f).length).toBeLessThanOrEqual(24);
    for (const [i, id] of Object.keys(CALLS).entries())
      expect(f, id).toContain(
        `${i + 1}. ${actionMeta(id).destructive ? 'destructive' : 'evidence'}: ${actionMeta(id).title}`.slice(0, 60),
      );
    expect(f).toContain('pod prod/web-1 (sa web) → role prod-db-reader (123456789012) via IRSA');
    // Every call of every step, mutating ones starred.
    for (const c of Object.values(CALLS).flat())
      expect(f).toContain(`${c.mutating ? '*' : ' '} ${c.service} ${c.op}: ${c.summary}`.slice(0, 50));
    expect(recordsOf(file, 'action.planned').map((r) => r.data.action)).toEqual(Object.keys(CALLS));
    expect(recordsOf(file, 'action.confirmed')).toHaveLength(0);
    c.press('d');
    await c.waitFor((x) => footer(x).includes('dry run: all 4 steps ok'), 'every step dry-run');
    expect(recordsOf(file, 'action.dryrun')).toHaveLength(4);
    expect(c.frame()).toContain('dry run (simulated): ok — ok');
    c.press('y');
    await c.waitForText('role name:');
    c.write('web-1');
    c.press('enter');
    await c.waitFor((x) => footer(x).includes('"web-1" does not match'), 'the pod name refused');
    c.press('ctrl-u');
    c.write(ROLE);
    c.press('enter');
    const done = await c.waitForText('bundle done: all 4 steps in place');
    expect(done).toContain('✓ 4. IN PLACE');
    expect(s.executed).toEqual(Object.keys(CALLS));
    expect(recordsOf(file, 'action.confirmed')).toHaveLength(4);
    expect(recordsOf(file, 'action.verified')).toHaveLength(4);
  });

  it('keeps every step on screen when the calls do not fit: one line of calls per step', () => {
    const step = (defId: string, n: number) => ({
      defId,
      title: actionMeta(defId).title,
      target: { kind: 'pod' as const, id: 'prod/web-1', label: 'pod prod/web-1' },
      destructive: actionMeta(defId).destructive,
      actionId: `act-${defId}`,
      paramsHash: 'h',
      calls: Array.from({ length: n }, (_, i) => ({
        service: 'iam' as const,
        op: `Op${i}`,
        summary: 's',
        mutating: i > 0,
      })),
      outcome: 'planned' as const,
    });
    const steps4 = Object.keys(CALLS).map((id) => step(id, 7));
    const plan = {
      pod: steps4[0]!.target,
      role: { kind: 'iam-role' as const, id: ROLE, label: `role ${ROLE}` },
      identity: {
        namespace: 'prod',
        pod: 'web-1',
        serviceAccount: 'web',
        podIdentity: [],
        chosen: { arn: 'arn', name: ROLE, account: ACCOUNT, via: 'irsa' as const },
        problems: [],
        calls: [],
        requestIds: [],
      },
      steps: steps4,
      hash: 'h',
      confirmWith: ROLE,
      notes: [],
    };
    const lines = bundleLines(plan, steps4, 18).map((l) => l.text);
    expect(lines).toHaveLength(9);
    expect(lines.filter((l) => /^· \d\. /.test(l))).toHaveLength(4);
    expect(lines[2]).toBe('    7 calls: Op0 · *Op1 · *Op2 · *Op3 · *Op4 · *Op5 · *Op6');
  });

  it('a failed deny-all shows the quarantine in place and the deny-all failed', async () => {
    const { file, store } = await createJournal(scratch, { events: [podEvent] });
    const s = steps();
    s.failNext = 'aws.denyAllRole';
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, actions: await session(store, s) }));
    c.press('4');
    await c.waitForText('Quarantine the pod');
    c.press('X');
    await c.waitForText('y confirm all 4 steps');
    c.press('y');
    await c.waitForText('role name:');
    c.write(ROLE);
    c.press('enter');
    const f = await c.waitForText('bundle STOPPED: 3 of 4 steps in place');
    expect(f).toContain('✓ 3. IN PLACE: Quarantine the pod');
    expect(f).toContain('✗ 4. FAILED: Deny-all inline policy on the role');
    expect(f).toContain('User is not authorized to perform iam:PutRolePolicy');
    expect(recordsOf(file, 'action.failed').map((r) => r.data.actionId)).toHaveLength(1);
  });
});
