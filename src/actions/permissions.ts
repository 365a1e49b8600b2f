// The minimal responder role, generated from what each action declares it calls (meta.ts
// `permissions`): an IAM policy, a Kubernetes ClusterRole and a Vault policy that allow every
// firebreak action and nothing else. `firebreak permissions` prints them, so the role a team
// provisions is the one this build needs — an action added or changed changes the output.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
// https://developer.hashicorp.com/vault/docs/concepts/policies

import { CROSS_PLANE_PERMISSIONS } from './cross-plane/permissions.js';
import { ACTION_META, type ActionMeta } from './meta.js';
import type { RbacRule } from './types.js';

export const RESPONDER_ROLE_NAME = 'firebreak-responder';

/** What declares permissions: every action, and the cross-plane bundle's role lookup. */
type Declares = Pick<ActionMeta, 'id' | 'permissions'>;
const DECLARED: readonly Declares[] = [...ACTION_META, CROSS_PLANE_PERMISSIONS];

const VERB_ORDER: readonly RbacRule['verbs'][number][] = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
];
const CAPABILITY_ORDER = ['create', 'read', 'update', 'list', 'sudo'] as const;

/** Every IAM action the actions call, by service prefix, sorted. */
export function iamActions(actions: readonly Declares[] = DECLARED): Map<string, string[]> {
  const by = new Map<string, Set<string>>();
  for (const a of actions)
    for (const p of a.permissions.aws ?? []) {
      const service = p.slice(0, p.indexOf(':'));
      by.set(service, (by.get(service) ?? new Set()).add(p));
    }
  return new Map([...by].sort(([a], [b]) => a.localeCompare(b)).map(([s, set]) => [s, [...set].sort()]));
}

/** The IAM policy document (one statement per service). Resource "*": the targets are only known during the incident. */
export function iamPolicy(actions: readonly Declares[] = DECLARED): object {
  const sid = (s: string) => `Firebreak${s.charAt(0).toUpperCase()}${s.slice(1)}`;
  return {
    Version: '2012-10-17',
    Statement: [...iamActions(actions)].map(([service, list]) => ({
      Sid: sid(service),
      Effect: 'Allow',
      Action: list,
      Resource: '*',
    })),
  };
}

/** RBAC rules merged by API group and resource, verbs in a fixed order. */
export function rbacRules(actions: readonly Declares[] = DECLARED): RbacRule[] {
  const by = new Map<string, { apiGroup: string; resource: string; verbs: Set<RbacRule['verbs'][number]> }>();
  for (const a of actions)
    for (const r of a.permissions.kubernetes ?? []) {
      const k = `${r.apiGroup}\u0000${r.resource}`;
      const cur = by.get(k) ?? { apiGroup: r.apiGroup, resource: r.resource, verbs: new Set() };
      for (const v of r.verbs) cur.verbs.add(v);
      by.set(k, cur);
    }
  return [...by.values()]
    .sort((a, b) => a.apiGroup.localeCompare(b.apiGroup) || a.resource.localeCompare(b.resource))
    .map((r) => ({ apiGroup: r.apiGroup, resource: r.resource, verbs: VERB_ORDER.filter((v) => r.verbs.has(v)) }));
}

export function clusterRole(actions: readonly Declares[] = DECLARED): object {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: RESPONDER_ROLE_NAME, labels: { 'app.kubernetes.io/managed-by': 'firebreak' } },
    rules: rbacRules(actions).map((r) => ({ apiGroups: [r.apiGroup], resources: [r.resource], verbs: [...r.verbs] })),
  };
}

/** The ClusterRole as YAML, one rule per resource in flow style (a JSON string is a valid YAML scalar). */
export function clusterRoleYaml(actions: readonly Declares[] = DECLARED): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    `  name: ${RESPONDER_ROLE_NAME}`,
    '  labels:',
    '    app.kubernetes.io/managed-by: firebreak',
    'rules:',
  ];
  for (const r of rbacRules(actions)) {
    lines.push(
      `  - apiGroups: [${q(r.apiGroup)}]`,
      `    resources: [${q(r.resource)}]`,
      `    verbs: [${r.verbs.map(q).join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The Vault policy (HCL), capabilities merged per path. */
export function vaultPolicy(actions: readonly Declares[] = DECLARED): string {
  const by = new Map<string, Set<string>>();
  for (const a of actions)
    for (const p of a.permissions.vault ?? []) {
      const set = by.get(p.path) ?? new Set<string>();
      for (const c of p.capabilities) set.add(c);
      by.set(p.path, set);
    }
  return [...by]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([path, caps]) =>
        `path "${path}" {\n  capabilities = [${CAPABILITY_ORDER.filter((c) => caps.has(c))
          .map((c) => `"${c}"`)
          .join(', ')}]\n}\n`,
    )
    .join('\n');
}

export type PermissionsFormat = 'iam' | 'kubernetes' | 'vault';
export const PERMISSIONS_FORMATS: readonly PermissionsFormat[] = ['iam', 'kubernetes', 'vault'];

/** What `firebreak permissions [format]` prints: one document ready to pipe, or all three under headings. */
export function permissionsText(format?: PermissionsFormat, actions: readonly Declares[] = DECLARED): string {
  const iam = `${JSON.stringify(iamPolicy(actions), null, 2)}\n`;
  if (format === 'iam') return iam;
  if (format === 'kubernetes') return clusterRoleYaml(actions);
  if (format === 'vault') return vaultPolicy(actions);
  return [
    `# IAM policy (firebreak permissions iam > responder.json; aws iam create-policy --policy-name ${RESPONDER_ROLE_NAME} --policy-document file://responder.json)`,
    iam,
    `# Kubernetes ClusterRole (firebreak permissions kubernetes | kubectl apply -f -), bound to the responder's group`,
    clusterRoleYaml(actions),
    `# Vault policy (firebreak permissions vault | vault policy write ${RESPONDER_ROLE_NAME} -)`,
    vaultPolicy(actions),
  ].join('\n');
}

/** Markdown: which action needs which permission (for the manual). */
export function permissionsTableMarkdown(actions: readonly Declares[] = DECLARED): string {
  const rows = ['| Action | AWS IAM | Kubernetes RBAC | Vault |', '|---|---|---|---|'];
  for (const a of actions) {
    const p = a.permissions;
    const aws = (p.aws ?? []).map((x) => `\`${x}\``).join(' ');
    const kube = (p.kubernetes ?? [])
      .map((r) => `\`${r.apiGroup ? `${r.resource}.${r.apiGroup}` : r.resource}\`: ${r.verbs.join(', ')}`)
      .join('; ');
    const vault = (p.vault ?? []).map((v) => `\`${v.path}\`: ${v.capabilities.join(', ')}`).join('; ');
    rows.push(`| \`${a.id}\` | ${aws || '—'} | ${kube || '—'} | ${vault || '—'} |`);
  }
  return rows.join('\n');
}

export const PERMISSIONS_START = '<!-- permissions:start (generated by `npm run keys` from src/actions/meta.ts) -->';
export const PERMISSIONS_END = '<!-- permissions:end -->';

/** README.md with the permissions table between its markers rewritten. */
export function withPermissionsTable(readme: string): string {
  const a = readme.indexOf(PERMISSIONS_START);
  const b = readme.indexOf(PERMISSIONS_END);
  if (a < 0 || b < a) throw new Error('README.md has no permissions markers');
  return readme.slice(0, a + PERMISSIONS_START.length) + '\n' + permissionsTableMarkdown() + '\n' + readme.slice(b);
}
