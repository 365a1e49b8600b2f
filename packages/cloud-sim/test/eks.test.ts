// The simulated EKS Pod Identity reads over restJson1 with fetch only: filtering by namespace and
// service account, paging with a bound nextToken, the describe's role and epoch-second times,
// restJson1 errors, faults, and the combined cloud routing EKS by its SigV4 scope.

import { afterEach, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../src/cloud.js';
import { EksSim } from '../src/eks/protocol.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-orders`;
const SEED = {
  account: ACCOUNT,
  region: 'eu-west-1',
  clusters: [
    {
      name: 'prod-eu',
      associations: [
        { namespace: 'shop', serviceAccount: 'orders', roleArn: ROLE, associationId: 'a-orders0000000001' },
        { namespace: 'shop', serviceAccount: 'web', roleArn: `arn:aws:iam::${ACCOUNT}:role/shop-web` },
        { namespace: 'ops', serviceAccount: 'backup', roleArn: `arn:aws:iam::${ACCOUNT}:role/backup` },
      ],
    },
  ],
};
const AUTH = { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20260401/eu-west-1/eks/aws4_request, Signature=x` };

let sim: EksSim | undefined;
let cloud: SimCloud | undefined;
afterEach(async () => {
  await sim?.close();
  await cloud?.close();
  sim = undefined;
  cloud = undefined;
});

async function started(): Promise<string> {
  sim = new EksSim(structuredClone(SEED));
  return sim.start();
}

async function get(url: string): Promise<{ status: number; type: string | null; body: any }> {
  const r = await fetch(url, { headers: AUTH });
  return { status: r.status, type: r.headers.get('x-amzn-errortype'), body: await r.json() };
}

describe('EKS sim: ListPodIdentityAssociations', () => {
  it('filters by namespace and service account', async () => {
    const url = await started();
    const r = await get(`${url}/clusters/prod-eu/pod-identity-associations?namespace=shop&serviceAccount=orders`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      associations: [
        {
          clusterName: 'prod-eu',
          namespace: 'shop',
          serviceAccount: 'orders',
          associationId: 'a-orders0000000001',
          associationArn: `arn:aws:eks:eu-west-1:${ACCOUNT}:podidentityassociation/prod-eu/a-orders0000000001`,
        },
      ],
    });
    expect(sim!.recorder.of('ListPodIdentityAssociations')[0]!.query).toMatchObject({ namespace: 'shop' });
  });

  it('pages with a nextToken bound to the filter', async () => {
    const url = await started();
    const base = `${url}/clusters/prod-eu/pod-identity-associations`;
    const first = await get(`${base}?maxResults=2`);
    expect(first.body.associations).toHaveLength(2);
    const token = first.body.nextToken as string;
    expect(token).toBeTruthy();
    const second = await get(`${base}?maxResults=2&nextToken=${encodeURIComponent(token)}`);
    expect(second.body.associations.map((a: any) => a.serviceAccount)).toEqual(['backup']);
    expect(second.body.nextToken).toBeUndefined();
    const wrong = await get(`${base}?maxResults=2&namespace=shop&nextToken=${encodeURIComponent(token)}`);
    expect([wrong.status, wrong.type]).toEqual([400, 'InvalidParameterException']);
  });

  it('refuses maxResults out of range and an unknown cluster, in restJson1 form', async () => {
    const url = await started();
    const big = await get(`${url}/clusters/prod-eu/pod-identity-associations?maxResults=101`);
    expect([big.status, big.type]).toEqual([400, 'InvalidParameterException']);
    const none = await get(`${url}/clusters/nope/pod-identity-associations`);
    expect([none.status, none.type, none.body.message]).toEqual([
      404,
      'ResourceNotFoundException',
      'No cluster found for name: nope.',
    ]);
  });

  it('answers an injected fault, then recovers', async () => {
    const url = await started();
    sim!.recorder.fail({
      op: 'ListPodIdentityAssociations',
      status: 403,
      code: 'AccessDeniedException',
      message: 'no',
    });
    const denied = await get(`${url}/clusters/prod-eu/pod-identity-associations`);
    expect([denied.status, denied.type]).toEqual([403, 'AccessDeniedException']);
    expect((await get(`${url}/clusters/prod-eu/pod-identity-associations`)).status).toBe(200);
  });
});

describe('EKS sim: DescribePodIdentityAssociation', () => {
  it('names the role, with epoch-second times', async () => {
    const url = await started();
    const r = await get(`${url}/clusters/prod-eu/pod-identity-associations/a-orders0000000001`);
    expect(r.body.association).toMatchObject({ roleArn: ROLE, namespace: 'shop', serviceAccount: 'orders' });
    expect(r.body.association.createdAt).toBe(Date.parse('2026-04-01T09:00:00Z') / 1000);
    const missing = await get(`${url}/clusters/prod-eu/pod-identity-associations/a-missing`);
    expect([missing.status, missing.type]).toEqual([404, 'ResourceNotFoundException']);
  });
});

describe('the combined cloud routes EKS by its SigV4 scope', () => {
  it('answers EKS on the AWS endpoint, S3 otherwise', async () => {
    cloud = await startSimCloud(
      { aws: { account: ACCOUNT, region: 'eu-west-1', eks: { clusters: SEED.clusters } } },
      { now: () => new Date('2026-04-01T10:00:00Z') },
    );
    const url = cloud.endpoints.aws!.url;
    const r = await get(`${url}/clusters/prod-eu/pod-identity-associations?namespace=ops`);
    expect(r.body.associations.map((a: any) => a.serviceAccount)).toEqual(['backup']);
    expect(cloud.takeNewCalls().map((c) => `${c.service} ${c.op}`)).toEqual(['eks ListPodIdentityAssociations']);
  });
});
