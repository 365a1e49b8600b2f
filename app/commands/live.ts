// `firebreak live`: the cockpit on a real incident. CloudTrail pollers (one per --profile and
// --region, sharing the 2 req/s LookupEvents limit per account and Region) and Kubernetes watches
// (one per --context) feed the journal
// through the one ingest path (dedupe → journal → detections); the header shows every source's
// health. Containment and evidence actions run through the action runner on clients built at the
// first action; destructive ones need the session armed, and `--read-only` removes them entirely.

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ACTION_DEFS } from '../../src/actions/registry.js';
import { kubeClientsFor } from '../../src/actions/kubernetes/clients.js';
import { liveBackends, liveEnvFactory, productionReason, type LiveEnvOptions } from '../../src/actions/live-env.js';
import { profileEndpoints, type ServiceEndpoints } from '../../src/sources/cloudtrail/profile-endpoints.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { isProductionContext } from '../../src/sources/kubernetes/kubeconfig.js';
import { ActionRunner } from '../../store/action-runner.js';
import { windowAnchorFor } from '../../store/window-selectors.js';
import type { ActionSession, ArmTarget } from '../../store/action-session.js';
import { codenameFor, isIncidentId, newIncidentId } from '../../src/domain/incident.js';
import { ALL_RULES, type Rule } from '../../src/detections/index.js';
import { LIVE_POD_RULES } from '../../src/detections/live-pod-rules.js';
import { createGrowingDetector } from '../../src/detections/rule-set.js';
import { createLivePoller } from '../../src/sources/cloudtrail/live-poller.js';
import type { CloudTrailPollerStatus } from '../../src/sources/cloudtrail/poller.js';
import { loadKubeConfig } from '../../src/sources/kubernetes/kubeconfig.js';
import { KubeWatcher, type KubeWatchStatus } from '../../src/sources/kubernetes/watch.js';
import { readRecordAt } from '../../src/journal/scan.js';
import { createIngest } from './ingest.js';
import { newIncident, openIncident, type OpenedIncident } from '../../store/open.js';
import { runCockpit } from '../run.js';
import { importFilesInto } from './import.js';
import { loadSigmaDir, sigmaReportLines, sigmaSummary } from '../../src/detections/sigma/load.js';
import type { SourceHealth, SourcesControl } from '../../views/context.js';
import { cockpitHunt, type HuntSession } from './hunt.js';

export interface LiveOptions {
  journal: string;
  title?: string;
  id?: string;
  regions: string[];
  /** Every --profile: one per account (none: the default credential chain). */
  profiles: string[];
  /** Every --context: one watch and one set of clients per cluster. */
  contexts: string[];
  namespace?: string;
  kubeconfig?: string;
  actor?: string;
  lookBackMinutes?: number;
  /** No destructive actions, no arming. */
  readOnly?: boolean;
  evidenceBucket?: string;
  retentionDays?: number;
  /** Production accounts, profiles and contexts (default /prod/i). */
  prodPattern?: RegExp;
  toolVersion?: string;
  /** Rules run beside the built-in ones (Sigma rules from --rules). */
  rules?: readonly Rule[];
  /** `:hunt`'s engines: a Lake event data store and / or an Athena CloudTrail table. */
  hunt?: Omit<HuntSession, 'connection'>;
  /** A shared incident: `s3://bucket/prefix` (app/commands/share.ts), and how often it syncs. */
  share?: string;
  shareEverySeconds?: number;
}

