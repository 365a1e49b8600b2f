// The simulated cloud's common HTTP plumbing. Drills run the action code paths unchanged — the
// real AWS SDK v3 and client-node clients — against these servers on 127.0.0.1, so a tabletop
// team presses the same keys with the same calls as in a live session, and the wire tests use
// the very same servers (over HTTPS for Kubernetes) with faults injected. Only drills and tests
// use them: a live session always talks to the real endpoints.

import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as a sim saw it: what the tests assert on (the exact operation and body). */
export interface SimCall {
  service: string;
  /** The API operation (EC2 `Action=`, `X-Amz-Target`, `PATCH /api/v1/...`). */
  op: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** The parsed parameters (query-protocol fields, JSON body) where the sim parsed them. */
  params: Record<string, unknown>;
  status: number;
}

/**
 * A fault to inject: the next `times` calls whose op matches answer with this error instead.
 * `status` and `code` follow the service's own error shape (EC2 XML, IAM XML, JSON, Kubernetes Status).
 */
export interface SimFault {
  op: string | RegExp;
  status: number;
  code: string;
  message: string;
  times?: number;
  /** The server applies the request first, then answers the fault (a 504 after the change landed). */
  afterApply?: boolean;
  /** Let this many matching calls through first (fail the second of two: skip 1). */
  skip?: number;
  /** The connection is cut instead of answering (no status at all: a dropped VPN, a proxy reset). */
  drop?: boolean;
  /** Never answers (the caller's deadline must end the call); the server's close cuts it. */
  hang?: boolean;
}

export class SimRecorder {
  readonly calls: SimCall[] = [];
  private faults: (SimFault & { left: number; pass: number })[] = [];

  fail(f: SimFault): void {
    this.faults.push({ ...f, left: f.times ?? 1, pass: f.skip ?? 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault for this op, consuming one use; undefined if none applies. */
  takeFault(op: string): SimFault | undefined {
    const f = this.faults.find((x) => x.left > 0 && (typeof x.op === 'string' ? x.op === op : x.op.test(op)));
    if (!f) return undefined;
    if (f.pass > 0) {
      f.pass--;
      return undefined;
    }
    f.left--;
    return f;
  }

  /** The calls of one op (mutating ones are what double-press tests count). */
  of(op: string): SimCall[] {
    return this.calls.filter((c) => c.op === op);
  }
}

export interface Tls {
  cert: string;
  key: string;
}

export interface RunningSim {
  server: Server;
  /** http(s)://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/** `raw` is the body's exact bytes, for sims that checksum them (S3 `x-amz-checksum-sha256`). */
export type Handler = (req: IncomingMessage, body: string, res: ServerResponse, raw: Buffer) => void | Promise<void>;

export function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRaw(req)).toString('utf8');
}

export function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Starts a sim on 127.0.0.1 (never any other address) on a free port. */
export async function listen(handler: Handler, tls?: Tls): Promise<RunningSim> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    readRaw(req)
      .then((raw) => handler(req, raw.toString('utf8'), res, raw))
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sim error: ${e instanceof Error ? e.message : String(e)}`);
      });
  };
  const server = tls ? createHttps({ cert: tls.cert, key: tls.key }, onRequest) : createHttp(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** `a=1&b=2` (the AWS query protocol's form body) as a flat map. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** Escapes text for an XML element body (EC2 / IAM / S3 responses). */
export function xml(s: string | number | boolean): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

let counter = 0;
/** A request id in the AWS shape (so journals and messages look as they would live). */
export function requestId(): string {
  counter++;
  const hex = (counter.toString(16) + Date.now().toString(16)).padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
