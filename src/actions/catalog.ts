// Which containment and evidence actions apply to which target (the seeds' playbook), and how a
// target is recognised in an event. The cockpit lists these for the selected event; each one that
// cannot run says why. Executing them (plan → dry run → confirm → execute → verify → journal,
// against the real AWS and Kubernetes APIs) is the actions framework's job; until it is present in
// a build, `unavailableReason` says so plainly instead of pretending to act.

// 'evidence': an evidence record (id EV-001, label = its file path), for uploading it to the Object
// Lock bucket. 'vault-prefix': a Vault lease prefix such as aws/creds/prod-db-reader.
export type TargetKind = 'iam-role' | 'access-key' | 'iam-user' | 'instance' | 'bucket' | 'pod' | 'namespace' | 'node' | 'evidence' | 'vault-prefix';

export interface Target {
  kind: TargetKind;
  id: string;
  /** Human label, e.g. "role prod-db-reader". */
  label: string;
  /** The region (AWS) or namespace (Kubernetes) the event named, when it did. */
  scope?: string;
}

export interface ActionInfo {
  id: string;
  title: string;
  kind: TargetKind;
  /** Destroys or changes something the attacker (or the business) relies on. */
  destructive: boolean;
  /** Evidence actions come first: capture state before fixing (seeds, "First 15 minutes"). */
  evidence: boolean;
}

export const ACTIONS: readonly ActionInfo[] = [
  { id: 'aws.preserveCloudTrail', title: 'Preserve CloudTrail for the window (hashed evidence file)', kind: 'iam-role', destructive: false, evidence: true },
  { id: 'aws.denyAllRole', title: 'Deny-all inline policy on the role + revoke older sessions', kind: 'iam-role', destructive: true, evidence: false },
  { id: 'aws.deactivateKey', title: 'Deactivate the access key (not delete) + revoke sessions', kind: 'access-key', destructive: true, evidence: false },
  { id: 'aws.denyAllUser', title: 'Deny-all inline policy on the user', kind: 'iam-user', destructive: true, evidence: false },
  { id: 'aws.snapshotVolumes', title: 'Snapshot every EBS volume, tagged with the incident id', kind: 'instance', destructive: false, evidence: true },
  { id: 'aws.isolateInstance', title: 'Isolate the instance (isolation security group)', kind: 'instance', destructive: true, evidence: false },
  { id: 'aws.blockPublicBucket', title: 'Block public access on the bucket', kind: 'bucket', destructive: true, evidence: false },
  { id: 'k8s.capturePod', title: 'Capture pod evidence (spec, logs incl. previous, events)', kind: 'pod', destructive: false, evidence: true },
  { id: 'k8s.quarantinePod', title: 'Quarantine the pod (relabel out of Services + deny-all policy)', kind: 'pod', destructive: true, evidence: false },
  { id: 'k8s.isolateNamespace', title: 'Isolate the namespace (deny-all NetworkPolicy)', kind: 'namespace', destructive: true, evidence: false },
  { id: 'k8s.cordonNode', title: 'Cordon the node', kind: 'node', destructive: true, evidence: false },
];

/** The targets an event names, from its normalised fields (actor, target, scope). */
export function targetsOf(e: { source: string; actor: string; target: string; scope: string }): Target[] {
  const out: Target[] = [];
  // An assumed-role ARN is assumed-role/ROLE/SESSION; a role ARN may carry a path (role/PATH/NAME).
  const role = /^arn:aws[\w-]*:sts::\d+:assumed-role\/([^/]+)/.exec(e.actor)?.[1] ?? /^arn:aws[\w-]*:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(e.actor)?.[1];
  if (role) out.push({ kind: 'iam-role', id: role, label: `role ${role}` });
  const user = /^arn:aws[\w-]*:iam::\d+:user\/(.+)$/.exec(e.actor);
  if (user) out.push({ kind: 'iam-user', id: user[1]!, label: `user ${user[1]}` });
  const key = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/.exec(e.target);
  if (key) out.push({ kind: 'access-key', id: key[1]!, label: `access key ${key[1]}` });
  const inst = /\b(i-[0-9a-f]{8,17})\b/.exec(e.target);
  if (inst) out.push({ kind: 'instance', id: inst[1]!, label: `instance ${inst[1]}` });
  const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(e.target);
  if (bucket) out.push({ kind: 'bucket', id: bucket[1]!, label: `bucket ${bucket[1]}` });
  if (e.source === 'kubernetes' || e.source === 'k8s-audit' || e.source === 'falco') {
    const pod = /(?:^|\/)pods\/([^/]+)/.exec(e.target);
    if (pod) out.push({ kind: 'pod', id: `${e.scope}/${pod[1]}`, label: `pod ${e.scope}/${pod[1]}` });
    if (e.scope) out.push({ kind: 'namespace', id: e.scope, label: `namespace ${e.scope}` });
    const node = /(?:^|\/)nodes\/([^/]+)/.exec(e.target);
    if (node) out.push({ kind: 'node', id: node[1]!, label: `node ${node[1]}` });
  }
  return out;
}

export interface ActionContext {
  mode: 'live' | 'drill' | 'review';
  armed: boolean;
  /** The action framework is part of this build (false until it lands). */
  executorAvailable: boolean;
}

/** Why an action cannot run now, or undefined if it can. */
export function unavailableReason(a: ActionInfo, ctx: ActionContext): string | undefined {
  if (ctx.mode === 'review') return 'review is read-only';
  if (!ctx.executorAvailable) return 'not in this build yet: containment actions are coming';
  if (ctx.mode === 'live' && !ctx.armed && a.destructive) return 'session is read-only: arm it first';
  return undefined;
}
