// The Vault prefixes a drill offers the runbook's "revoke the leases" step: each seeded lease's id
// without its last segment, once each, in seed order (inc-2026-042: orders-prod first).

import { expect, it } from 'vitest';
import { scenarioVaultPrefixes } from '../../../app/commands/drill.js';
import { loadScenario } from '../../../src/sources/drill/index.js';

it('derives the lease prefixes from the scenario’s Vault seed', () => {
  expect(
    scenarioVaultPrefixes({
      leases: [{ id: 'database/creds/a/1' }, { id: 'database/creds/a/2' }, { id: 'aws/creds/b/3' }, { id: 'flat' }],
    }),
  ).toEqual(['database/creds/a', 'aws/creds/b']);
  expect(scenarioVaultPrefixes(undefined)).toEqual([]);
  expect(scenarioVaultPrefixes({ leases: 'x' })).toEqual([]);
});

it('inc-2026-042 offers the orders-prod database credentials first', async () => {
  const s = await loadScenario('inc-2026-042');
  expect(scenarioVaultPrefixes(s.cloud?.vault)).toEqual([
    'database/creds/orders-prod',
    'database/creds/orders-reporting',
  ]);
});
