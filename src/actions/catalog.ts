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
  /** `:act … --since TIME`: the responder's own start of the incident window (UTC ISO). */
  since?: string;
  /**
   * The AWS account (AWS kinds) or cluster (Kubernetes kinds) its event came from: a session
   * watching several acts where the event happened (src/actions/live-env.ts), and arming follows.
   */
  account?: string;
  cluster?: string;
}

/** " in account 123456789012" / " in cluster shop-b" when the target says where it is, else "". */
export function whereText(t: Pick<Target, 'account' | 'cluster'>): string {
  return t.account ? ` in account ${t.account}` : t.cluster ? ` in cluster ${t.cluster}` : '';
}

/**
 * The targets an event names, from its normalised fields: the principal that acted, then each of
 * its targets in the order the source named them (`targets` when the store kept several, else
 * `target`), then the key that signed the call and the namespace. Each target is offered once.
 */
export function targetsOf(e: {
  source: string;
  actor: string;
  target: string;
  targets?: readonly string[] | undefined;
  scope: string;
  accessKeyId?: string | undefined;
  /** The account (AWS sources) or cluster (Kubernetes sources) the event came from. */
  where?: string | undefined;
}): Target[] {
  const out: Target[] = [];
  const add = (t: Target) => {
    if (!out.some((o) => o.kind === t.kind && o.id === t.id)) out.push(t);
  };
  const aws = e.source === 'cloudtrail' || e.source === 'guardduty';
  const kube = e.source === 'kubernetes' || e.source === 'k8s-audit' || e.source === 'falco';
  // An assumed-role ARN is assumed-role/ROLE/SESSION; a role ARN may carry a path (role/PATH/NAME).
  const role =
    /^arn:aws[\w-]*:sts::\d+:assumed-role\/([^/]+)/.exec(e.actor)?.[1] ??
    /^arn:aws[\w-]*:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(e.actor)?.[1];
  // AWS targets carry the Region their event named, so a live session acts in that Region.
  const region = {
    ...(/^[a-z]{2}(-[a-z]+)+-\d$/.test(e.scope) ? { scope: e.scope } : {}),
    ...(aws && e.where && /^\d{12}$/.test(e.where) ? { account: e.where } : {}),
  };
  const cluster = kube && e.where ? { cluster: e.where } : {};
  if (role) add({ kind: 'iam-role', id: role, label: `role ${role}`, ...region });
  const user = /^arn:aws[\w-]*:iam::\d+:user\/(.+)$/.exec(e.actor);
  if (user) add({ kind: 'iam-user', id: user[1]!, label: `user ${user[1]}`, ...region });
  const keys: string[] = [];
  for (const target of e.targets ?? (e.target ? [e.target] : [])) {
    // The key the call names (CreateAccessKey…).
    const key = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/.exec(target)?.[1];
    if (key) {
      keys.push(key);
      add({ kind: 'access-key', id: key, label: `access key ${key}`, ...region });
    }
    const inst = /\b(i-[0-9a-f]{8,17})\b/.exec(target);
    if (inst) add({ kind: 'instance', id: inst[1]!, label: `instance ${inst[1]}`, ...region });
    const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(target);
    if (bucket) add({ kind: 'bucket', id: bucket[1]!, label: `bucket ${bucket[1]}`, ...region });
    if (aws) {
      // The user or role a call acted on (CreateAccessKey userName=…, AssumeRole roleArn=…), as the
      // CloudTrail normaliser names them: user/NAME, role/NAME or the role's ARN.
      const u = /^(?:arn:aws[\w-]*:iam::\d+:)?user\/(?:.*\/)?([^/]+)$/.exec(target)?.[1];
      if (u) add({ kind: 'iam-user', id: u, label: `user ${u}`, ...region });
      const r = /^(?:arn:aws[\w-]*:iam::\d+:)?role\/(?:.*\/)?([^/]+)$/.exec(target)?.[1];
      if (r) add({ kind: 'iam-role', id: r, label: `role ${r}`, ...region });
    }
    if (kube) {
      const pod = /(?:^|\/)pods\/([^/]+)/.exec(target);
      if (pod) add({ kind: 'pod', id: `${e.scope}/${pod[1]}`, label: `pod ${e.scope}/${pod[1]}`, ...cluster });
      const node = /(?:^|\/)nodes\/([^/]+)/.exec(target);
      if (node) add({ kind: 'node', id: node[1]!, label: `node ${node[1]}`, ...cluster });
    }
  }
  // The key that signed the call (a leaked key's calls).
  if (e.accessKeyId && !keys.includes(e.accessKeyId))
    add({
      kind: 'access-key',
      id: e.accessKeyId,
      label: `access key ${e.accessKeyId} (signed this call)`,
      ...region,
    });
  if (kube && e.scope) add({ kind: 'namespace', id: e.scope, label: `namespace ${e.scope}`, ...cluster });
  return out;
}
