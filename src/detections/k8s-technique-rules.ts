// Kubernetes audit rules for catalogued techniques the core rules did not cover: client
// certificates (CSRs), service-account token requests, the nodes/proxy subresource and roles
// granting wildcard, exec or secret-writing rights. https://stratus-red-team.cloud/attack-techniques/list/
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/

import { auditView, objectName } from './audit-view.js';
import { hitFor } from './kubernetes-rules.js';
import { arr, at, clip, oneOrMany, str } from './read.js';
import type { Rule } from './types.js';

/** Control-plane identities that create CSRs and tokens as their job. */
function isSystem(user: string): boolean {
  return (
    user.startsWith('system:node:') ||
    user.startsWith('system:kube-') ||
    user.startsWith('system:serviceaccount:kube-system:')
  );
}

export const clientCertificate: Rule = {
  id: 'k8s.client-certificate',
  title: 'Client certificate requested or approved',
  severity: 2,
  why: 'A CertificateSigningRequest, once approved, gives a client certificate that authenticates as any user or group it names and cannot be revoked short of rotating the cluster CA.',
  runbook: 'host-compromise: deny or delete the CSR; if it was approved, treat its subject as a standing credential',
  match(e) {
    const v = auditView(e);
    if (!v || v.resource !== 'certificatesigningrequests' || isSystem(v.user)) return false;
    if (v.verb === 'create' && v.subresource === undefined)
      return hitFor(v, 2, `CSR ${objectName(v)} created by ${clip(v.user, 80)}`);
    if (v.subresource === 'approval' && (v.verb === 'update' || v.verb === 'patch'))
      return hitFor(v, 1, `CSR ${objectName(v)} approved by ${clip(v.user, 80)}`);
    return false;
  },
};

export const tokenRequest: Rule = {
  id: 'k8s.token-request',
  title: 'Service-account token requested by a person',
  severity: 2,
  why: 'A TokenRequest mints a bearer token for a service account; asked for by a person (not the kubelet) it is a credential taken out of the cluster.',
  runbook:
    'host-compromise: delete and recreate the service account (invalidates its tokens) and review what it can do',
  match(e) {
    const v = auditView(e);
    if (!v || v.resource !== 'serviceaccounts' || v.subresource !== 'token' || v.verb !== 'create') return false;
    if (isSystem(v.user)) return false;
    return hitFor(v, 2, `Token requested for ${objectName(v)} by ${clip(v.user, 80)}`);
  },
};

export const nodesProxy: Rule = {
  id: 'k8s.nodes-proxy',
  title: 'Kubelet API reached through nodes/proxy',
  severity: 1,
  why: 'nodes/proxy reaches the kubelet API directly: exec into any pod on the node, bypassing the pods/exec RBAC check and its audit trail.',
  runbook: "host-compromise: remove nodes/proxy from the caller's roles and review the node's pods",
  match(e) {
    const v = auditView(e);
    if (!v || v.resource !== 'nodes' || v.subresource !== 'proxy' || isSystem(v.user)) return false;
    return hitFor(v, 1, `nodes/proxy ${v.verb} on ${objectName(v)} by ${clip(v.user, 80)}`);
  },
};

/** What a role rule grants that matters: wildcard, exec, or writing secrets. */
function riskyGrants(rules: unknown): string[] {
  const out = new Set<string>();
  for (const r of arr(rules)) {
    const verbs = oneOrMany(at(r, 'verbs')).map((x) => str(x) ?? '');
    const resources = oneOrMany(at(r, 'resources')).map((x) => str(x) ?? '');
    const writes = verbs.some((x) => ['*', 'create', 'update', 'patch'].includes(x));
    if (verbs.includes('*') && resources.includes('*')) out.add('every verb on every resource');
    if (writes && resources.some((x) => x === 'pods/exec' || x === 'pods/*')) out.add('pods/exec');
    if (writes && resources.includes('secrets')) out.add('writing secrets');
  }
  return [...out];
}

export const riskyRole: Rule = {
  id: 'k8s.risky-role',
  title: 'Role granting wildcard, exec or secret-writing rights',
  severity: 2,
  why: 'A (Cluster)Role with "*" on "*", pods/exec or secret writes is an admin role by another name; created or changed outside review it is persistence.',
  runbook: 'host-compromise: capture and delete the role and its bindings, then review who holds them',
  match(e) {
    const v = auditView(e);
    if (!v || (v.verb !== 'create' && v.verb !== 'update' && v.verb !== 'patch')) return false;
    if (v.resource !== 'clusterroles' && v.resource !== 'roles') return false;
    if (isSystem(v.user) || str(at(v.requestObject, 'metadata', 'name'))?.startsWith('system:')) return false;
    const risks = riskyGrants(at(v.requestObject, 'rules'));
    if (!risks.length) return false;
    return hitFor(
      v,
      2,
      `${v.resource === 'roles' ? 'Role' : 'ClusterRole'} ${objectName(v)} grants ${risks.join(', ')} (by ${clip(v.user, 80)})`,
    );
  },
};

const KUBE_SYSTEM_KINDS = ['pods', 'deployments', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs', 'serviceaccounts'];

export const kubeSystemCreate: Rule = {
  id: 'k8s.kube-system-create',
  title: 'Workload or service account created in kube-system by a person',
  severity: 2,
  why: 'kube-system is where nobody looks and where controllers hold broad rights; a workload or service account a person adds there is a hiding place for persistence.',
  runbook: "host-compromise: capture and delete the object, then review the creator's other changes",
  match(e) {
    const v = auditView(e);
    if (!v || v.verb !== 'create' || v.namespace !== 'kube-system' || v.subresource !== undefined) return false;
    if (!v.resource || !KUBE_SYSTEM_KINDS.includes(v.resource) || isSystem(v.user) || v.user.startsWith('system:'))
      return false;
    return hitFor(v, 2, `${v.resource} ${objectName(v)} created by ${clip(v.user, 80)}`);
  },
};

export const K8S_TECHNIQUE_RULES: readonly Rule[] = [
  clientCertificate,
  tokenRequest,
  nodesProxy,
  riskyRole,
  kubeSystemCreate,
];