/** The live session's actions: the runner over the lazily built env, and what arming asks for. */
export function liveActions(
  store: OpenedIncident['store'],
  o: LiveOptions,
  kcs: readonly KubeConfig[],
  endpoints?: ReadonlyMap<string, ServiceEndpoints>,
): { session: ActionSession; prod: string | undefined } {
  const pattern = o.prodPattern ?? /prod/i;
  const envOpts: LiveEnvOptions = {
    incidentId: store.getState().state.incident?.id ?? 'unknown',
    journal: o.journal,
    ...(o.profiles.length ? { profiles: o.profiles } : {}),
    ...(endpoints ? { endpoints } : {}),
    ...(o.regions[0] ? { region: o.regions[0], regions: o.regions } : {}),
    ...(kcs.length ? { kcs } : {}),
    ...(o.evidenceBucket ? { evidenceBucket: o.evidenceBucket } : {}),
    ...(o.retentionDays ? { retentionDays: o.retentionDays } : {}),
    collector: o.actor ?? userInfo().username,
    windowAnchor: (target) => windowAnchorFor(store.getState().state, target),
    toolVersion: o.toolVersion ?? 'firebreak',
  };
  const env = liveEnvFactory(envOpts);
  // --read-only: destructive definitions are not even given to the runner.
  const defs = o.readOnly ? ACTION_DEFS.filter((d) => !d.destructive) : ACTION_DEFS;
  const runner = new ActionRunner({ store, mode: 'live', env, backends: liveBackends(envOpts), defs });
  // Every account and every cluster is armed on its own: arming one never arms another.
  const armTargets = async (): Promise<ArmTarget[]> => [
    ...(await env.accounts()).map(({ account, profile }) => ({
      name: account,
      label: `AWS account ${account}${profile ? ` (profile ${profile})` : ''}`,
      prod: isProductionContext(account, pattern) || (!!profile && isProductionContext(profile, pattern)),
    })),
    ...env.clusters.map((kube) => ({
      name: kube.cluster,
      label: `Kubernetes cluster ${kube.cluster} (context ${kube.context})`,
      prod: isProductionContext(kube.context, pattern) || isProductionContext(kube.cluster, pattern),
    })),
  ];
  const prod =
    env.clusters.map((k) => productionReason({ context: k.context, cluster: k.cluster, pattern })).find(Boolean) ??
    o.profiles.map((profile) => productionReason({ profile, pattern })).find(Boolean);
  // The kubeconfig names an EKS cluster by its ARN (aws eks update-kubeconfig) or eksctl's
  // NAME.REGION.eksctl.io; any other name needs the EKS cluster's own name for Pod Identity.
  const eksCluster = process.env.FIREBREAK_EKS_CLUSTER?.trim();
  return { session: { runner, armTargets, ...(eksCluster ? { eksCluster } : {}) }, prod };
}

/** A poller's health; `profile` names it when the session polls several accounts. */
export function cloudTrailHealth(s: CloudTrailPollerStatus, profile?: string): SourceHealth {
  const state = s.state === 'ok' ? 'ok' : s.state === 'throttled' ? 'degraded' : s.state;
  return { name: `CT ${profile ? `${profile} ` : ''}${s.region}`, state, message: s.message };
}

/** A watch's health; `cluster` names it when the session watches several clusters. */
export function kubeHealth(s: KubeWatchStatus, cluster?: string): SourceHealth {
  const state =
    s.state === 'watching'
      ? 'ok'
      : s.state === 'listing'
        ? 'starting'
        : s.state === 'reconnecting'
          ? 'degraded'
          : s.state;
  return {
    name: `k8s ${cluster ? `${cluster} ` : ''}${s.resource}`,
    state,
    ...(s.message ? { message: s.message } : {}),
  };
}

/** The live session's one detector: built-in, live-pod and --rules rules; :rules adds more. */
export function liveDetector(rules: readonly Rule[] = []) {
  return createGrowingDetector([...ALL_RULES, ...LIVE_POD_RULES, ...rules]);
}

