// The simulated CloudTrail event history: LookupEvents over awsJson1_1 (research/apis.md §1.6), as
// the real SDK client sends it. POST /, `X-Amz-Target` ending in `.LookupEvents` (v3 sends the short
// `CloudTrail_20131101.LookupEvents`, botocore the long `com.amazonaws.cloudtrail.v20131101.…`),
// epoch-second timestamps, newest first, at most 50 a page, ONE lookup attribute per request,
// NextToken bound to the first call's parameters, and `{"__type": …}` error bodies. The pollers'
// wire tests, the evidence actions' wire tests and the drills all use this one server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, requestId, SimRecorder, type RunningSim, type SimCall } from './http.js';

/** One seeded event, as plain data (a drill scenario writes these). */
export interface CloudTrailSeedEvent {
  eventId: string;
  /** ISO-8601 UTC, or epoch ms. */
  eventTime: string | number;
  eventName: string;
  eventSource?: string;
  /** What LookupEvents calls `Username`: the IAM user name, or the role SESSION name for assumed roles. */
  username?: string;
  accessKeyId?: string;
  readOnly?: boolean;
  resources?: { type: string; name: string }[];
  /**
   * The `CloudTrailEvent` string exactly as sent. Undefined: built from the fields above.
   * Null: the item is sent without one (the API documents every member as optional).
   */
  cloudTrailEvent?: string | null;
}

export interface CloudTrailSeed {
  events?: CloudTrailSeedEvent[];
  account?: string;
  region?: string;
}

interface StoredEvent {
  seed: CloudTrailSeedEvent;
  /** Epoch ms. */
  time: number;
}

/** The attribute keys the API accepts (API_LookupAttribute). */
const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;

export class CloudTrailSim {
  readonly recorder: SimRecorder;
  private readonly stored: StoredEvent[] = [];
  private readonly account: string;
  private readonly region: string;
  private running: RunningSim | undefined;

  constructor(seed: CloudTrailSeed = {}, recorder = new SimRecorder()) {
    this.recorder = recorder;
    this.account = seed.account ?? '123456789012';
    this.region = seed.region ?? 'us-east-1';
    for (const e of seed.events ?? []) this.add(e);
  }

  /** Adds an event at any time (an old time models CloudTrail's late delivery). */
  add(e: CloudTrailSeedEvent): void {
    const time = typeof e.eventTime === 'number' ? e.eventTime : Date.parse(e.eventTime);
    if (!Number.isFinite(time)) throw new Error(`seed event ${e.eventId}: bad eventTime ${String(e.eventTime)}`);
    this.stored.push({ seed: e, time });
  }

  /** Removes every event (a drill reset). */
  clear(): void {
    this.stored.length = 0;
  }

