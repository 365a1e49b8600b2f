// vault.revokeLeases: global fetch against the Vault sim, through the runner. The claims: the
// listing is the blast radius, one revoke-prefix call with the token header, nothing outside the
// prefix touched, a read-back that fails when leases remain, Vault's 403 journaled with a hint,
// and the token never in the journal.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_ACTIONS } from '../../src/actions/evidence/index.js';
import { VaultSim } from '@firebreak/cloud-sim';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ofType } from './actions-evidence-env.js';

const TOKEN = 'hvs.responder-token-0123456789';
const READ_ONLY = 'hvs.list-only-token-0123456789';
const PREFIX = 'aws/creds/prod-db-reader';
const target = { kind: 'vault-prefix' as const, id: PREFIX, label: `vault leases ${PREFIX}` };

let sim: VaultSim;
let fx: ActionFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await sim?.close();
});

async function setup(token = TOKEN) {
  sim = new VaultSim({
    tokens: [
      { id: TOKEN, capabilities: ['list', 'lookup', 'revoke'] },
      { id: READ_ONLY, capabilities: ['list'] },
    ],
    leases: [
      { id: `${PREFIX}/lease-a` },
      { id: `${PREFIX}/lease-b` },
      { id: `${PREFIX}/batch/lease-c` },
      // A sibling whose name starts with the prefix: NOT under it.
      { id: 'aws/creds/prod-db-reader-admin/lease-z' },
    ],
  });
  await sim.start();
  const dir = tempDir();
  fx = await actionFixture(dir, baseEnv(dir, { vault: { addr: sim.url, token } }), { defs: EVIDENCE_ACTIONS });
  return fx;
}

