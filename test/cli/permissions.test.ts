// `firebreak permissions` prints the responder role generated from the actions' declarations:
// each format alone is a document the provisioning tool takes as it is (JSON, YAML, HCL).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist', 'app', 'cli.js');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
});

function firebreak(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('prints the IAM policy, the ClusterRole and the Vault policy, each ready to pipe; refuses another format', async () => {
  const { ACTION_META } = await import('../../src/actions/meta.js');
  const { CROSS_PLANE_PERMISSIONS } = await import('../../src/actions/cross-plane/permissions.js');
  const iam = firebreak('permissions', 'iam');
  expect(iam.code).toBe(0);
  const doc = JSON.parse(iam.stdout) as { Statement: { Action: string[] }[] };
  expect(new Set(doc.Statement.flatMap((s) => s.Action))).toEqual(
    new Set([...ACTION_META, CROSS_PLANE_PERMISSIONS].flatMap((a) => a.permissions.aws ?? [])),
  );

  const k8s = firebreak('permissions', 'kubernetes');
  expect(k8s.code).toBe(0);
  expect(parse(k8s.stdout)).toMatchObject({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'firebreak-responder' },
  });

  const vault = firebreak('permissions', 'vault');
  expect(vault.stdout).toMatch(/^path "sys\/leases\/lookup\/\*" \{/);

  const all = firebreak('permissions');
  expect(all.code).toBe(0);
  expect(all.stdout).toContain(iam.stdout);
  expect(all.stdout).toContain(k8s.stdout);

  const bad = firebreak('permissions', 'gcp');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/iam, kubernetes, vault/);
});
