// The cross-plane bundle's world: the Kubernetes sim over HTTPS (kube-action-harness.ts) and one
// AWS endpoint holding the IAM, STS, CloudTrail and EKS sims, routed the way the combined cloud
// does it, with the real SDK clients from createAwsClients and the real action implementations
// driven through one ActionRunner.

import { onTestFinished } from 'vitest';
import {
  CloudTrailSim,
  EksSim,
  IamSim,
  isEksRequest,
  KubeSim,
  listen,
  serveQuery,
  SimRecorder,
  StsSim,
  type EksClusterSeed,
  type KubeSeed,
} from '@firebreak/cloud-sim';
import { createAwsClients, destroyAwsClients } from '../../src/actions/aws/clients.js';
import { kubeClientsFor } from '../../src/actions/kubernetes/clients.js';
import type { ActionEnv, Target } from '../../src/actions/types.js';
import { RateLimiter } from '../../src/sources/cloudtrail/limiter.js';
import { actionFixture, baseEnv, type ActionFixture } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { kubeConfigFor, makeTestCert, TOKEN, type TestCert } from './fake-kube.js';
import { ACCOUNT, NOW, SEED } from './iam-harness.js';
import { shopSeed } from './kube-action-harness.js';

export { ACCOUNT };
export const ROLE = 'prod-db-reader';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
export const EKS_CLUSTER = 'shop-prod';
export const POD: Target = { kind: 'pod', id: 'shop/web-7d9f-abcde', label: 'pod shop/web-7d9f-abcde', scope: 'shop' };

let cert: TestCert | undefined;

/** The shop cluster with the compromised pod running as service account `web`. */
export function crossPlaneSeed(annotations?: Record<string, string>): KubeSeed {
  const seed = shopSeed();
  seed.pods = seed.pods!.map((p) => (p.name === 'web-7d9f-abcde' ? { ...p, serviceAccountName: 'web' } : p));
  seed.serviceAccounts = [{ namespace: 'shop', name: 'web', ...(annotations ? { annotations } : {}) }];
  return seed;
}

export const IRSA = { 'eks.amazonaws.com/role-arn': ROLE_ARN };

export interface CrossPlane {
  kube: KubeSim;
  iam: IamSim;
  ct: CloudTrailSim;
  eks: EksSim;
  /** The AWS sims' calls (IAM, STS, CloudTrail, EKS). */
  aws: SimRecorder;
  env: ActionEnv;
  fx: ActionFixture;
}

export async function crossPlane(
  o: { kube?: KubeSeed; eks?: EksClusterSeed[]; armed?: boolean } = {},
): Promise<CrossPlane> {
  cert ??= makeTestCert();
  const kube = new KubeSim(o.kube ?? crossPlaneSeed(IRSA), { token: TOKEN });
  const kubeUrl = await kube.start(cert);
  const rec = new SimRecorder();
  const iam = new IamSim(structuredClone(SEED), rec);
  const sts = new StsSim({ account: ACCOUNT }, rec);
  const ct = new CloudTrailSim({ account: ACCOUNT, region: 'eu-west-1' }, rec);
  const eks = new EksSim({ account: ACCOUNT, region: 'eu-west-1', clusters: o.eks ?? [{ name: EKS_CLUSTER }] }, rec);
  const sim = await listen((req, body, res) => {
    if (String(req.headers['x-amz-target'] ?? '').includes('CloudTrail')) return void ct.handle(req, body, res);
    if (isEksRequest(req)) return void eks.handle(req, body, res);
    return serveQuery([iam, sts], req, body, res);
  });
  const aws = await createAwsClients({
    region: 'eu-west-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-secret' },
  });
  // The shared 2 requests/s CloudTrail budget is real time; the sim needs none.
  aws.cloudtrailLimiter = new RateLimiter({ ratePerSec: 1000, marginMs: 0 });
  const dir = tempDir('fb-xplane-');
  const env = baseEnv(dir, { aws, kube: kubeClientsFor(kubeConfigFor(kubeUrl, cert.cert)), now: () => NOW });
  const fx = await actionFixture(dir, env, { backends: ['aws', 'kubernetes'], armed: o.armed ?? true });
  rec.calls.length = 0;
  onTestFinished(async () => {
    await fx.close();
    destroyAwsClients(aws);
    await sim.close();
    await kube.close();
  });
  return { kube, iam, ct, eks, aws: rec, env, fx };
}
