// The live session's ActionEnv: real clients for the target's Region with the profile that reaches
// its account, the KubeConfig of the context that reaches its cluster, Vault from VAULT_ADDR /
// VAULT_TOKEN, evidence next to the journal. A session may watch several accounts (--profile) and
// clusters (--context): a target carries the account or cluster its event came from, and an action
// runs there or nowhere — never with another account's credentials on a same-named role. Built
// lazily, on the first action: opening the cockpit must not call STS, and a session that never
// acts never authenticates. A failed build is forgotten so the next action retries it.

import type { KubeConfig } from '@kubernetes/client-node';
import { isProductionContext } from '../sources/kubernetes/kubeconfig.js';
import type { ServiceEndpoints } from '../sources/cloudtrail/profile-endpoints.js';
import { createAwsClients } from './aws/clients.js';
import { AWS_KINDS, KUBE_KINDS } from '../domain/target-kinds.js';
import { ActionError } from './errors.js';
import { kubeClientsFor } from './kubernetes/clients.js';
import type { ActionEnv, AwsClients, Backend, KubeClients, Target } from './types.js';

export interface LiveEnvOptions {
  incidentId: string;
  journal: string;
  /** Every --profile, one per account (none: the default credential chain). */
  profiles?: readonly string[];
  /** Each profile's service endpoints (src/sources/cloudtrail/profile-endpoints.ts). */
  endpoints?: ReadonlyMap<string, ServiceEndpoints>;
  /** The first --region: where AWS actions run when the target names no Region. */
  region?: string;
  /** Every --region: a target whose event named one of these is acted on there. */
  regions?: string[];
  /** Every --context's KubeConfig, each pointed at its own context. */
  kcs?: readonly KubeConfig[];
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
  if (o.kcs?.length) b.add('kubernetes');
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

/** The env for a target, plus what the session reaches (what arming lists). */
export interface LiveEnv {
  (target?: Target): Promise<ActionEnv>;
  /** Every account the profiles reach, in --profile order (one STS call each, the first time). */
  accounts(): Promise<{ account: string; profile?: string }[]>;
  /** Every context's clients, in --context order. */
  readonly clusters: readonly KubeClients[];
}

export function liveEnvFactory(o: LiveEnvOptions): LiveEnv {
  const profiles: (string | undefined)[] = o.profiles?.length ? [...o.profiles] : [undefined];
  const kubes: KubeClients[] = (o.kcs ?? []).map((kc) => kubeClientsFor(kc));
  const clients = new Map<string, Promise<AwsClients>>();
  const envs = new Map<string, ActionEnv>();

  const awsFor = (profile: string | undefined, region: string): Promise<AwsClients> => {
    const key = `${profile ?? ''}|${region}`;
    let p = clients.get(key);
    if (!p) {
      const endpoints = profile ? o.endpoints?.get(profile) : undefined;
      p = createAwsClients({
        region,
        toolVersion: o.toolVersion,
        ...(profile ? { profile } : {}),
        ...(endpoints ? { endpoints } : {}),
      }).catch((e: unknown) => {
        clients.delete(key);
        throw e;
      });
      clients.set(key, p);
    }
    return p;
  };

  /** The clients of the profile that reaches the target's account (the first profile if it names none). */
  const awsOf = async (target: Target | undefined, region: string): Promise<AwsClients> => {
    const want = target?.account;
    if (!want) {
      // With several accounts a bare role name is ambiguous: the same name may exist in each.
      if (target && profiles.length > 1 && AWS_KINDS.has(target.kind))
        throw new ActionError(
          `${target.label}: which account? This session reaches ${profiles.length} (--profile ${profiles.join(', ')})`,
          'WhichAccount',
          `act on it from its event, or name the account: ${target.kind}:${target.id}@ACCOUNT`,
        );
      return awsFor(profiles[0], region);
    }
    const reached: string[] = [];
    for (const p of profiles) {
      const c = await awsFor(p, region);
      if (c.account === want) return c;
      reached.push(p ? `${c.account} (profile ${p})` : c.account);
    }
    throw new ActionError(
      `${target.label} is in AWS account ${want}, which this session does not reach (it reaches ${reached.join(', ')})`,
      'WrongAccount',
      `restart with a --profile for account ${want}`,
    );
  };

  /** The context that reaches the target's cluster (the first if it names none). */
  const kubeOf = (target: Target | undefined): KubeClients | undefined => {
    const want = target?.cluster;
    if (!want) {
      if (target && kubes.length > 1 && KUBE_KINDS.has(target.kind))
        throw new ActionError(
          `${target.label}: which cluster? This session watches ${kubes.map((c) => c.cluster).join(', ')}`,
          'WhichCluster',
          `act on it from its event, or name the cluster: ${target.kind}:${target.id}@CLUSTER`,
        );
      return kubes[0];
    }
    const k = kubes.find((c) => c.cluster === want);
    if (k) return k;
    throw new ActionError(
      `${target.label} is in cluster ${want}, which this session does not reach (${kubes.length ? `it reaches ${kubes.map((c) => c.cluster).join(', ')}` : 'no --context'})`,
      'WrongCluster',
      `restart with a --context for cluster ${want}`,
    );
  };

  const envWith = (aws: AwsClients | undefined, kube: KubeClients | undefined): ActionEnv => {
    const key = `${aws ? `${aws.account}|${aws.region}` : ''}|${kube?.context ?? ''}`;
    const known = envs.get(key);
    if (known) return known;
    const vault = vaultFrom(o.env ?? process.env);
    const env: ActionEnv = {
      incidentId: o.incidentId,
      ...(aws ? { aws } : {}),
      ...(kube ? { kube } : {}),
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
    envs.set(key, env);
    return env;
  };

  const env = async (target?: Target) => {
    const kube = kubeOf(target);
    const region = regionFor(o, target);
    const aws = region ? await awsOf(target, region) : undefined;
    return envWith(aws, kube);
  };
  const accounts = async () => {
    const region = o.region;
    if (!region) return [];
    const out: { account: string; profile?: string }[] = [];
    for (const p of profiles) out.push({ account: (await awsFor(p, region)).account, ...(p ? { profile: p } : {}) });
    return out;
  };
  return Object.assign(env, { accounts, clusters: kubes });
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