  get url(): string {
    if (!this.running) throw new Error('CloudTrail sim not started');
    return this.running.url;
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res) => void this.handle(req, body, res));
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  /**
   * Answers one request, synchronously, and returns the call as recorded (so an adapter can pair
   * it with its own bookkeeping, e.g. arrival times for rate tests).
   */
  handle(req: IncomingMessage, body: string, res: ServerResponse): SimCall {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.slice(target.lastIndexOf('.') + 1) || `${req.method} ${req.url}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const call: SimCall = { service: 'cloudtrail', op, method: req.method ?? '', path: req.url ?? '', query: {}, headers, body, params: {}, status: 200 };
    this.recorder.calls.push(call);
    const reply = (status: number, payload: unknown) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, type: string, message: string) => reply(status, { __type: type, message });

    if (req.method !== 'POST' || req.url !== '/') return (fail(404, 'UnknownOperationException', `${req.method} ${req.url}`), call);
    if (op !== 'LookupEvents') return (fail(400, 'UnknownOperationException', `unknown target ${target}`), call);
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return (fail(400, 'SerializationException', `content-type ${req.headers['content-type']}`), call);
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
      call.params = input;
    } catch {
      return (fail(400, 'SerializationException', 'body is not JSON'), call);
    }
    const fault = this.recorder.takeFault(op);
    if (fault) return (fail(fault.status, fault.code, fault.message), call);
    const out = this.lookup(input);
    if ('error' in out) fail(400, out.error, out.message);
    else reply(200, out.page);
    return call;
  }

  private lookup(input: Record<string, unknown>): { page: unknown } | { error: string; message: string } {
    const { StartTime, EndTime, MaxResults, NextToken, LookupAttributes } = input;
    for (const t of [StartTime, EndTime]) {
      // The v3 SDK sends epoch seconds; an ISO string here would be a serialisation bug.
      if (t !== undefined && typeof t !== 'number') return { error: 'SerializationException', message: `timestamp ${String(t)}` };
    }
    const start = typeof StartTime === 'number' ? StartTime * 1000 : -Infinity;
    const end = typeof EndTime === 'number' ? EndTime * 1000 : Infinity;
    if (start > end) return { error: 'InvalidTimeRangeException', message: 'StartTime after EndTime' };
    const max = MaxResults === undefined ? 50 : Number(MaxResults);
    if (!(max >= 1 && max <= 50)) return { error: 'InvalidMaxResultsException', message: `MaxResults ${max}` };
    const attrs = Array.isArray(LookupAttributes) ? (LookupAttributes as { AttributeKey?: unknown; AttributeValue?: unknown }[]) : [];
    if (attrs.length > 1) return { error: 'InvalidLookupAttributesException', message: 'You cannot specify more than one lookup attribute.' };
    const attr = attrs[0];
    if (attr && (!ATTRIBUTE_KEYS.includes(attr.AttributeKey as never) || typeof attr.AttributeValue !== 'string' || !attr.AttributeValue)) {
      return { error: 'InvalidLookupAttributesException', message: `invalid lookup attribute ${JSON.stringify(attr)}` };
    }

    const params = JSON.stringify([StartTime, EndTime, MaxResults, LookupAttributes]);
    let offset = 0;
    if (NextToken !== undefined) {
      const tok = decodeToken(NextToken);
      if (!tok || tok.params !== params) return { error: 'InvalidNextTokenException', message: 'Invalid NextToken' };
      offset = tok.offset;
    }
    const matching = this.stored
      .filter((e) => e.time >= start && e.time <= end && (!attr || matches(e.seed, attr.AttributeKey as string, attr.AttributeValue as string)))
      .sort((a, b) => b.time - a.time);
    const page = matching.slice(offset, offset + max);
    const next = offset + max < matching.length ? encodeToken({ offset: offset + max, params }) : undefined;
    return { page: { Events: page.map((e) => this.item(e)), ...(next ? { NextToken: next } : {}) } };
  }

  private item(e: StoredEvent): Record<string, unknown> {
    const s = e.seed;
    const raw = s.cloudTrailEvent === undefined ? JSON.stringify(this.record(e)) : s.cloudTrailEvent;
    return {
      EventId: s.eventId,
      EventName: s.eventName,
      EventSource: s.eventSource ?? 'ec2.amazonaws.com',
      ReadOnly: String(s.readOnly ?? true),
      Username: s.username ?? 'alice',
      ...(s.accessKeyId ? { AccessKeyId: s.accessKeyId } : {}),
      EventTime: e.time / 1000,
      Resources: (s.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
      ...(raw !== null ? { CloudTrailEvent: raw } : {}),
    };
  }

  /** A minimal but valid CloudTrail record for a seed event without its own. */
  private record(e: StoredEvent): Record<string, unknown> {
    const s = e.seed;
    return {
      eventVersion: '1.11',
      userIdentity: {
        type: 'IAMUser',
        arn: `arn:aws:iam::${this.account}:user/${s.username ?? 'alice'}`,
        accountId: this.account,
        ...(s.accessKeyId ? { accessKeyId: s.accessKeyId } : {}),
      },
      eventTime: new Date(e.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: s.eventSource ?? 'ec2.amazonaws.com',
      eventName: s.eventName,
      awsRegion: this.region,
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.30',
      requestParameters: null,
      responseElements: null,
      eventID: s.eventId,
      readOnly: s.readOnly ?? true,
      eventType: 'AwsApiCall',
      recipientAccountId: this.account,
    };
  }
}

function matches(s: CloudTrailSeedEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventId':
      return s.eventId === value;
    case 'EventName':
      return s.eventName === value;
    case 'ReadOnly':
      return String(s.readOnly ?? true) === value;
    case 'Username':
      return (s.username ?? 'alice') === value;
    case 'EventSource':
      return (s.eventSource ?? 'ec2.amazonaws.com') === value;
    case 'AccessKeyId':
      return s.accessKeyId === value;
    case 'ResourceName':
      return (s.resources ?? []).some((r) => r.name === value);
    case 'ResourceType':
      return (s.resources ?? []).some((r) => r.type === value);
    default:
      return false;
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
