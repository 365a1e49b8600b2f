// Two-person approval across two built cockpits on one shared incident (S3 Object Lock and Vault,
// simulated): alice turns approval on, plans a destructive lease revocation and confirms it — the
// confirmation is held as an approval request; bob sees the request on his header and approves
// it from his cockpit; alice confirms again and it runs. Both journals hold their side.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '@firebreak/cloud-sim';
import { armAs, killAll, quitCockpit, runPalette, sandbox, spawnCli, type Sandbox } from './terminal.js';

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

const ACCOUNT = '123456789012';
const PREFIX = 'aws/creds/orders-prod';

/** y, the target's name typed back, Enter: a destructive confirmation. */
async function confirm(t: ReturnType<typeof spawnCli>): Promise<void> {
  t.press('y');
  await t.waitFor('confirm:');
  t.type('orders-prod');
  await t.waitFor('confirm: orders-prod');
  t.press('enter');
}

it('a destructive action waits for another responder’s approval, then runs', async () => {
  cloud = await startSimCloud(
    {
      aws: { account: ACCOUNT, region: 'us-east-1', s3: { buckets: [{ name: 'ir-share', objectLock: true }] } },
      vault: { leases: [{ id: `${PREFIX}/lease-1` }, { id: `${PREFIX}/lease-2` }] },
    },
    { now: () => new Date() },
  );
  const aws = cloud.endpoints.aws!;
  const env = {
    ...box.env,
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    VAULT_ADDR: cloud.endpoints.vault!.addr,
    VAULT_TOKEN: cloud.endpoints.vault!.token,
  };
  const share = ['--share', 's3://ir-share/team', '--share-every', '1', '--region', 'us-east-1'];
  const aliceJ = join(box.dir, 'alice.jsonl');
  const bobJ = join(box.dir, 'bob.jsonl');
  const alice = spawnCli(
    ['live', '--journal', aliceJ, '--title', 'Approval test', '--id', 'INC-2026-110', '--actor', 'alice', ...share],
    { env, cols: 220, rows: 50 },
  );
  await alice.waitFor(/share alice-[0-9a-f]{8} ✓/, undefined, 'alice’s share healthy');
  await runPalette(alice, 'policy approval destructive');
  await alice.waitFor('recorded');
  await armAs(alice, ACCOUNT);
  await runPalette(alice, `act vault.revokeLeases vault-prefix:${PREFIX}`);
  await alice.waitFor('params sha256');
  await confirm(alice);
  const asked = await alice.waitFor(/approval (apr-[0-9a-z-]+) requested/, 20_000, 'the approval request');
  const requestId = /approval (apr-[0-9a-z-]+) requested/.exec(asked)![1]!;
  // Nothing ran: the leases are all there.
  expect(readFileSync(aliceJ, 'utf8')).not.toContain('"action.started"');

  await new Promise((r) => setTimeout(r, 2_500));
  const bob = spawnCli(['live', '--journal', bobJ, '--id', 'INC-2026-110', '--actor', 'bob', ...share], {
    env,
    cols: 220,
    rows: 50,
  });
  await bob.waitFor(`${requestId} waits for approval`, 30_000, 'the request on bob’s header');
  await runPalette(bob, `approve ${requestId}`);
  await bob.waitFor((s) => !s.includes(`${requestId} waits for approval`), 30_000, 'the request answered');

  // Alice's next round sees the approval; the same plan now runs.
  await new Promise((r) => setTimeout(r, 2_500));
  await confirm(alice);
  await alice.waitFor(
    (s) => s.split('\n').at(-1)!.includes('succeeded and verified'),
    30_000,
    'the revocation verified',
  );
  await quitCockpit(alice);
  await quitCockpit(bob);

  const recs = (f: string) =>
    readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  const a = recs(aliceJ);
  expect(a.filter((r) => r.type === 'approval.requested').map((r) => r.data.requestId)).toEqual([requestId]);
  const confirmed = a.find((r) => r.type === 'action.confirmed')!;
  expect(confirmed.data.approval).toMatchObject({ requestId, by: expect.stringMatching(/^bob/) });
  expect(a.some((r) => r.type === 'action.verified')).toBe(true);
  expect(
    recs(bobJ)
      .filter((r) => r.type === 'approval.decided')
      .map((r) => r.data),
  ).toEqual([expect.objectContaining({ requestId, decision: 'approved' })]);
}, 150_000);
