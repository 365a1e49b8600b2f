// The Kubernetes side of an action env: the KubeConfig of one context (one KubeConfig per context:
// client-node API clients capture the server at creation, research §3.4), its context and cluster
// names. MINIMAL VERSION written by the cockpit helper; the Kubernetes actions helper owns the
// full one (same signature) — keep theirs when merging.

import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClients } from '../types.js';

export function kubeClientsFor(kc: KubeConfig): KubeClients {
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster()?.name ?? context;
  return { kc, context, cluster };
}
