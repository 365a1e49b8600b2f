// The simulated Kubernetes cluster's objects: built from a plain seed (so a drill scenario can
// describe its cluster as data), shaped as the API server returns them, plus the pieces of API
// server behaviour the containment actions meet — Status errors with the real reasons and
// messages, validation of labels and policies, and EndpointSlices derived from Services and pod
// labels (what the EndpointSlice controller does), so a relabelled pod leaves them as it would live.

import { createHash, randomUUID } from 'node:crypto';
import { isValidLabelValue, serviceSelects, type LabelSelector, type Labels } from './labels.js';

export type Obj = Record<string, any>;

export interface ContainerSeed {
  name: string;
  image?: string;
  /** The current container's log. */
  log?: string;
  /** The previous (terminated) container's log; absent = no previous container (logs?previous=true → 400). */
  previousLog?: string;
}

export interface PodSeed {
  namespace: string;
  name: string;
  labels?: Labels;
  annotations?: Record<string, string>;
  nodeName?: string;
  /** The owning ReplicaSet's name (an ownerReference with controller: true). */
  replicaSet?: string;
  containers: ContainerSeed[];
  ip?: string;
  phase?: string;
  /** spec.serviceAccountName; a pod without it runs as its namespace's `default`. */
  serviceAccountName?: string;
}

export interface ServiceAccountSeed {
  namespace: string;
  name: string;
  annotations?: Record<string, string>;
}

export interface ServiceSeed {
  namespace: string;
  name: string;
  /** Equality-only, like the real Service selector. */
  selector?: Labels;
  ports?: { name?: string; port: number; targetPort?: number; protocol?: string }[];
}

export interface ReplicaSetSeed {
  namespace: string;
  name: string;
  selector: LabelSelector;
  /** The owning Deployment's name. */
  deployment?: string;
  replicas?: number;
}

export interface NodeSeed {
  name: string;
  labels?: Labels;
  unschedulable?: boolean;
}

export interface NetworkPolicySeed {
  namespace: string;
  name: string;
  spec: Obj;
  labels?: Labels;
}

export interface EventSeed {
  namespace: string;
  name?: string;
  involvedObject: { kind: string; name: string };
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  /** UTC ISO time of the (last) occurrence. */
  at?: string;
  count?: number;
}

/** A cluster as plain data: what a drill scenario or a test starts the sim with. */
export interface KubeSeed {
  namespaces?: string[];
  pods?: PodSeed[];
  services?: ServiceSeed[];
  replicaSets?: ReplicaSetSeed[];
  nodes?: NodeSeed[];
  networkPolicies?: NetworkPolicySeed[];
  events?: EventSeed[];
  /** Every namespace also gets its `default` service account, as the real API server creates it. */
  serviceAccounts?: ServiceAccountSeed[];
}

export const SEED_TIME = '2026-04-20T13:00:00Z';

function meta(namespace: string | undefined, name: string, extra: Obj = {}): Obj {
  return { name, ...(namespace ? { namespace } : {}), uid: randomUUID(), creationTimestamp: SEED_TIME, ...extra };
}

export function podObject(p: PodSeed, n: number): Obj {
  const owner = p.replicaSet
    ? {
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: p.replicaSet,
            uid: `uid-rs-${p.replicaSet}`,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }
    : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(p.namespace, p.name, {
      labels: { ...(p.labels ?? {}) },
      ...(p.annotations ? { annotations: { ...p.annotations } } : {}),
      ...owner,
    }),
    spec: {
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      containers: p.containers.map((c) => ({ name: c.name, image: c.image ?? `registry.example/${c.name}:1` })),
    },
    status: {
      phase: p.phase ?? 'Running',
      podIP: p.ip ?? `10.244.0.${n + 10}`,
      containerStatuses: p.containers.map((c) => ({
        name: c.name,
        ready: true,
        restartCount: c.previousLog !== undefined ? 1 : 0,
        state: { running: { startedAt: SEED_TIME } },
        ...(c.previousLog !== undefined
          ? { lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt: SEED_TIME } } }
          : {}),
      })),
    },
  };
}

export function serviceAccountObject(s: ServiceAccountSeed): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(s.namespace, s.name, s.annotations ? { annotations: { ...s.annotations } } : {}),
  };
}

