// A live session on two AWS accounts at once, with the real SDK clients: each --profile reaches its
// own account (its own endpoint_url, as a VPC endpoint per account would), arming lists both, and
// an action on a role runs in the account its event came from, never in the other, where a role of
// the same name exists too.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '@firebreak/cloud-sim';
import { liveEnvFactory } from '../../src/actions/live-env.js';
import { profileEndpoints } from '../../src/sources/cloudtrail/profile-endpoints.js';

const A = '111111111111';
const B = '222222222222';
let clouds: SimCloud[] = [];
let dir: string;
const saved = { ...process.env };

const role = (account: string) => ({
  kind: 'iam-role' as const,
  id: 'ci-deployer',
  label: 'role ci-deployer',
  ...(account ? { account } : {}),
});

beforeAll(async () => {
  clouds = await Promise.all(
    [A, B].map((account) =>
      startSimCloud(
        {
          aws: {
            account,
            region: 'us-east-1',
            iam: { roles: [{ name: 'ci-deployer' }, { name: `only-in-${account}` }] },
          },
        },
        { now: () => new Date() },
      ),
    ),
  );
  dir = mkdtempSync(join(tmpdir(), 'fb-accounts-'));
  const section = (name: string, c: SimCloud) => {
    const aws = c.endpoints.aws!;
    return [
      `[profile ${name}]`,
      'region = us-east-1',
      `aws_access_key_id = ${aws.credentials.accessKeyId}`,
      `aws_secret_access_key = ${aws.credentials.secretAccessKey}`,
      `endpoint_url = ${aws.url}`,
    ].join('\n');
  };
  writeFileSync(
    join(dir, 'config'),
    [
      section('shop-a', clouds[0]!),
      section('shop-b', clouds[1]!),
      // A services section wins over the profile's own endpoint_url, per service.
      '[profile shop-split]\nendpoint_url = http://127.0.0.1:9\nservices = split',
      `[services split]\niam =\n  endpoint_url = ${clouds[1]!.endpoints.aws!.url}`,
      '',
    ].join('\n\n'),
  );
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
  for (const k of Object.keys(process.env))
    if (k.startsWith('AWS_ENDPOINT_URL') || k === 'AWS_PROFILE') delete process.env[k];
});

afterAll(async () => {
  process.env = saved;
  await Promise.all(clouds.map((c) => c.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function session() {
  const profiles = ['shop-a', 'shop-b'];
  const endpoints = new Map(await Promise.all(profiles.map(async (p) => [p, await profileEndpoints(p)] as const)));
  return liveEnvFactory({
    incidentId: 'INC-2026-201',
    journal: join(dir, 'inc.jsonl'),
    collector: 'alice',
    toolVersion: 'firebreak test',
    profiles,
    endpoints,
    region: 'us-east-1',
    regions: ['us-east-1'],
    env: {},
  });
}

it('each profile reaches its own account; arming lists both in --profile order', async () => {
  const env = await session();
  expect(await env.accounts()).toEqual([
    { account: A, profile: 'shop-a' },
    { account: B, profile: 'shop-b' },
  ]);
});

it('acts on a role in the account its event came from, with that account’s clients', async () => {
  const env = await session();
  const b = await env(role(B));
  expect(b.aws!.account).toBe(B);
  // The call lands in B: the role only B has is there, A's is not.
  await expect(b.aws!.iam.send(new GetRoleCommand({ RoleName: `only-in-${B}` }))).resolves.toBeDefined();
  await expect(b.aws!.iam.send(new GetRoleCommand({ RoleName: `only-in-${A}` }))).rejects.toThrow();
  expect((await env(role(A))).aws!.account).toBe(A);
});

it('refuses an account no profile reaches, and a bare role name when there are two accounts', async () => {
  const env = await session();
  await expect(env(role('333333333333'))).rejects.toThrow(
    `role ci-deployer is in AWS account 333333333333, which this session does not reach (it reaches ${A} (profile shop-a), ${B} (profile shop-b))`,
  );
  await expect(env(role(''))).rejects.toThrow('role ci-deployer: which account? This session reaches 2');
});

it('reads a profile’s endpoints as the SDK documents them: env first, then services section, then profile', async () => {
  expect((await profileEndpoints('shop-split')).iam).toBe(clouds[1]!.endpoints.aws!.url);
  expect((await profileEndpoints('shop-split')).sts).toBe('http://127.0.0.1:9');
  expect((await profileEndpoints('shop-split', { AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:7' })).iam).toBe(
    'http://127.0.0.1:7',
  );
  expect(await profileEndpoints('shop-split', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({});
  expect(await profileEndpoints('no-such-profile', {})).toEqual({});
});
