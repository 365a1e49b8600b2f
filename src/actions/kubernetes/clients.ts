// The Kubernetes clients an action session holds: the KubeConfig (already pointed at one context —
// see src/sources/kubernetes/kubeconfig.ts for why each context gets its own KubeConfig) and the
// context and cluster names that arming asks the responder to type and the header shows.

import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClients } from '../types.js';

/** The deadline of one Kubernetes call made through a CallLog (wire.ts): it aborts when it passes. */
export const KUBE_DEADLINE_MS = 30_000;

export function kubeClientsFor(kc: KubeConfig, o: { deadlineMs?: number } = {}): KubeClients {
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster()?.name ?? kc.getContextObject(context)?.cluster ?? context;
  return { kc, context, cluster, ...(o.deadlineMs ? { deadlineMs: o.deadlineMs } : {}) };
}
