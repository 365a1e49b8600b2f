// An ActionEnv whose real SDK clients point at the simulated cloud on 127.0.0.1, and a clock that
// only moves when the test says so (for the CloudTrail limiter: no wall-clock timing).

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { RateLimiter, type Clock } from '../../src/sources/cloudtrail/limiter.js';
import type { AwsClients } from '../../src/actions/types.js';
import type { AnyRecord } from '../../src/journal/records.js';

export const CREDS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };
export const ACCOUNT = '123456789012';

export function awsClients(o: { cloudtrail?: string; s3?: string; limiter?: RateLimiter }): AwsClients {
  // One attempt per send(): retries are the action's business (and CloudTrail's go through the limiter).
  const base = { region: 'us-east-1', credentials: CREDS, maxAttempts: 1 };
  const dead = 'http://127.0.0.1:9';
  return {
    cloudtrail: new CloudTrailClient({ ...base, endpoint: o.cloudtrail ?? dead }),
    s3: new S3Client({ ...base, endpoint: o.s3 ?? dead, forcePathStyle: true }),
    ec2: new EC2Client({ ...base, endpoint: dead }),
    iam: new IAMClient({ ...base, endpoint: dead }),
    sts: new STSClient({ ...base, endpoint: dead }),
    region: 'us-east-1',
    account: ACCOUNT,
    cloudtrailLimiter: o.limiter ?? new RateLimiter({ ratePerSec: 1000, marginMs: 0 }),
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** A clock that moves only when told; `runUntil` jumps from one sleeper's deadline to the next. */
export class ManualClock implements Clock {
  t = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({ at: this.t + ms, resolve }));
  }
  /** Drives `p` to completion: whenever everything else is idle, wakes the earliest sleeper. */
  async runUntil<T>(p: Promise<T>): Promise<T> {
    let done = false;
    const out = p.finally(() => void (done = true));
    while (!done) {
      await flush();
      if (done) break;
      this.sleepers.sort((a, b) => a.at - b.at);
      const s = this.sleepers[0];
      // Nobody waiting on the clock: an HTTP round trip is in flight; give it turns of the loop.
      if (!s) {
        await new Promise<void>((r) => setTimeout(r, 1));
        continue;
      }
      this.sleepers.shift();
      this.t = Math.max(this.t, s.at);
      s.resolve();
    }
    return out;
  }
}

export function ofType<T extends AnyRecord['type']>(records: AnyRecord[], type: T): Extract<AnyRecord, { type: T }>[] {
  return records.filter((r): r is Extract<AnyRecord, { type: T }> => r.type === type);
}
