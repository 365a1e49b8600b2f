// The simulated Vault lease API (https://developer.hashicorp.com/vault/api-docs/system/leases):
// directory-style listing, revoke-prefix that never crosses into a sibling with a longer name, and
// tokens that may do only what their capabilities say.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultModel } from '../src/vault/model.js';
import { VaultSim } from '../src/vault/protocol.js';

const leases = [
  { id: 'aws/creds/db/a1' },
  { id: 'aws/creds/db/a2' },
  { id: 'aws/creds/db-admin/b1' },
  { id: 'aws/creds/db/deep/c1' },
];

describe('leases (model)', () => {
  it('lists the immediate children of a prefix, deeper ones as "dir/"', () => {
    const v = new VaultModel({ leases });
    expect(v.children('aws/creds/db')).toEqual(['a1', 'a2', 'deep/']);
    expect(v.children('aws/creds/')).toEqual(['db-admin/', 'db/']);
  });

  it('revoke-prefix aws/creds/db leaves aws/creds/db-admin alone; an exact lease id goes alone', () => {
    const v = new VaultModel({ leases });
    v.revokePrefix('aws/creds/db/a1');
    expect([...v.leases.keys()]).toEqual(['aws/creds/db/a2', 'aws/creds/db-admin/b1', 'aws/creds/db/deep/c1']);
    v.revokePrefix('aws/creds/db');
    expect([...v.leases.keys()]).toEqual(['aws/creds/db-admin/b1']);
  });
});

describe('the lease API over HTTP', () => {
  let sim: VaultSim;
  let url = '';
  beforeEach(async () => {
    sim = new VaultSim({
      leases,
      tokens: [
        { id: 'reader', capabilities: ['list', 'lookup'] },
        { id: 'ops', capabilities: ['list', 'lookup', 'revoke'] },
      ],
    });
    url = await sim.start();
  });
  afterEach(() => sim.close());

  const req = (method: string, path: string, token?: string) =>
    fetch(`${url}${path}`, { method, headers: token ? { 'x-vault-token': token } : {} });

  it('an unknown token is 403 permission denied; a token without revoke cannot revoke', async () => {
    expect((await req('PUT', '/v1/sys/leases/revoke-prefix/aws/creds/db')).status).toBe(403);
    const r = await req('PUT', '/v1/sys/leases/revoke-prefix/aws/creds/db', 'reader');
    expect(r.status).toBe(403);
    expect(sim.leases.size).toBe(4);
  });

  it('lists with ?list=true, revokes with 204, and an empty listing is a 404', async () => {
    const list = await req('GET', '/v1/sys/leases/lookup/aws/creds/db/?list=true', 'reader');
    expect(((await list.json()) as any).data.keys).toEqual(['a1', 'a2', 'deep/']);
    expect((await req('PUT', '/v1/sys/leases/revoke-prefix/aws/creds/db', 'ops')).status).toBe(204);
    expect((await req('GET', '/v1/sys/leases/lookup/aws/creds/db/?list=true', 'ops')).status).toBe(404);
    expect([...sim.leases.keys()]).toEqual(['aws/creds/db-admin/b1']);
  });
});
