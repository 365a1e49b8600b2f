// The live session's ActionEnv: real clients for the first --region with the profile, the
// Kubernetes context's KubeConfig, Vault from VAULT_ADDR / VAULT_TOKEN, evidence next to the
// journal. Built lazily, on the first action: opening the cockpit must not call STS, and a session
// that never acts never authenticates. A failed build is forgotten so the next action retries it.

import type { KubeConfig } from '@kubernetes/client-node';
import { isProductionContext } from '../sources/kubernetes/kubeconfig.js';
import { createAwsClients } from './aws/clients.js';
import { kubeClientsFor } from './kubernetes/clients.js';
import type { ActionEnv, Backend, Target } from './types.js';

export interface LiveEnvOptions {
  incidentId: string;
  journal: string;
  profile?: string;
  /** The first --region: where AWS actions run when the target names no Region. */
  region?: string;
  /** Every --region: a target whose event named one of these is acted on there. */
  regions?: string[];
  kc?: KubeConfig;
  evidenceBucket?: string;
  retentionDays?: number;
  collector: string;
  toolVersion: string;
  env?: NodeJS.ProcessEnv;
  /** The incident's window for a target, read from the store by the session (app/commands/live.ts). */
  windowAnchor?: ActionEnv['windowAnchor'];
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

/**
 * The Region an action on `target` runs in: the one its event named when the session polls it
 * (isolating an instance seen in eu-west-1 must not call us-east-1), else the first --region.
 */
export function regionFor(o: Pick<LiveEnvOptions, 'region' | 'regions'>, target?: Target): string | undefined {
  const named = target?.scope;
  return named && (o.regions ?? []).includes(named) ? named : o.region;
}

export function liveEnvFactory(o: LiveEnvOptions): (target?: Target) => Promise<ActionEnv> {
  const built = new Map<string, Promise<ActionEnv>>();
  const build = async (region: string | undefined): Promise<ActionEnv> => {
    const vault = vaultFrom(o.env ?? process.env);
    const aws = region
      ? await createAwsClients({ region, toolVersion: o.toolVersion, ...(o.profile ? { profile: o.profile } : {}) })
      : undefined;
    return {
      incidentId: o.incidentId,
      ...(aws ? { aws } : {}),
      ...(o.kc ? { kube: kubeClientsFor(o.kc) } : {}),
      ...(vault ? { vault } : {}),
      evidenceDir: evidenceDirFor(o.journal),
      // Evidence is WORM for its retention: COMPLIANCE mode, which nobody (root included) can shorten.
      ...(o.evidenceBucket
        ? {
            evidenceBucket: {
              bucket: o.evidenceBucket,
              retentionDays: o.retentionDays ?? 365,
              mode: 'COMPLIANCE' as const,
            },
          }
        : {}),
      now: () => new Date(),
      ...(o.windowAnchor ? { windowAnchor: o.windowAnchor } : {}),
      collector: o.collector,
      toolVersion: o.toolVersion,
    };
  };
  return (target) => {
    const region = regionFor(o, target);
    const key = region ?? '';
    let p = built.get(key);
    if (!p) {
      p = build(region).catch((e: unknown) => {
        built.delete(key);
        throw e;
      });
      built.set(key, p);
    }
    return p;
  };
}

/** Why this session reaches production, or undefined: a context, cluster or profile matching the pattern. */
export function productionReason(o: {
  context?: string;
  cluster?: string;
  profile?: string;
  pattern: RegExp;
}): string | undefined {
  if (o.context && isProductionContext(o.context, o.pattern)) return `context ${o.context}`;
  if (o.cluster && isProductionContext(o.cluster, o.pattern)) return `cluster ${o.cluster}`;
  if (o.profile && isProductionContext(o.profile, o.pattern)) return `profile ${o.profile}`;
  return undefined;
}
