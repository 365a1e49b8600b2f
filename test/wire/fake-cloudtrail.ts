// A small CloudTrail LookupEvents server on 127.0.0.1 speaking awsJson1_1 (research/apis.md §1.6),
// so tests drive the REAL SDK client: POST /, X-Amz-Target `*.LookupEvents`, epoch-second times,
// newest first, NextToken bound to the first call's parameters, `{"__type": ...}` error bodies.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
export const EXPIRED: Failure = { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };

/** A minimal but valid CloudTrail record. */
export function record(id: string, time: number, name = 'DescribeInstances'): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/ops/alice', accountId: '123456789012' },
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
  readonly events: FakeEvent[] = [];
  readonly requests: RecordedRequest[] = [];
  private failures: (Failure | undefined)[] = [];
  /** Every request fails this way until cleared (AccessDenied, expired credentials). */
  failAll: Failure | undefined;
  private server: Server | undefined;
  endpoint = '';

  /** Adds a well-formed event (any time: later calls model late delivery). */
  add(id: string, time: number, name = 'DescribeInstances'): void {
    this.events.push({ id, time, name, cloudTrailEvent: JSON.stringify(record(id, time, name)) });
  }

  addRaw(e: FakeEvent): void {
    this.events.push(e);
  }

  /** The next `n` requests (after `skip` successful ones) fail with `f`. */
  failNext(n: number, f: Failure = THROTTLE, skip = 0): void {
    this.failures = [...Array<undefined>(skip).fill(undefined), ...Array<Failure>(n).fill(f)];
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
    return this.endpoint;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    let body: Record<string, unknown> = {};
    const rec: RecordedRequest = { at, target, body, status: 200 };
    this.requests.push(rec);
    const reply = (status: number, payload: unknown) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.requests.length}` });
      res.end(JSON.stringify(payload));
    };
    const fail = (f: Failure) => reply(f.status, { __type: f.type, message: f.message });

    if (req.method !== 'POST' || req.url !== '/') return fail({ status: 404, type: 'UnknownOperationException', message: `${req.method} ${req.url}` });
    if (!target.endsWith('.LookupEvents')) return fail({ status: 400, type: 'UnknownOperationException', message: `unknown target ${target}` });
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return fail({ status: 400, type: 'SerializationException', message: `content-type ${req.headers['content-type']}` });
    }
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      rec.body = body;
    } catch {
      return fail({ status: 400, type: 'SerializationException', message: 'body is not JSON' });
    }

    const queued = this.failures.shift();
    if (queued) return fail(queued);
    if (this.failAll) return fail(this.failAll);

    const { StartTime, EndTime, MaxResults, NextToken, LookupAttributes } = body;
    for (const t of [StartTime, EndTime]) {
      // The v3 SDK sends epoch seconds; ISO strings would be a serialisation bug.
      if (t !== undefined && typeof t !== 'number') return fail({ status: 400, type: 'SerializationException', message: `timestamp ${String(t)}` });
    }
    const start = typeof StartTime === 'number' ? StartTime * 1000 : -Infinity;
    const end = typeof EndTime === 'number' ? EndTime * 1000 : Infinity;
    if (start > end) return fail({ status: 400, type: 'InvalidTimeRangeException', message: 'StartTime after EndTime' });
    const max = MaxResults === undefined ? 50 : Number(MaxResults);
    if (!(max >= 1 && max <= 50)) return fail({ status: 400, type: 'InvalidMaxResultsException', message: `MaxResults ${max}` });

    const params = JSON.stringify([StartTime, EndTime, MaxResults, LookupAttributes]);
    let offset = 0;
    if (NextToken !== undefined) {
      const tok = decodeToken(NextToken);
      if (!tok || tok.params !== params) return fail({ status: 400, type: 'InvalidNextTokenException', message: 'Invalid NextToken' });
      offset = tok.offset;
    }
    const matching = this.events.filter((e) => e.time >= start && e.time <= end).sort((a, b) => b.time - a.time);
    const page = matching.slice(offset, offset + max);
    const next = offset + max < matching.length ? encodeToken({ offset: offset + max, params }) : undefined;
    reply(200, {
      Events: page.map((e) => ({
        EventId: e.id,
        EventName: e.name,
        EventSource: 'ec2.amazonaws.com',
        ReadOnly: 'true',
        Username: 'alice',
        EventTime: e.time / 1000,
        Resources: [],
        ...(e.cloudTrailEvent !== undefined ? { CloudTrailEvent: e.cloudTrailEvent } : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    });
  }
}

function encodeToken(t: { offset: number; params: string }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

function decodeToken(s: unknown): { offset: number; params: string } | undefined {
  if (typeof s !== 'string') return undefined;
  try {
    const t = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as { offset?: unknown; params?: unknown };
    return typeof t.offset === 'number' && typeof t.params === 'string' ? { offset: t.offset, params: t.params } : undefined;
  } catch {
    return undefined;
  }
}
