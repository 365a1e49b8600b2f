// The simulated CloudTrail event history: LookupEvents over awsJson1_1, as
// the real SDK client sends it. POST /, `X-Amz-Target` ending in `.LookupEvents` (v3 sends the short
// `CloudTrail_20131101.LookupEvents`, botocore the long `com.amazonaws.cloudtrail.v20131101.…`),
// epoch-second timestamps, newest first, at most 50 a page, ONE lookup attribute per request,
// NextToken bound to the first call's parameters, and `{"__type": …}` error bodies. The pollers'
// wire tests, the evidence actions' wire tests and the drills all use this one server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, requestId, SimRecorder, type RunningSim, type SimCall } from '../server/http.js';
import { LakeQueries } from './lake.js';
import {
  ATTRIBUTE_KEYS,
  CloudTrailModel,
  DEFAULT_EVENT_DATA_STORE,
  type CloudTrailSeed,
  type StoredEvent,
} from './model.js';

export type { CloudTrailSeed, CloudTrailSeedEvent } from './model.js';

export class CloudTrailSim extends CloudTrailModel {
  readonly recorder: SimRecorder;
  /** CloudTrail Lake's queries over the same events (lake.ts); `lake.runs.failNext` injects a FAILED query. */
  readonly lake: LakeQueries;
  readonly eventDataStores: readonly string[];
  private running: RunningSim | undefined;

  constructor(seed: CloudTrailSeed = {}, recorder = new SimRecorder()) {
    super(seed);
    this.recorder = recorder;
    this.eventDataStores = seed.eventDataStores ?? [DEFAULT_EVENT_DATA_STORE];
    this.lake = new LakeQueries(this.eventDataStores, () => this.records());
  }

  /** An event data store's ARN, as CreateEventDataStore would name it. */
  eventDataStoreArn(id = this.eventDataStores[0]!): string {
    return `arn:aws:cloudtrail:${this.region}:${this.account}:eventdatastore/${id}`;
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
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const call: SimCall = {
      service: 'cloudtrail',
      op,
      method: req.method ?? '',
      path: req.url ?? '',
      query: {},
      headers,
      body,
      params: {},
      status: 200,
    };
    this.recorder.calls.push(call);
    const reply = (status: number, payload: unknown) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, type: string, message: string) => reply(status, { __type: type, message });

    if (req.method !== 'POST' || req.url !== '/')
      return (fail(404, 'UnknownOperationException', `${req.method} ${req.url}`), call);
    const lakeOps = ['StartQuery', 'DescribeQuery', 'GetQueryResults', 'CancelQuery'];
    if (op !== 'LookupEvents' && !lakeOps.includes(op))
      return (fail(400, 'UnknownOperationException', `unknown target ${target}`), call);
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
    const lake = this.lake.answer(op, input);
    if (lake) return (reply(lake.status, lake.body), call);
    const out = this.lookup(input);
    if ('error' in out) fail(400, out.error, out.message);
    else reply(200, out.page);
    return call;
  }

  private lookup(input: Record<string, unknown>): { page: unknown } | { error: string; message: string } {
    const { StartTime, EndTime, MaxResults, NextToken, LookupAttributes } = input;
    for (const t of [StartTime, EndTime]) {
      // The v3 SDK sends epoch seconds; an ISO string here would be a serialisation bug.
      if (t !== undefined && typeof t !== 'number')
        return { error: 'SerializationException', message: `timestamp ${String(t)}` };
    }
    const start = typeof StartTime === 'number' ? StartTime * 1000 : -Infinity;
    const end = typeof EndTime === 'number' ? EndTime * 1000 : Infinity;
    if (start > end) return { error: 'InvalidTimeRangeException', message: 'StartTime after EndTime' };
    const max = MaxResults === undefined ? 50 : Number(MaxResults);
    if (!(max >= 1 && max <= 50)) return { error: 'InvalidMaxResultsException', message: `MaxResults ${max}` };
    const attrs = Array.isArray(LookupAttributes)
      ? (LookupAttributes as { AttributeKey?: unknown; AttributeValue?: unknown }[])
      : [];
    if (attrs.length > 1)
      return {
        error: 'InvalidLookupAttributesException',
        message: 'You cannot specify more than one lookup attribute.',
      };
    const attr = attrs[0];
    if (
      attr &&
      (!ATTRIBUTE_KEYS.includes(attr.AttributeKey as never) ||
        typeof attr.AttributeValue !== 'string' ||
        !attr.AttributeValue)
    ) {
      return { error: 'InvalidLookupAttributesException', message: `invalid lookup attribute ${JSON.stringify(attr)}` };
    }

    const params = JSON.stringify([StartTime, EndTime, MaxResults, LookupAttributes]);
    let offset = 0;
    if (NextToken !== undefined) {
      const tok = decodeToken(NextToken);
      if (!tok || tok.params !== params) return { error: 'InvalidNextTokenException', message: 'Invalid NextToken' };
      offset = tok.offset;
    }
    const matching = this.events(
      start,
      end,
      attr ? { key: attr.AttributeKey as string, value: attr.AttributeValue as string } : undefined,
    );
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
}

function encodeToken(t: { offset: number; params: string }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

function decodeToken(s: unknown): { offset: number; params: string } | undefined {
  if (typeof s !== 'string') return undefined;
  try {
    const t = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as { offset?: unknown; params?: unknown };
    return typeof t.offset === 'number' && typeof t.params === 'string'
      ? { offset: t.offset, params: t.params }
      : undefined;
  } catch {
    return undefined;
  }
}
