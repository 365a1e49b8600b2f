// Each action declares what it must be allowed to call (src/actions/meta.ts), and the responder
// role is generated from those declarations (src/actions/permissions.ts, `firebreak permissions`),
// so the role a team provisions cannot drift from what the actions do.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_META } from '../../../src/actions/meta.js';
import { CROSS_PLANE_PERMISSIONS } from '../../../src/actions/cross-plane/permissions.js';

/** The actions and the cross-plane bundle's role lookup: everything that declares permissions. */
const DECLARING = [...ACTION_META, CROSS_PLANE_PERMISSIONS];
import {
  clusterRole,
  clusterRoleYaml,
  iamPolicy,
  permissionsTableMarkdown,
  permissionsText,
  rbacRules,
  vaultPolicy,
} from '../../../src/actions/permissions.js';

const SERVICE_OF = { aws: ['ec2', 'iam', 's3', 'cloudtrail'], kubernetes: [], vault: [] } as const;

describe('action permissions', () => {
  it('every action declares the permissions of the backend it needs, and only of that backend', () => {
    for (const a of ACTION_META) {
      const p = a.permissions;
      expect(p, a.id).toBeDefined();
      const declared = (['aws', 'kubernetes', 'vault'] as const).filter((b) => (p[b]?.length ?? 0) > 0);
      expect(declared, a.id).toEqual([a.needs]);
      for (const name of p.aws ?? []) {
        expect(name, a.id).toMatch(/^[a-z0-9]+:[A-Z][A-Za-z0-9]+$/);
        expect(SERVICE_OF.aws, `${a.id} ${name}`).toContain(name.split(':')[0]);
      }
      for (const r of p.kubernetes ?? []) {
        expect(r.resource, a.id).toMatch(/^[a-z]+(\/[a-z]+)?$/);
        expect(r.verbs.length, a.id).toBeGreaterThan(0);
      }
    }
    // The changes need their write permission (spot checks against the calls each one makes).
    const perms = (id: string) => ACTION_META.find((a) => a.id === id)!.permissions;
    expect(perms('aws.isolateInstance').aws).toEqual(
      expect.arrayContaining([
        'ec2:ModifyNetworkInterfaceAttribute',
        'ec2:CreateSecurityGroup',
        'ec2:RevokeSecurityGroupEgress',
      ]),
    );
    expect(perms('aws.deactivateKey').aws).toEqual(
      expect.arrayContaining(['iam:UpdateAccessKey', 'iam:PutUserPolicy']),
    );
    expect(perms('k8s.quarantinePod').kubernetes).toEqual(
      expect.arrayContaining([{ apiGroup: '', resource: 'pods', verbs: ['get', 'patch'] }]),
    );
  });

  it('the IAM policy allows exactly the union of what the actions declare', () => {
    const doc = iamPolicy() as { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] };
    expect(doc.Version).toBe('2012-10-17');
    const allowed = doc.Statement.flatMap((s) => (s.Effect === 'Allow' ? s.Action : []));
    const declared = new Set(DECLARING.flatMap((a) => a.permissions.aws ?? []));
    expect(new Set(allowed)).toEqual(declared);
    expect(allowed.length).toBe(declared.size); // no duplicates
    expect(JSON.parse(permissionsText('iam'))).toEqual(doc);
  });

  it('the ClusterRole is valid YAML covering every declared rule, and nothing more', () => {
    const yaml = parse(clusterRoleYaml()) as {
      kind: string;
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    expect(yaml).toEqual(clusterRole());
    expect(yaml.kind).toBe('ClusterRole');
    const granted = new Set(yaml.rules.flatMap((r) => r.verbs.map((v) => `${r.apiGroups[0]}/${r.resources[0]}:${v}`)));
    const declared = new Set(
      DECLARING.flatMap((a) =>
        (a.permissions.kubernetes ?? []).flatMap((r) => r.verbs.map((v) => `${r.apiGroup}/${r.resource}:${v}`)),
      ),
    );
    expect(granted).toEqual(declared);
    // Merged per resource: pods is one rule with the verbs of capture, quarantine, isolation and cordon.
    expect(rbacRules().find((r) => r.apiGroup === '' && r.resource === 'pods')).toEqual({
      apiGroup: '',
      resource: 'pods',
      verbs: ['get', 'list', 'patch'],
    });
    expect(yaml.rules.some((r) => r.verbs.includes('*') || r.resources.includes('*'))).toBe(false);
  });

  it('the Vault policy grants the lease paths, sudo only where revoke-prefix needs it', () => {
    expect(vaultPolicy()).toBe(
      'path "sys/leases/lookup/*" {\n  capabilities = ["list"]\n}\n\npath "sys/leases/revoke-prefix/*" {\n  capabilities = ["update", "sudo"]\n}\n',
    );
    const all = permissionsText();
    expect(all).toContain('# IAM policy');
    expect(all).toContain('kind: ClusterRole');
    expect(all).toContain('path "sys/leases/revoke-prefix/*"');
    const table = permissionsTableMarkdown();
    for (const a of ACTION_META) expect(table).toContain(`| \`${a.id}\` |`);
  });
});
