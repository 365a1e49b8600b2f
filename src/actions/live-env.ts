// The live session's ActionEnv: real clients for the first --region with the profile, the
// Kubernetes context's KubeConfig, Vault from VAULT_ADDR / VAULT_TOKEN, evidence next to the
// journal. Built lazily, on the first action: opening the cockpit must not call STS, and a session
// that never acts never authenticates. A failed build is forgotten so the next action retries it.

import type { KubeConfig } from '@kubernetes/client-node';
import { isProductionContext } from '../sources/kubernetes/kubeconfig.js';
import { createAwsClients } from './aws/clients.js';
import { kubeClientsFor } from './kubernetes/clients.js';
import type { ActionEnv, Backend } from './types.js';

export interface LiveEnvOptions {
  incidentId: string;
  journal: string;
  profile?: string;
  /** The first --region: where AWS actions run. */
  region?: string;
  kc?: KubeConfig;
  evidenceBucket?: string;
  retentionDays?: number;
  collector: string;
  toolVersion: string;
  env?: NodeJS.ProcessEnv;
}

/** Evidence files go beside the journal, so the two travel together. */
export function evidenceDirFor(journal: string): string {
  return `${journal}.evidence`;
}

export function vaultFrom(env: NodeJS.ProcessEnv): { addr: string; token: string } | undefined {
  const addr = env.VAULT_ADDR?.trim();
  const token = env.VAULT_TOKEN?.trim();
  return addr && token ? { addr, token } : undefined;
}

/** The backends this session can reach, known without building anything. */
export function liveBackends(o: LiveEnvOptions): Set<Backend> {
  const b = new Set<Backend>();
  if (o.region) b.add('aws');
  if (o.kc) b.add('kubernetes');
  if (vaultFrom(o.env ?? process.env)) b.add('vault');
  return b;
}

export function liveEnvFactory(o: LiveEnvOptions): () => Promise<ActionEnv> {
  let built: Promise<ActionEnv> | undefined;
  const build = async (): Promise<ActionEnv> => {
    const vault = vaultFrom(o.env ?? process.env);
    const aws = o.region ? await createAwsClients({ region: o.region, ...(o.profile ? { profile: o.profile } : {}) }) : undefined;
    return {
      incidentId: o.incidentId,
      ...(aws ? { aws } : {}),
      ...(o.kc ? { kube: kubeClientsFor(o.kc) } : {}),
      ...(vault ? { vault } : {}),
      evidenceDir: evidenceDirFor(o.journal),
      // Evidence is WORM for its retention: COMPLIANCE mode, which nobody (root included) can shorten.
      ...(o.evidenceBucket ? { evidenceBucket: { bucket: o.evidenceBucket, retentionDays: o.retentionDays ?? 365, mode: 'COMPLIANCE' as const } } : {}),
      now: () => new Date(),
      collector: o.collector,
      toolVersion: o.toolVersion,
    };
  };
  return () => {
    built ??= build().catch((e: unknown) => {
      built = undefined;
      throw e;
    });
    return built;
  };
}

/** Why this session reaches production, or undefined: a context, cluster or profile matching the pattern. */
export function productionReason(o: { context?: string; cluster?: string; profile?: string; pattern: RegExp }): string | undefined {
  if (o.context && isProductionContext(o.context, o.pattern)) return `context ${o.context}`;
  if (o.cluster && isProductionContext(o.cluster, o.pattern)) return `cluster ${o.cluster}`;
  if (o.profile && isProductionContext(o.profile, o.pattern)) return `profile ${o.profile}`;
  return undefined;
}