export function serviceObject(s: ServiceSeed): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(s.namespace, s.name),
    spec: {
      ...(s.selector ? { selector: { ...s.selector } } : {}),
      ports: s.ports ?? [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      type: 'ClusterIP',
    },
  };
}

export function replicaSetObject(r: ReplicaSetSeed): Obj {
  const owner = r.deployment
    ? {
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: r.deployment,
            uid: `uid-deploy-${r.deployment}`,
            controller: true,
          },
        ],
      }
    : {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { ...meta(r.namespace, r.name, owner), uid: `uid-rs-${r.name}` },
    spec: {
      replicas: r.replicas ?? 1,
      selector: r.selector,
      template: { metadata: { labels: { ...(r.selector.matchLabels ?? {}) } } },
    },
  };
}

export function nodeObject(n: NodeSeed): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(undefined, n.name, { labels: { 'kubernetes.io/hostname': n.name, ...(n.labels ?? {}) } }),
    spec: n.unschedulable ? { unschedulable: true } : {},
  };
}

export function networkPolicyObject(p: NetworkPolicySeed): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(p.namespace, p.name, p.labels ? { labels: p.labels } : {}),
    spec: p.spec,
  };
}

export function eventObject(e: EventSeed, n: number): Obj {
  const at = e.at ?? SEED_TIME;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta(e.namespace, e.name ?? `${e.involvedObject.name}.${(0x17a0000 + n).toString(16)}`),
    involvedObject: { kind: e.involvedObject.kind, name: e.involvedObject.name, namespace: e.namespace },
    reason: e.reason,
    message: e.message,
    type: e.type ?? 'Normal',
    source: { component: 'kubelet' },
    count: e.count ?? 1,
    firstTimestamp: at,
    lastTimestamp: at,
  };
}

/** The EndpointSlice controller's view of one Service: the ready pods its selector matches now. */
export function endpointSliceFor(svc: Obj, pods: Obj[], resourceVersion: string): Obj {
  const name = svc.metadata.name as string;
  const suffix = createHash('sha256').update(`${svc.metadata.namespace}/${name}`).digest('hex').slice(0, 5);
  const selected = pods.filter(
    (p) =>
      p.metadata.namespace === svc.metadata.namespace &&
      !p.metadata.deletionTimestamp &&
      serviceSelects(svc.spec.selector, p.metadata.labels),
  );
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${suffix}`,
      namespace: svc.metadata.namespace,
      uid: `uid-eps-${name}`,
      resourceVersion,
      labels: {
        'kubernetes.io/service-name': name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid, controller: true }],
    },
    addressType: 'IPv4',
    endpoints: selected.map((p) => ({
      addresses: [p.status?.podIP ?? '10.244.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    })),
    ports: (svc.spec.ports ?? []).map((pt: Obj) => ({
      ...(pt.name ? { name: pt.name } : {}),
      port: pt.targetPort ?? pt.port,
      protocol: pt.protocol ?? 'TCP',
    })),
  };
}

/** A `Status` failure as the API server writes it (client-node puts it in ApiException.body). */
export function statusBody(code: number, reason: string, message: string, details?: Obj): Obj {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** A failure the sim answers with: the HTTP status, the Status body, and extra headers. */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What the API server's validation refuses in the fields the actions touch (labels, policies). */
export function validate(resource: string, obj: Obj): void {
  const bad: string[] = [];
  for (const [k, v] of Object.entries((obj.metadata?.labels ?? {}) as Obj)) {
    if (typeof v !== 'string' || !isValidLabelValue(v))
      bad.push(
        `metadata.labels: Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (label ${k})`,
      );
  }
  if (resource === 'networkpolicies') {
    if (!obj.spec || typeof obj.spec.podSelector !== 'object') bad.push('spec.podSelector: Required value');
    for (const t of obj.spec?.policyTypes ?? [])
      if (t !== 'Ingress' && t !== 'Egress')
        bad.push(`spec.policyTypes[0]: Unsupported value: ${JSON.stringify(t)}: supported values: "Egress", "Ingress"`);
  }
  if (bad.length) {
    const kind = obj.kind ?? resource;
    throw new KubeStatusError(
      422,
      'Invalid',
      `${kind} ${JSON.stringify(obj.metadata?.name ?? '')} is invalid: ${bad.join(', ')}`,
    );
  }
}
