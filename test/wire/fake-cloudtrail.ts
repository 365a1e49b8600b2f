// The pollers' view of the simulated CloudTrail (@firebreak/cloud-sim): the same server, plus what
// the poller tests assert on — each request's arrival time (the 2 req/s tests), its X-Amz-Target and
// body — and their fault helpers ("the next n requests after `skip` fail", "every request fails").

import { listen, parseForm, serveQuery, StsSim, type RunningSim, CloudTrailSim } from '@firebreak/cloud-sim';

export interface FakeEvent {
  id: string;
  /** Epoch ms. */
  time: number;
  name: string;
  /** The CloudTrailEvent string as sent; omitted (undefined) to send an item without it. */
  cloudTrailEvent: string | undefined;
}

export interface RecordedRequest {
  /** Arrival, epoch ms (performance-based, sub-ms). */
  at: number;
  target: string;
  body: Record<string, unknown>;
  status: number;
}

interface Failure {
  status: number;
  type: string;
  message: string;
}

export const THROTTLE: Failure = { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
export const THROTTLE_429: Failure = { status: 429, type: 'TooManyRequestsException', message: 'Too many requests' };
export const ACCESS_DENIED: Failure = {
  status: 400,
  type: 'AccessDeniedException',
  message: 'User: arn:aws:iam::123456789012:user/responder is not authorized to perform: cloudtrail:LookupEvents',
};
export const EXPIRED: Failure = {
  status: 400,
  type: 'ExpiredTokenException',
  message: 'The security token included in the request is expired',
};

/** A minimal but valid CloudTrail record. */
export function record(id: string, time: number, name = 'DescribeInstances'): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
      accountId: '123456789012',
    },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: null,
    responseElements: null,
    eventID: id,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
  };
}

export class FakeCloudTrail {
  readonly sim = new CloudTrailSim();
  /** A live poller asks STS which account it reads (its LookupEvents budget is per account). */
  readonly sts = new StsSim({ account: '123456789012' });
  readonly requests: RecordedRequest[] = [];
  private failures: (Failure | undefined)[] = [];
  /** Every request fails this way until cleared (AccessDenied, expired credentials). */
  failAll: Failure | undefined;
  private running: RunningSim | undefined;
  endpoint = '';

  /** Adds a well-formed event (any time: later calls model late delivery). */
  add(id: string, time: number, name = 'DescribeInstances'): void {
    this.addRaw({ id, time, name, cloudTrailEvent: JSON.stringify(record(id, time, name)) });
  }

  addRaw(e: FakeEvent): void {
    this.sim.add({ eventId: e.id, eventTime: e.time, eventName: e.name, cloudTrailEvent: e.cloudTrailEvent ?? null });
  }

  /** The next `n` requests (after `skip` successful ones) fail with `f`. */
  failNext(n: number, f: Failure = THROTTLE, skip = 0): void {
    this.failures = [...Array<undefined>(skip).fill(undefined), ...Array<Failure>(n).fill(f)];
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res) => {
      if (!String(req.headers['x-amz-target'] ?? '').includes('CloudTrail') && parseForm(body).Action)
        return serveQuery([this.sts], req, body, res);
      const at = performance.timeOrigin + performance.now();
      // A fault for exactly this request: injected just before the sim answers it (synchronously).
      const f = this.failures.shift() ?? this.failAll;
      if (f) this.sim.recorder.fail({ op: /.*/, status: f.status, code: f.type, message: f.message, times: 1 });
      const call = this.sim.handle(req, body, res);
      this.sim.recorder.clearFaults();
      this.requests.push({
        at,
        target: String(req.headers['x-amz-target'] ?? ''),
        body: call.params,
        status: call.status,
      });
    });
    this.endpoint = this.running.url;
    return this.endpoint;
  }

  async close(): Promise<void> {
    await this.running?.close();
  }
}