describe('vault.revokeLeases', () => {
  it('lists the leases as the blast radius, revokes the prefix once with the token, and reads back none left', async () => {
    const fx = await setup();
    const id = await fx.run('vault.revokeLeases', target);
    expect(fx.runner.status(id)).toBe('verified');

    const planned = ofType(fx.records(), 'action.planned')[0]!.data;
    expect(planned.blastRadius).toEqual(
      expect.arrayContaining([`${PREFIX}/batch/lease-c`, `${PREFIX}/lease-a`, `${PREFIX}/lease-b`]),
    );
    expect(planned.blastRadius[0]).toMatch(/^3 leases under aws\/creds\/prod-db-reader\//);
    expect(planned.warnings.join(' ')).toMatch(/final: there is no undo/);
    expect(planned.params).toEqual({ vaultAddr: sim.url, prefix: PREFIX });

    const [revoke, ...more] = sim.recorder.of('RevokePrefix');
    expect(more).toEqual([]);
    expect(revoke).toMatchObject({ method: 'PUT', path: `/v1/sys/leases/revoke-prefix/${PREFIX}/`, status: 204 });
    expect(revoke!.headers['x-vault-token']).toBe(TOKEN);
    const lists = sim.recorder.of('ListLeases');
    expect(lists[0]).toMatchObject({
      method: 'GET',
      path: `/v1/sys/leases/lookup/${PREFIX}/`,
      query: { list: 'true' },
    });
    expect(lists.every((c) => c.headers['x-vault-token'] === TOKEN)).toBe(true);

    expect([...sim.leases.keys()]).toEqual(['aws/creds/prod-db-reader-admin/lease-z']);
    expect(ofType(fx.records(), 'action.succeeded')[0]!.data.outputs).toMatchObject({ revokedCount: 3 });
    expect(ofType(fx.records(), 'action.verified')[0]!.data).toMatchObject({
      ok: true,
      detail: `no lease left under ${PREFIX}/`,
    });
    expect(readFileSync(fx.file, 'utf8')).not.toContain(TOKEN);
  });

  it('the dry run only lists', async () => {
    const fx = await setup();
    const id = await fx.runner.plan('vault.revokeLeases', target);
    const r = await fx.runner.dryRun(id);
    expect(r).toMatchObject({ kind: 'simulated', ok: true });
    expect(r.message).toMatch(/^3 leases .* would be revoked; nothing revoked/);
    expect(new Set(sim.recorder.calls.map((c) => c.op))).toEqual(new Set(['ListLeases']));
    expect(sim.leases.size).toBe(4);
  });

  it('a second press makes no second revoke', async () => {
    const fx = await setup();
    const id = await fx.run('vault.revokeLeases', target);
    await expect(fx.runner.execute(id)).rejects.toThrow(/never run twice/);
    expect(sim.recorder.of('RevokePrefix')).toHaveLength(1);
  });

  it("a token without the revoke policy: Vault's 403 journaled as action.failed with a hint, nothing revoked", async () => {
    const fx = await setup(READ_ONLY);
    const id = await fx.run('vault.revokeLeases', target);
    expect(fx.runner.status(id)).toBe('failed');
    const f = ofType(fx.records(), 'action.failed')[0]!.data;
    expect(f).toMatchObject({ stage: 'execute', code: 'PermissionDenied' });
    expect(f.message).toBe(`Vault refused to revoke the leases under ${PREFIX}: HTTP 403 permission denied`);
    expect(f.hint).toMatch(/VAULT_TOKEN/);
    expect(sim.leases.size).toBe(4);
  });

  it("an unknown token cannot even plan: the listing's 403 fails the plan", async () => {
    const fx = await setup('hvs.wrong');
    await expect(fx.runner.plan('vault.revokeLeases', target)).rejects.toThrow(/HTTP 403 permission denied/);
    expect(ofType(fx.records(), 'action.failed')[0]!.data).toMatchObject({ stage: 'plan', code: 'PermissionDenied' });
    expect(sim.recorder.of('RevokePrefix')).toEqual([]);
  });

  it('verify fails when leases are still (or again) under the prefix', async () => {
    const fx = await setup();
    const id = await fx.run('vault.revokeLeases', target);
    sim.addLease({ id: `${PREFIX}/lease-new` });
    expect(await fx.runner.reverify(id)).toBe('verify-failed');
    expect(ofType(fx.records(), 'action.verified').at(-1)!.data.detail).toBe(
      `1 lease still under ${PREFIX}/: ${PREFIX}/lease-new`,
    );
  });
});

describe('the Vault sim speaks Vault', () => {
  it('403 {"errors":["permission denied"]} without a token; listing children; one lease looks up', async () => {
    sim = new VaultSim({
      tokens: [{ id: TOKEN, capabilities: ['list', 'lookup'] }],
      leases: [{ id: `${PREFIX}/l1`, issueTime: '2026-04-20T14:00:00.000Z', ttlSeconds: 3600 }],
    });
    await sim.start();
    const none = await fetch(`${sim.url}/v1/sys/leases/lookup/${PREFIX}/?list=true`);
    expect(none.status).toBe(403);
    expect(await none.json()).toEqual({ errors: ['permission denied'] });
    const list = await fetch(`${sim.url}/v1/sys/leases/lookup/aws/creds/?list=true`, {
      headers: { 'X-Vault-Token': TOKEN },
    });
    expect((await list.json()).data).toEqual({ keys: ['prod-db-reader/'] });
    const one = await fetch(`${sim.url}/v1/sys/leases/lookup`, {
      method: 'PUT',
      headers: { 'X-Vault-Token': TOKEN },
      body: JSON.stringify({ lease_id: `${PREFIX}/l1` }),
    });
    expect((await one.json()).data).toMatchObject({
      id: `${PREFIX}/l1`,
      issue_time: '2026-04-20T14:00:00.000Z',
      expire_time: '2026-04-20T15:00:00.000Z',
    });
    const empty = await fetch(`${sim.url}/v1/sys/leases/lookup/aws/other/?list=true`, {
      headers: { 'X-Vault-Token': TOKEN },
    });
    expect(empty.status).toBe(404);
  });
});
