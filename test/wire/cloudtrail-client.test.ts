import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudTrailClient, describeLimits } from '../../src/sources/cloudtrail/client.js';
import { FakeCloudTrail, THROTTLE } from './fake-cloudtrail.js';

const creds = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };
let fake: FakeCloudTrail | undefined;
const savedEnv = process.env.AWS_ENDPOINT_URL;
afterEach(async () => {
  await fake?.close();
  if (savedEnv === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEnv;
});

describe('createCloudTrailClient', () => {
  it('makes one attempt per send, so the shared limiter sees every request', async () => {
    fake = new FakeCloudTrail();
    await fake.start();
    fake.failNext(1, THROTTLE);
    const client = createCloudTrailClient({ region: 'us-east-1', endpoint: fake.endpoint, credentials: creds });
    expect(await client.config.maxAttempts()).toBe(1);
    await expect(client.send(new LookupEventsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('honours AWS_ENDPOINT_URL when no endpoint is given', async () => {
    fake = new FakeCloudTrail();
    await fake.start();
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    const client = createCloudTrailClient({ region: 'us-east-1', credentials: creds });
    const out = await client.send(new LookupEventsCommand({}));
    expect(out.Events).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('builds a profile client without touching the network', async () => {
    const client = createCloudTrailClient({ region: 'eu-west-1', profile: 'incident' });
    expect(await client.config.region()).toBe('eu-west-1');
  });
});

describe('describeLimits', () => {
  it('names the limits a responder must know', () => {
    const text = describeLimits();
    for (const s of [
      'management events only',
      '90 days',
      '2 requests/s per account and Region',
      'shared',
      '5 minutes late (up to 15)',
    ]) {
      expect(text).toContain(s);
    }
  });
});
