// createAwsClients against the IAM and STS sims on one 127.0.0.1 endpoint: the account comes from
// STS GetCallerIdentity, every client points at the endpoint, and nothing is retried by itself.

import { GetUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createAwsClients, destroyAwsClients } from '../../src/actions/aws/clients.js';
import { listenQuery, SimRecorder, IamSim, StsSim } from '@firebreak/cloud-sim';

const CREDS = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-secret' };

async function sims() {
  const rec = new SimRecorder();
  const iam = new IamSim({ account: '210987654321', users: [{ name: 'alice' }] }, rec);
  const sts = new StsSim({ account: '210987654321', arn: 'arn:aws:sts::210987654321:assumed-role/ir/dana' }, rec);
  const sim = await listenQuery(iam, sts);
  onTestFinished(() => sim.close());
  return { rec, sim };
}

describe('createAwsClients', () => {
  it('resolves the account with GetCallerIdentity and points IAM at the same endpoint', async () => {
    const { rec, sim } = await sims();
    const c = await createAwsClients({ region: 'ap-southeast-2', endpoint: sim.url, credentials: CREDS });
    onTestFinished(() => destroyAwsClients(c));
    expect(c.account).toBe('210987654321');
    expect(c.region).toBe('ap-southeast-2');
    expect(rec.calls.map((x) => [x.service, x.op, x.body])).toEqual([
      ['sts', 'GetCallerIdentity', 'Action=GetCallerIdentity&Version=2011-06-15'],
    ]);
    expect(rec.calls[0]!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\//);
    const u = await c.iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(u.User?.Arn).toBe('arn:aws:iam::210987654321:user/alice');
    expect(rec.calls.at(-1)!.service).toBe('iam');
    expect(await c.s3.config.forcePathStyle).toBe(true);
    for (const client of [c.ec2, c.s3, c.cloudtrail]) {
      const ep = await client.config.endpoint!();
      expect(`${ep.protocol}//${ep.hostname}:${ep.port}`).toBe(sim.url);
    }
  });

  it('keys the CloudTrail limiter by the account and region', async () => {
    const { sim } = await sims();
    const a = await createAwsClients({ region: 'eu-west-1', endpoint: sim.url, credentials: CREDS });
    const b = await createAwsClients({ region: 'eu-west-1', endpoint: sim.url, credentials: CREDS });
    const other = await createAwsClients({ region: 'us-east-1', endpoint: sim.url, credentials: CREDS });
    onTestFinished(() => [a, b, other].forEach(destroyAwsClients));
    expect(a.cloudtrailLimiter).toBe(b.cloudtrailLimiter);
    expect(a.cloudtrailLimiter).not.toBe(other.cloudtrailLimiter);
  });

  it('makes one attempt: a throttled GetCallerIdentity fails without a retry', async () => {
    const { rec, sim } = await sims();
    rec.fail({ op: 'GetCallerIdentity', status: 400, code: 'Throttling', message: 'Rate exceeded', times: 5 });
    await expect(
      createAwsClients({ region: 'eu-west-1', endpoint: sim.url, credentials: CREDS }),
    ).rejects.toMatchObject({ name: 'Throttling' });
    expect(rec.of('GetCallerIdentity')).toHaveLength(1);
  });

  it('ExpiredToken from STS surfaces as an error (no session is built on bad credentials)', async () => {
    const { rec, sim } = await sims();
    rec.fail({
      op: 'GetCallerIdentity',
      status: 403,
      code: 'ExpiredToken',
      message: 'The security token included in the request is expired',
    });
    await expect(createAwsClients({ region: 'eu-west-1', endpoint: sim.url, credentials: CREDS })).rejects.toThrow(
      /expired/,
    );
  });
});