export async function runLive(o: LiveOptions): Promise<void> {
  if (o.regions.length === 0 && o.contexts.length === 0 && !o.namespace && !o.kubeconfig) {
    throw new Error(
      'nothing to watch: give --region R (CloudTrail, repeatable) and/or --context C (Kubernetes, repeatable)',
    );
  }
  if (o.profiles.length && o.regions.length === 0)
    throw new Error('--profile needs --region: which Regions to poll in each account');
  // Resolve the clusters before touching the journal: a bad --context is a usage error.
  const kubeconfig = o.kubeconfig ? { kubeconfig: o.kubeconfig } : {};
  const kcs =
    o.contexts.length > 0
      ? o.contexts.map((context) => loadKubeConfig({ context, ...kubeconfig }))
      : o.namespace || o.kubeconfig
        ? [loadKubeConfig(kubeconfig)]
        : [];
  const clusters = kcs.map((kc) => kubeClientsFor(kc).cluster);
  const twice = clusters.find((c, i) => clusters.indexOf(c) !== i);
  // An action on a pod names its cluster: two contexts on one cluster would make that ambiguous.
  if (twice) throw new Error(`two --context name the same cluster ${twice}: give each cluster once`);
  // Each profile's own endpoints (a VPC endpoint per account, or a test's simulated cloud).
  const endpoints = new Map(await Promise.all(o.profiles.map(async (p) => [p, await profileEndpoints(p)] as const)));
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new Error('the cockpit needs a terminal (stdin and stdout must be a TTY)');

  const journalOpts = o.actor ? { actor: o.actor } : {};
  let opened: OpenedIncident;
  if (existsSync(o.journal)) {
    opened = await openIncident(o.journal, journalOpts);
  } else if (o.share && o.id && !o.title) {
    // A late joiner: the incident as its first writer opened it, then everything else by merge.
    const { joinOpened } = await import('./share.js');
    const shareOpts = {
      ...(o.profiles[0] ? { profile: o.profiles[0] } : {}),
      ...(o.regions[0] ? { region: o.regions[0] } : {}),
    };
    opened = await newIncident(
      o.journal,
      await joinOpened(o.share, o.id, { ...shareOpts, retentionDays: o.retentionDays ?? 365 }),
      journalOpts,
    );
  } else {
    if (!o.title) throw new Error(`${o.journal} does not exist: give --title to open a new incident in it`);
    const id = o.id ?? newIncidentId(new Date());
    if (!isIncidentId(id)) throw new Error(`--id must look like INC-2026-042, got "${id}"`);
    opened = await newIncident(
      o.journal,
      { incidentId: id, title: o.title, codename: codenameFor(id), mode: 'live' },
      journalOpts,
    );
  }
  const { store, journal } = opened;

  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  // One detector for every source: windowed rules see the whole picture.
  // The live-pod rules read the Pods watch; Sigma rules (--rules, :rules) run beside the rest.
  const detector = liveDetector(o.rules);
  const importRules = {
    get rules() {
      return [...(o.rules ?? []), ...detector.added];
    },
  };
  // Each poller waits on its account's LookupEvents budget, the one the preservation actions share.
  const profiles = o.profiles.length ? o.profiles : [undefined];
  const pollers = profiles.flatMap((profile) =>
    o.regions.map((region) => {
      const eps = profile ? endpoints.get(profile) : undefined;
      const poller = createLivePoller({
        region,
        ...(profile ? { profile } : {}),
        ...(eps?.cloudtrail ? { endpoint: eps.cloudtrail } : {}),
        ...(eps?.sts ? { stsEndpoint: eps.sts } : {}),
        ...(o.lookBackMinutes ? { lookBackMs: o.lookBackMinutes * 60_000 } : {}),
        sink: createIngest(store, 'cloudtrail', detector),
        onStatus: notify,
      });
      return { poller, name: profiles.length > 1 ? profile : undefined };
    }),
  );
  const watchers = kcs.map((kc, i) => ({
    watcher: new KubeWatcher({
      kc,
      cluster: clusters[i]!,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      sink: createIngest(store, 'kubernetes', detector),
      onStatus: notify,
    }),
    name: kcs.length > 1 ? clusters[i] : undefined,
  }));
  // The shared incident publishes and reads as the first --profile (the team's bucket is in one account).
  const share = o.share
    ? await (
        await import('./share.js')
      ).startLiveShare(store, o.journal, o.share, {
        ...(o.profiles[0] ? { profile: o.profiles[0] } : {}),
        ...(o.regions[0] ? { region: o.regions[0] } : {}),
        retentionDays: o.retentionDays ?? 365,
        actor: o.actor ?? userInfo().username,
        everyMs: (o.shareEverySeconds ?? 10) * 1000,
        onChange: notify,
      })
    : undefined;
  const sources: SourcesControl = {
    health: () => [
      ...pollers.map(({ poller, name }) => cloudTrailHealth(poller.getStatus(), name)),
      ...watchers.flatMap(({ watcher, name }) => watcher.statuses().map((s) => kubeHealth(s, name))),
      ...(share ? [share.health()] : []),
    ],
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  for (const { poller } of pollers) poller.start();
  for (const { watcher } of watchers) watcher.start();
  const { session, prod } = liveActions(store, o, kcs, endpoints);
  try {
    await runCockpit({
      store,
      mode: 'live',
      actions: session,
      ...(o.readOnly ? { readOnly: true } : {}),
      ...(prod ? { prod } : {}),
      now: () => Date.now(),
      sources,
      ...(share ? { shared: () => share.session.merged } : {}),
      readEvent: (offset, length) => readRecordAt(o.journal, offset, length),
      importFiles: importFilesInto(store, o.journal, importRules),
      ...(o.hunt?.lake || o.hunt?.athena
        ? {
            hunt: cockpitHunt(
              store,
              () =>
                Promise.resolve({
                  ...o.hunt,
                  // The first --region and --profile are where the event data store or work
                  // group lives (an organisation's trail is queried from one account).
                  connection: {
                    region: o.regions[0] ?? process.env.AWS_REGION ?? 'us-east-1',
                    ...(o.profiles[0] ? { profile: o.profiles[0] } : {}),
                  },
                }),
              { detector, ...(o.actor ? { actor: o.actor } : {}) },
            ),
          }
        : {}),
      loadRules: async (dir: string) => {
        const l = await loadSigmaDir(dir);
        detector.add(l.rules);
        const lines = sigmaReportLines(l);
        return {
          summary: `${sigmaSummary(dir, l)}${lines.length ? `: ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? ' …' : ''}` : ''}`,
          ok: l.reports.length === 0,
        };
      },
    });
  } finally {
    await Promise.allSettled([
      ...pollers.map(({ poller }) => poller.stop()),
      ...watchers.map(({ watcher }) => watcher.stop()),
    ]);
    await share?.stop();
    await journal?.close();
  }
}
