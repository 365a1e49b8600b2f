// The adapter between @firebreak/cloud-sim and the product: it starts the simulated cloud and
// points the REAL clients at it — createAwsClients and client-node, as in a live session — so a
// drill's actions run through the same code with the same plans, dry runs, failures and
// read-backs; and it runs what the simulated cloud logged through the same normalisers as live and
// imported data. The package knows nothing of the product; only this file knows both.
//
// Kubernetes is plain http with skipTLSVerify (client-node refuses http otherwise); every sim
// listens on 127.0.0.1 only.

import { KubeConfig } from '@kubernetes/client-node';
import {
  loggedRecords,
  startSimCloud,
  type CloudSeed,
  type FollowUpContext,
  type SimCall,
  type SimCloud,
} from '@firebreak/cloud-sim';
import { createAwsClients, destroyAwsClients } from '../../src/actions/aws/clients.js';
import { kubeClientsFor } from '../../src/actions/kubernetes/clients.js';
import type { ActionEnv, Backend } from '../../src/actions/types.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import type { HuntSession } from './hunt.js';
import { normaliseCloudTrailRecord } from '../../src/sources/cloudtrail/normalise.js';
import { normaliseAuditEvent } from '../../src/sources/kubernetes/audit.js';

export interface SimEnv {
  /** What the drill can act on. */
  backends: Set<Backend>;
  env: ActionEnv;
  /** The events the real cloud would have logged for the calls since the last time this was asked. */
  followUps(x: FollowUpContext): IncidentEvent[];
  /** Whether a scripted attacker call still works against the sims' state (cloud-sim reactions.ts). */
  judge: SimCloud['judge'];
  judgeKube: SimCloud['judgeKube'];
  /** `:hunt` in a drill: the simulated Lake and Athena over the drill's CloudTrail, and how to reach them. */
  hunt?: HuntSession;
  close(): Promise<void>;
}

/** What `:hunt` needs of the simulated cloud's AWS endpoint (cloud-sim's CloudEndpoints.aws). */
interface HuntEndpoints {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  eventDataStore?: string;
  athena?: { catalog: string; database: string; table: string; workGroup: string };
}

export interface SimEnvOptions {
  incidentId: string;
  evidenceDir: string;
  now: () => Date;
  collector: string;
  toolVersion: string;
}

export async function startSimEnv(seed: CloudSeed, o: SimEnvOptions): Promise<SimEnv> {
  const cloud = await startSimCloud(seed, { now: o.now });
  const backends = new Set<Backend>();
  const env: ActionEnv = {
    incidentId: o.incidentId,
    evidenceDir: o.evidenceDir,
    now: o.now,
    collector: o.collector,
    toolVersion: o.toolVersion,
  };
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const { aws, kubernetes, vault } = cloud.endpoints;
    if (aws) {
      const clients = await createAwsClients({
        region: aws.region,
        endpoint: aws.url,
        credentials: aws.credentials,
        toolVersion: o.toolVersion,
      });
      closers.push(() => destroyAwsClients(clients));
      env.aws = clients;
      if (aws.evidenceBucket) env.evidenceBucket = aws.evidenceBucket;
      backends.add('aws');
    }
    if (kubernetes) {
      const kc = new KubeConfig();
      const name = kubernetes.cluster;
      kc.loadFromOptions({
        clusters: [{ name, server: kubernetes.url, skipTLSVerify: true }],
        users: [{ name: 'drill-responder', token: kubernetes.token }],
        contexts: [{ name, cluster: name, user: 'drill-responder' }],
        currentContext: name,
      });
      env.kube = kubeClientsFor(kc);
      backends.add('kubernetes');
    }
    if (vault) {
      env.vault = { addr: vault.addr, token: vault.token };
      backends.add('vault');
    }
  } catch (e) {
    await Promise.allSettled([...closers.map((c) => c()), cloud.close()]);
    throw e;
  }
  // Read as optional: a cloud-sim build older than its Lake and Athena sims has neither.
  const aws = cloud.endpoints.aws as HuntEndpoints | undefined;
  const hunt: HuntSession | undefined =
    aws && (aws.eventDataStore || aws.athena)
      ? {
          ...(aws.eventDataStore ? { lake: { eventDataStore: aws.eventDataStore } } : {}),
          ...(aws.athena ? { athena: { ...aws.athena } } : {}),
          connection: { region: aws.region, endpoint: aws.url, credentials: aws.credentials },
        }
      : undefined;
  return {
    backends,
    env,
    ...(hunt ? { hunt } : {}),
    followUps: (x) => followUpEvents(cloud.takeNewCalls(), x),
    judge: (c) => cloud.judge(c),
    judgeKube: (c) => cloud.judgeKube(c),
    close: async () => {
      await Promise.allSettled([...closers.map((c) => c()), cloud.close()]);
    },
  };
}

/** The events the real cloud would have logged for these calls, as the product's feeds see them. */
export function followUpEvents(calls: readonly SimCall[], x: FollowUpContext): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  const discovered = x.now.toISOString();
  for (const l of loggedRecords(calls, x)) {
    const r =
      l.source === 'kubernetes-audit'
        ? normaliseAuditEvent(l.record, discovered)
        : normaliseCloudTrailRecord(l.record, discovered);
    if (r.ok) out.push(r.event);
  }
  return out;
}
