// The simulated cluster's state: the objects by resource, as the API server stores them, every
// change bumping resourceVersion, and EndpointSlices derived from Services and pod labels on every
// read (what the EndpointSlice controller does), so a relabelled pod leaves them as it would live.

import { randomUUID } from 'node:crypto';
import {
  endpointSliceFor,
  eventObject,
  KubeStatusError,
  networkPolicyObject,
  nodeObject,
  podObject,
  replicaSetObject,
  SEED_TIME,
  serviceAccountObject,
  serviceObject,
  type ContainerSeed,
  type KubeSeed,
  type Obj,
} from './objects.js';

export interface Kind {
  group: string;
  kind: string;
  namespaced: boolean;
  /** Whether the sim accepts writes to it (EndpointSlices and ReplicaSets are read-only here). */
  writable: boolean;
}

export const KINDS: Record<string, Kind> = {
  namespaces: { group: '', kind: 'Namespace', namespaced: false, writable: false },
  nodes: { group: '', kind: 'Node', namespaced: false, writable: true },
  pods: { group: '', kind: 'Pod', namespaced: true, writable: true },
  services: { group: '', kind: 'Service', namespaced: true, writable: true },
  serviceaccounts: { group: '', kind: 'ServiceAccount', namespaced: true, writable: false },
  events: { group: '', kind: 'Event', namespaced: true, writable: false },
  networkpolicies: { group: 'networking.k8s.io', kind: 'NetworkPolicy', namespaced: true, writable: true },
  endpointslices: { group: 'discovery.k8s.io', kind: 'EndpointSlice', namespaced: true, writable: false },
  replicasets: { group: 'apps', kind: 'ReplicaSet', namespaced: true, writable: false },
};

export function qualified(resource: string): string {
  const g = KINDS[resource]?.group;
  return g ? `${resource}.${g}` : resource;
}

export function notFound(resource: string, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${qualified(resource)} "${name}" not found`, { name, kind: resource });
}

export class KubeCluster {
  protected rv = 1000;
  protected readonly objects = new Map<string, Map<string, Obj>>(Object.keys(KINDS).map((k) => [k, new Map()]));
  protected readonly logs = new Map<string, ContainerSeed[]>();

  constructor(seed: KubeSeed) {
    const namespaces = new Set(seed.namespaces ?? []);
    for (const list of [
      seed.pods,
      seed.services,
      seed.replicaSets,
      seed.networkPolicies,
      seed.events,
      seed.serviceAccounts,
    ])
      for (const x of list ?? []) namespaces.add(x.namespace);
    for (const ns of namespaces)
      this.store('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          uid: randomUUID(),
          creationTimestamp: SEED_TIME,
          labels: { 'kubernetes.io/metadata.name': ns },
        },
        status: { phase: 'Active' },
      });
    (seed.pods ?? []).forEach((p, i) => {
      this.store('pods', podObject(p, i));
      this.logs.set(`${p.namespace}/${p.name}`, p.containers);
    });
    for (const s of seed.services ?? []) this.store('services', serviceObject(s));
    for (const ns of namespaces)
      if (!(seed.serviceAccounts ?? []).some((a) => a.namespace === ns && a.name === 'default'))
        this.store('serviceaccounts', serviceAccountObject({ namespace: ns, name: 'default' }));
    for (const a of seed.serviceAccounts ?? []) this.store('serviceaccounts', serviceAccountObject(a));
    for (const r of seed.replicaSets ?? []) this.store('replicasets', replicaSetObject(r));
    for (const n of seed.nodes ?? []) this.store('nodes', nodeObject(n));
    for (const p of seed.networkPolicies ?? []) this.store('networkpolicies', networkPolicyObject(p));
    (seed.events ?? []).forEach((e, i) => this.store('events', eventObject(e, i)));
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** The stored object (a copy), for tests and the drill's state view. */
  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    const o = this.objects.get(resource)?.get(`${namespace ?? ''}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  list(resource: string, namespace?: string): Obj[] {
    if (resource === 'endpointslices') return this.endpointSlices(namespace);
    return [...(this.objects.get(resource)?.values() ?? [])]
      .filter((o) => !namespace || o.metadata.namespace === namespace)
      .map((o) => structuredClone(o));
  }

  /** Changes an object behind the actions' backs (someone else's kubectl, a controller). */
  mutate(resource: string, namespace: string | undefined, name: string, change: (o: Obj) => void): Obj {
    const o = this.objects.get(resource)?.get(`${namespace ?? ''}/${name}`);
    if (!o) throw new Error(`sim: no ${resource} ${namespace ?? ''}/${name}`);
    const next = structuredClone(o);
    change(next);
    return this.store(resource, next);
  }

  remove(resource: string, namespace: string | undefined, name: string): void {
    this.objects.get(resource)?.delete(`${namespace ?? ''}/${name}`);
    this.rv++;
  }

  protected store(resource: string, obj: Obj): Obj {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    this.objects.get(resource)!.set(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
    return obj;
  }

  protected endpointSlices(namespace?: string): Obj[] {
    const pods = [...this.objects.get('pods')!.values()];
    return [...this.objects.get('services')!.values()]
      .filter((s) => !namespace || s.metadata.namespace === namespace)
      .map((s) => endpointSliceFor(s, pods, String(this.rv)));
  }
}
