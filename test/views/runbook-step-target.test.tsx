// Runbook steps whose target no event names: Enter on "upload the evidence to the write-once
// bucket" plans aws.uploadEvidence on the newest evidence record, and Enter on "revoke the Vault
// leases" plans vault.revokeLeases on the session's Vault prefix (a drill's scenario names it).
// Before, both steps said "select an event naming one" — no event ever does — and only a typed
// `:act` ran them. Stand-in defs carry the real ids, so nothing reaches a cloud.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionDef } from '../../src/actions/types.js';
import { createJournal, linesOf, mount, recordsOf, Scratch, type Cockpit } from './harness.js';
import { standIns, standInSession } from './stand-in-actions.js';

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

function def(id: string, kind: ActionDef['kind'], title: string, needs: ActionDef['needs']): ActionDef {
  return {
    id,
    title,
    key: id === 'aws.uploadEvidence' ? 'w' : 'l',
    kind,
    phase: 'containment',
    destructive: false,
    reversible: false,
    evidence: false,
    needs,
    async plan(t) {
      return { params: { target: t.id }, calls: [], blastRadius: [], warnings: [] };
    },
    async dryRun() {
      return { kind: 'simulated', ok: true, message: 'ok', requestIds: [] };
    },
    async execute() {
      return { requestIds: [], outputs: {}, message: 'done' };
    },
    async verify() {
      return { ok: true, detail: 'read back' };
    },
  };
}

const evidence = (n: number) => ({
  evidenceId: `EV-00${n}`,
  path: `/tmp/evidence/cloudtrail-${n}.jsonl`,
  sha256: String(n).repeat(64),
  size: 1,
  source: 'cloudtrail',
  description: `CloudTrail ${n}`,
  collector: 'alice',
  toolVersion: 'firebreak test',
  collectedAt: `2026-04-20T14:4${n}:00Z`,
});

async function setup(o: { evidence?: number; vaultPrefixes?: string[] } = {}) {
  const { file, store } = await createJournal(scratch, { events: 1 });
  for (let n = 1; n <= (o.evidence ?? 0); n++) await store.getState().actions.recordEvidence(evidence(n));
  const s = standIns();
  s.defs.push(
    def('aws.uploadEvidence', 'evidence', 'Upload the evidence file to the Object Lock bucket', 'aws'),
    def('vault.revokeLeases', 'vault-prefix', 'Revoke every Vault lease under the prefix', 'vault'),
  );
  const session = standInSession(store, scratch.dir, s, { backends: ['aws', 'kubernetes', 'vault'] });
  if (o.vaultPrefixes) session.vaultPrefixes = o.vaultPrefixes;
  const c = (cockpit = await mount(store, file, { cols: 200, rows: 50, actions: session }));
  c.press(':');
  await c.waitForText('Tab completes');
  c.write('runbook credentials-leak');
  c.press('enter');
  await c.waitForText('Runbook: Credentials leak');
  return { file, c };
}

/** Moves the runbook highlight down to step `n` (1-based) and presses Enter on it. */
async function enterOnStep(c: Cockpit, n: number): Promise<void> {
  for (let i = 1; i < n; i++) c.press('j');
  await c.waitFor((f) => linesOf(f).some((l) => new RegExp(`^.*›\\[ \\] +${n} `).test(l)), `step ${n} highlighted`);
  c.press('enter');
}

const planTitle = (f: string) => linesOf(f).find((l) => l.includes('Plan: ')) ?? '';

describe('runbook steps with an implied target', () => {
  it('Enter on "store the evidence" plans the upload of the newest evidence item', async () => {
    const { file, c } = await setup({ evidence: 2 });
    await enterOnStep(c, 11);
    const f = await c.waitFor((x) => planTitle(x).includes('Plan: '), 'the plan dialog');
    expect(planTitle(f)).toContain(
      'Upload the evidence file to the Object Lock bucket — /tmp/evidence/cloudtrail-2.jsonl',
    );
    const planned = recordsOf(file, 'action.planned');
    expect(planned).toHaveLength(1);
    expect(planned[0]!.data).toMatchObject({
      action: 'aws.uploadEvidence',
      target: { kind: 'evidence', id: 'EV-002', label: '/tmp/evidence/cloudtrail-2.jsonl' },
    });
  });

  it('Enter on "revoke the leases" plans vault.revokeLeases on the session’s Vault prefix', async () => {
    const { file, c } = await setup({ vaultPrefixes: ['database/creds/orders-prod', 'database/creds/other'] });
    await enterOnStep(c, 10);
    const f = await c.waitFor((x) => planTitle(x).includes('Plan: '), 'the plan dialog');
    expect(planTitle(f)).toContain(
      'Revoke every Vault lease under the prefix — vault-prefix database/creds/orders-prod',
    );
    const planned = recordsOf(file, 'action.planned');
    expect(planned).toHaveLength(1);
    expect(planned[0]!.data).toMatchObject({
      action: 'vault.revokeLeases',
      target: { kind: 'vault-prefix', id: 'database/creds/orders-prod' },
    });
  });

  it('without evidence or a known prefix, Enter says what is missing and plans nothing', async () => {
    const { file, c } = await setup();
    await enterOnStep(c, 10);
    await c.waitForText('vault.revokeLeases needs a Vault lease prefix');
    c.press('b');
    await c.waitForText('Runbook: Credentials leak');
    await enterOnStep(c, 11);
    await c.waitForText('aws.uploadEvidence needs evidence: none collected yet');
    expect(recordsOf(file, 'action.planned')).toHaveLength(0);
  });
});
