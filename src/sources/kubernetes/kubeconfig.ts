// Loads one KubeConfig per context. client-node has two traps here:
// `loadFromDefault()` silently falls back to http://localhost:8080 when it finds nothing, and
// API clients capture the server URL at creation while credentials follow the *current*
// context, so switching contexts on a shared instance mixes clusters. We refuse the first
// and avoid the second by building a fresh KubeConfig for every context.
// https://github.com/kubernetes-client/javascript/blob/main/src/config.ts

import { KubeConfig } from '@kubernetes/client-node';

export interface LoadKubeConfigOptions {
  /** A kubeconfig path (`--kubeconfig`); default: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** A context name (`--context`); default: the file's current-context. */
  context?: string;
}

export const NO_CONTEXT = 'no Kubernetes context: set --context or KUBECONFIG';

export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

// What `loadFromDefault()` installs when nothing was found (client-node 2.0.1 dist/config.js).
const FALLBACK_SERVER = 'http://localhost:8080';

export function loadKubeConfig(opts: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    // An empty file makes the YAML loader throw "expected a document"; same advice applies.
    const where = opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new KubeConfigError(`${NO_CONTEXT} (cannot read ${where}: ${(err as Error).message})`);
  }
  const names = (kc.getContexts() ?? []).map((c) => c.name);
  if (opts.context) {
    if (!names.includes(opts.context)) {
      const known = names.length ? names.join(', ') : 'none';
      throw new KubeConfigError(`unknown Kubernetes context "${opts.context}"; available: ${known}`);
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (
    !kc.getCurrentContext() ||
    !cluster ||
    !cluster.server ||
    cluster.server.replace(/\/+$/, '') === FALLBACK_SERVER
  ) {
    throw new KubeConfigError(NO_CONTEXT);
  }
  return kc;
}

/** Context names in a kubeconfig, for a context picker; [] when there is none. */
export function listContexts(opts: Omit<LoadKubeConfigOptions, 'context'> = {}): string[] {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch {
    return [];
  }
  return (kc.getContexts() ?? []).map((c) => c.name).filter((n) => n !== 'loaded-context');
}

/** Production contexts get a different header colour (k9s per-context skins). */
export function isProductionContext(name: string, pattern: RegExp = /prod/i): boolean {
  // A /g or /y pattern keeps lastIndex between calls; test a copy without those flags.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).test(name);
}
