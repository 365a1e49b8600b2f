// The whole simulated cloud: every sim started on 127.0.0.1 from one seed (a drill scenario's
// `cloud:`), and where to reach each. Whoever starts it points its own clients at these endpoints —
// the drill points the product's real AWS SDK and client-node clients at them — so a tabletop team
// presses the same keys, through the same code, with the same plans, dry runs, failures and
// read-backs as in a live session; only the endpoints differ.
//
// AWS is one endpoint: requests are routed the way AWS itself tells the services apart —
// CloudTrail by its X-Amz-Target, EC2 / IAM / STS by the query protocol's Version, EKS by its
// SigV4 credential scope, and everything else is S3's REST API. Kubernetes is plain http (a client needs skipTLSVerify to accept it); it
// never leaves the loopback interface.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { AthenaSim, type AthenaSeed } from './athena/protocol.js';
import { CloudTrailSim, type CloudTrailSeed } from './cloudtrail/protocol.js';
import { ec2Handler, Ec2World, type Ec2Seed } from './ec2/protocol/server.js';
import { EksSim, isEksRequest, type EksClusterSeed } from './eks/protocol.js';
import { IamSim } from './iam/protocol.js';
import type { IamModel, IamSeed } from './iam/model.js';
import { KubeSim } from './kubernetes/protocol/server.js';
import type { KubeSeed } from './kubernetes/model/objects.js';
import { S3Sim, type S3Seed } from './s3/protocol.js';
import { serveQuery } from './server/aws-query.js';
import { listen, parseForm, SimRecorder, type RunningSim, type SimCall } from './server/http.js';
import { StsSim } from './sts/protocol.js';
import { VaultSim, type VaultSeed } from './vault/protocol.js';
import { judgeAwsCall, type ScriptedCall, type Verdict } from './reactions.js';
import { judgeKubeCall, type KubeCall, type KubeVerdict } from './kubernetes/reactions.js';

/** A scenario's estate (YAML `cloud:`): what exists for the drill's actions to act on. */
export interface CloudSeed {
  aws?: {
    account: string;
    region: string;
    ec2?: Ec2Seed;
    iam?: Omit<IamSeed, 'account'>;
    s3?: S3Seed;
    cloudtrail?: Omit<CloudTrailSeed, 'account' | 'region'>;
    /** Athena's tables over the same trail (default cloudtrail.cloudtrail_logs, work group primary). */
    athena?: AthenaSeed;
    /** EKS clusters and their Pod Identity associations. */
    eks?: { clusters: EksClusterSeed[] };
    /** An Object Lock bucket in `s3` for `aws.uploadEvidence`. */
    evidenceBucket?: { bucket: string; retentionDays: number; mode?: 'COMPLIANCE' | 'GOVERNANCE' };
  };
  kubernetes?: { cluster: string; seed: KubeSeed };
  vault?: VaultSeed;
}

/** Where each started service answers, and the credentials it accepts. */
export interface CloudEndpoints {
  aws?: {
    url: string;
    account: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    /** CloudTrail Lake's event data store (ARN) over the trail's events, for hunting. */
    eventDataStore: string;
    /** Athena's CloudTrail table over the same events, and a work group with a result location. */
    athena: { catalog: string; database: string; table: string; workGroup: string };
    evidenceBucket?: { bucket: string; retentionDays: number; mode: 'COMPLIANCE' | 'GOVERNANCE' };
  };
  kubernetes?: { url: string; cluster: string; token: string };
  vault?: { addr: string; token: string };
}

export interface SimCloud {
  endpoints: CloudEndpoints;
  /** Every call any sim saw since the last time this was asked (the drill turns the mutating ones into follow-up events). */
  takeNewCalls(): SimCall[];
  /** Whether a scripted attacker call would still work against the sim's state now (reactions.ts). */
  judge(call: ScriptedCall): Verdict;
  /** Whether a scripted Kubernetes API call would still reach the API server and authenticate (kubernetes/reactions.ts). */
  judgeKube(call: KubeCall): KubeVerdict;
  close(): Promise<void>;
}

export interface SimCloudOptions {
  /** The clock S3 retention and Vault lease times are measured against. */
  now: () => Date;
}

/** The one token the drill's Vault and Kubernetes accept (not a secret: it only opens a loopback sim). */
const DRILL_VAULT_TOKEN = 'drill-token';
const DRILL_KUBE_TOKEN = 'drill-token';
/** The drill responder's access key (the sims check no signature). */
const DRILL_CREDENTIALS = { accessKeyId: 'AKIADRILLEXAMPLE0001', secretAccessKey: 'drill' };

