// What an action acts on, and how a target is recognised in an event: the cockpit offers the
// registry's actions (registry.ts) for the targets the selected event names.

import type { TargetKind } from '../domain/target-kinds.js';

export type { TargetKind };

export interface Target {
  kind: TargetKind;
  id: string;
  /** Human label, e.g. "role prod-db-reader". */
  label: string;
  /** The region (AWS) or namespace (Kubernetes) the event named, when it did. */
  scope?: string;
}

/** The targets an event names, from its normalised fields (actor, target, scope). */
export function targetsOf(e: {
  source: string;
  actor: string;
  target: string;
  scope: string;
  accessKeyId?: string | undefined;
}): Target[] {
  const out: Target[] = [];
  // An assumed-role ARN is assumed-role/ROLE/SESSION; a role ARN may carry a path (role/PATH/NAME).
  const role =
    /^arn:aws[\w-]*:sts::\d+:assumed-role\/([^/]+)/.exec(e.actor)?.[1] ??
    /^arn:aws[\w-]*:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(e.actor)?.[1];
  // AWS targets carry the Region their event named, so a live session acts in that Region.
  const region = /^[a-z]{2}(-[a-z]+)+-\d$/.test(e.scope) ? { scope: e.scope } : {};
  if (role) out.push({ kind: 'iam-role', id: role, label: `role ${role}`, ...region });
  const user = /^arn:aws[\w-]*:iam::\d+:user\/(.+)$/.exec(e.actor);
  if (user) out.push({ kind: 'iam-user', id: user[1]!, label: `user ${user[1]}`, ...region });
  // The key the call names (CreateAccessKey…), and the key that signed it (a leaked key's calls).
  const key = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/.exec(e.target)?.[1];
  if (key) out.push({ kind: 'access-key', id: key, label: `access key ${key}`, ...region });
  if (e.accessKeyId && e.accessKeyId !== key)
    out.push({
      kind: 'access-key',
      id: e.accessKeyId,
      label: `access key ${e.accessKeyId} (signed this call)`,
      ...region,
    });
  const inst = /\b(i-[0-9a-f]{8,17})\b/.exec(e.target);
  if (inst) out.push({ kind: 'instance', id: inst[1]!, label: `instance ${inst[1]}`, ...region });
  const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(e.target);
  if (bucket) out.push({ kind: 'bucket', id: bucket[1]!, label: `bucket ${bucket[1]}`, ...region });
  if (e.source === 'kubernetes' || e.source === 'k8s-audit' || e.source === 'falco') {
    const pod = /(?:^|\/)pods\/([^/]+)/.exec(e.target);
    if (pod) out.push({ kind: 'pod', id: `${e.scope}/${pod[1]}`, label: `pod ${e.scope}/${pod[1]}` });
    if (e.scope) out.push({ kind: 'namespace', id: e.scope, label: `namespace ${e.scope}` });
    const node = /(?:^|\/)nodes\/([^/]+)/.exec(e.target);
    if (node) out.push({ kind: 'node', id: node[1]!, label: `node ${node[1]}` });
  }
  return out;
}
