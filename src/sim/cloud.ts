// The drill's simulated cloud: every sim started on 127.0.0.1 from the scenario's `cloud:` seed,
// and an ActionEnv whose clients are the REAL ones (createAwsClients, client-node) pointed at them.
// So a tabletop team presses the same keys, through the same code, with the same plans, dry runs,
// failures and read-backs as in a live session — only the endpoints differ. Used by drills only.
//
// AWS is one endpoint (as createAwsClients expects): requests are routed the way AWS itself tells
// the services apart — CloudTrail by its X-Amz-Target, EC2 / IAM / STS by the query protocol's
// Version, and everything else is S3's REST API. Kubernetes is plain http with skipTLSVerify
// (client-node refuses http otherwise — research §3.1); it never leaves the loopback interface.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { createAwsClients, destroyAwsClients } from '../actions/aws/clients.js';
import { kubeClientsFor } from '../actions/kubernetes/clients.js';
import type { ActionEnv, Backend } from '../actions/types.js';
import { serveQuery } from './aws-query.js';
import { CloudTrailSim, type CloudTrailSeed } from './cloudtrail.js';
import { ec2Handler, Ec2World, type Ec2Seed } from './ec2.js';
import { listen, parseForm, SimRecorder, type RunningSim, type SimCall } from './http.js';
import { IamSim, type IamSeed } from './iam.js';
import { KubeSim } from './kube.js';
import type { KubeSeed } from './kube-objects.js';
import { S3Sim, type S3Seed } from './s3.js';
import { StsSim } from './sts.js';
import { VaultSim, type VaultSeed } from './vault.js';

/** A scenario's estate (YAML `cloud:`): what exists for the drill's actions to act on. */
export interface CloudSeed {
  aws?: {
    account: string;
    region: string;
    ec2?: Ec2Seed;
    iam?: Omit<IamSeed, 'account'>;
    s3?: S3Seed;
    cloudtrail?: Omit<CloudTrailSeed, 'account' | 'region'>;
    /** An Object Lock bucket in `s3` for `aws.uploadEvidence`. */
    evidenceBucket?: { bucket: string; retentionDays: number; mode?: 'COMPLIANCE' | 'GOVERNANCE' };
  };
  kubernetes?: { cluster: string; seed: KubeSeed };
  vault?: VaultSeed;
}

export interface SimCloud {
  /** What the drill can act on. */
  backends: Set<Backend>;
  env: ActionEnv;
  /** The one AWS endpoint (tests point a whole `firebreak live` at it with AWS_ENDPOINT_URL). */
  awsEndpoint: string | undefined;
  /** Every call any sim saw since the last time this was asked (the drill turns the mutating ones into follow-up events). */
  takeNewCalls(): SimCall[];
  close(): Promise<void>;
}

export interface SimCloudOptions {
  incidentId: string;
  evidenceDir: string;
  now: () => Date;
  collector: string;
  toolVersion: string;
}

/** The one token the drill's Vault accepts (not a secret: it only opens a loopback sim). */
const DRILL_VAULT_TOKEN = 'drill-token';
const DRILL_KUBE_TOKEN = 'drill-token';

function awsRouter(ec2: (req: IncomingMessage, body: string, res: ServerResponse) => void, iam: IamSim, sts: StsSim, ct: CloudTrailSim, s3: S3Sim) {
  return (req: IncomingMessage, body: string, res: ServerResponse, raw: Buffer): void => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.includes('CloudTrail')) return void ct.handle(req, body, res);
    const form = req.method === 'POST' && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? parseForm(body) : undefined;
    if (form?.Version === '2016-11-15') return ec2(req, body, res);
    if (form?.Version === iam.version || form?.Version === sts.version) return void serveQuery([iam, sts], req, body, res);
    s3.handle(req, body, res, raw);
  };
}

export async function startSimCloud(seed: CloudSeed, o: SimCloudOptions): Promise<SimCloud> {
  const running: RunningSim[] = [];
  const recorders: SimRecorder[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const backends = new Set<Backend>();
  let awsEndpoint: string | undefined;
  const env: ActionEnv = { incidentId: o.incidentId, evidenceDir: o.evidenceDir, now: o.now, collector: o.collector, toolVersion: o.toolVersion };
  try {
    if (seed.aws) {
      const a = seed.aws;
      const ec2Rec = new SimRecorder();
      const world = new Ec2World(a.ec2 ?? {});
      const iam = new IamSim({ account: a.account, ...(a.iam ?? {}) });
      const sts = new StsSim({ account: a.account });
      const ct = new CloudTrailSim({ ...(a.cloudtrail ?? {}), account: a.account, region: a.region });
      const s3 = new S3Sim(a.s3 ?? {}, { now: o.now });
      recorders.push(ec2Rec, iam.recorder, sts.recorder, ct.recorder, s3.recorder);
      const sim = await listen(awsRouter(ec2Handler(world, ec2Rec), iam, sts, ct, s3));
      running.push(sim);
      awsEndpoint = sim.url;
      const aws = await createAwsClients({ region: a.region, endpoint: sim.url, credentials: { accessKeyId: 'AKIADRILLEXAMPLE0001', secretAccessKey: 'drill' } });
      closers.push(() => destroyAwsClients(aws));
      env.aws = aws;
      if (a.evidenceBucket) env.evidenceBucket = { bucket: a.evidenceBucket.bucket, retentionDays: a.evidenceBucket.retentionDays, mode: a.evidenceBucket.mode ?? 'COMPLIANCE' };
      backends.add('aws');
    }
    if (seed.kubernetes) {
      const k = new KubeSim(seed.kubernetes.seed, { token: DRILL_KUBE_TOKEN });
      recorders.push(k.recorder);
      const url = await k.start();
      closers.push(() => k.close());
      const kc = new KubeConfig();
      const name = seed.kubernetes.cluster;
      kc.loadFromOptions({
        clusters: [{ name, server: url, skipTLSVerify: true }],
        users: [{ name: 'drill-responder', token: DRILL_KUBE_TOKEN }],
        contexts: [{ name, cluster: name, user: 'drill-responder' }],
        currentContext: name,
      });
      env.kube = kubeClientsFor(kc);
      backends.add('kubernetes');
    }
    if (seed.vault) {
      const v = new VaultSim({ ...seed.vault, tokens: [{ id: DRILL_VAULT_TOKEN, capabilities: ['list', 'lookup', 'revoke'] }] }, { now: o.now });
      recorders.push(v.recorder);
      const addr = await v.start();
      closers.push(() => v.close());
      env.vault = { addr, token: DRILL_VAULT_TOKEN };
      backends.add('vault');
    }
  } catch (e) {
    await Promise.allSettled([...closers.map((c) => c()), ...running.map((r) => r.close())]);
    throw e;
  }
  const taken = new Map<SimRecorder, number>();
  return {
    backends,
    env,
    awsEndpoint,
    takeNewCalls: () =>
      recorders.flatMap((r) => {
        const fresh = r.calls.slice(taken.get(r) ?? 0);
        taken.set(r, r.calls.length);
        return fresh;
      }),
    close: async () => {
      await Promise.allSettled([...closers.map((c) => c()), ...running.map((r) => r.close())]);
    },
  };
}