function awsRouter(
  ec2: (req: IncomingMessage, body: string, res: ServerResponse) => void,
  iam: IamSim,
  sts: StsSim,
  ct: CloudTrailSim,
  s3: S3Sim,
  athena: AthenaSim,
  eks: EksSim,
) {
  return (req: IncomingMessage, body: string, res: ServerResponse, raw: Buffer): void => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.includes('CloudTrail')) return void ct.handle(req, body, res);
    if (target.startsWith('AmazonAthena.')) return void athena.handle(req, body, res);
    // EKS is REST like S3: the SigV4 credential scope names the service.
    if (isEksRequest(req)) return void eks.handle(req, body, res);
    const form =
      req.method === 'POST' && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
        ? parseForm(body)
        : undefined;
    if (form?.Version === '2016-11-15') return ec2(req, body, res);
    if (form?.Version === iam.version || form?.Version === sts.version)
      return void serveQuery([iam, sts], req, body, res);
    s3.handle(req, body, res, raw);
  };
}

export async function startSimCloud(seed: CloudSeed, o: SimCloudOptions): Promise<SimCloud> {
  const running: RunningSim[] = [];
  const recorders: SimRecorder[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const endpoints: CloudEndpoints = {};
  let iamState: IamModel | undefined;
  let kube: KubeSim | undefined;
  try {
    if (seed.aws) {
      const a = seed.aws;
      const ec2Rec = new SimRecorder();
      const world = new Ec2World(a.ec2 ?? {});
      const iam = new IamSim({ account: a.account, ...(a.iam ?? {}) });
      iamState = iam;
      const sts = new StsSim({ account: a.account });
      const ct = new CloudTrailSim({ ...(a.cloudtrail ?? {}), account: a.account, region: a.region });
      const s3 = new S3Sim(a.s3 ?? {}, { now: o.now });
      const athena = new AthenaSim(a.athena ?? {}, () => ct.records());
      const eks = new EksSim({ account: a.account, region: a.region, clusters: a.eks?.clusters ?? [] });
      recorders.push(ec2Rec, iam.recorder, sts.recorder, ct.recorder, s3.recorder, athena.recorder, eks.recorder);
      const sim = await listen(awsRouter(ec2Handler(world, ec2Rec), iam, sts, ct, s3, athena, eks));
      const table = athena.tables[0]!;
      running.push(sim);
      endpoints.aws = {
        url: sim.url,
        account: a.account,
        region: a.region,
        credentials: { ...DRILL_CREDENTIALS },
        eventDataStore: ct.eventDataStoreArn(),
        athena: {
          catalog: table.catalog,
          database: table.database,
          table: table.table,
          workGroup: Object.keys(athena.workGroups)[0] ?? 'primary',
        },
        ...(a.evidenceBucket
          ? {
              evidenceBucket: {
                bucket: a.evidenceBucket.bucket,
                retentionDays: a.evidenceBucket.retentionDays,
                mode: a.evidenceBucket.mode ?? 'COMPLIANCE',
              },
            }
          : {}),
      };
    }
    if (seed.kubernetes) {
      const k = new KubeSim(seed.kubernetes.seed, { token: DRILL_KUBE_TOKEN });
      kube = k;
      recorders.push(k.recorder);
      const url = await k.start();
      closers.push(() => k.close());
      endpoints.kubernetes = { url, cluster: seed.kubernetes.cluster, token: DRILL_KUBE_TOKEN };
    }
    if (seed.vault) {
      const v = new VaultSim(
        { ...seed.vault, tokens: [{ id: DRILL_VAULT_TOKEN, capabilities: ['list', 'lookup', 'revoke'] }] },
        { now: o.now },
      );
      recorders.push(v.recorder);
      const addr = await v.start();
      closers.push(() => v.close());
      endpoints.vault = { addr, token: DRILL_VAULT_TOKEN };
    }
  } catch (e) {
    await Promise.allSettled([...closers.map((c) => c()), ...running.map((r) => r.close())]);
    throw e;
  }
  const taken = new Map<SimRecorder, number>();
  return {
    endpoints,
    takeNewCalls: () =>
      recorders.flatMap((r) => {
        const fresh = r.calls.slice(taken.get(r) ?? 0);
        taken.set(r, r.calls.length);
        return fresh;
      }),
    judge: (call) => (iamState ? judgeAwsCall(iamState, call) : { ok: true }),
    judgeKube: (call) => (kube ? judgeKubeCall(kube, call) : { ok: true }),
    close: async () => {
      await Promise.allSettled([...closers.map((c) => c()), ...running.map((r) => r.close())]);
    },
  };
}
