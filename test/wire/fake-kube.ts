// A fake Kubernetes API server for core/v1 Events and Pods, over HTTPS on 127.0.0.1 with a
// throwaway self-signed certificate: client-node 2.x refuses plain http for a real cluster
// without skipTLSVerify, and we want the real TLS + bearer-token path. It speaks LIST
// (`{kind: EventList, metadata: {resourceVersion}, items}`) and WATCH (`watch=true|1`,
// newline-delimited `{type, object}`), replays history after a resourceVersion, and can drop
// streams, send bookmarks and answer 410 Gone (as HTTP status or as an ERROR watch event).
// https://github.com/kubernetes-client/javascript/blob/main/src/config.ts

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export type Resource = 'events' | 'pods';
type Obj = Record<string, any>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

interface Change {
  rv: number;
  resource: Resource;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

interface OpenWatch {
  resource: Resource;
  namespace: string | undefined;
  res: ServerResponse;
}

export interface TestCert {
  cert: string;
  key: string;
}

/** A self-signed certificate for IP 127.0.0.1, made by openssl in a temp dir. */
export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'fb-kube-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new Error('the Kubernetes wire tests need `openssl` on PATH to make a test certificate');
    throw new Error(`openssl failed to make a test certificate: ${e.stderr?.toString() ?? e.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const TOKEN = 'fake-token-for-tests';

/** A KubeConfig for the fake server, built in code (no file, no ~/.kube). */
export function kubeConfigFor(server: string, caPem: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, caData: Buffer.from(caPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'tester', token: TOKEN }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return kc;
}

export class FakeKube {
  readonly requests: RecordedRequest[] = [];
  /** How a too-old watch is refused: an HTTP 410 Status, or a 200 stream with an ERROR event. */
  goneAs: 'http' | 'event' = 'event';
  private rv = 100;
  private compactedAt = 0;
  private readonly objects: Record<Resource, Map<string, Obj>> = { events: new Map(), pods: new Map() };
  private readonly history: Change[] = [];
  private readonly watches = new Set<OpenWatch>();
  private server: Server | undefined;
  private uidSeq = 0;

  constructor(private readonly tls: TestCert) {}

  async listen(): Promise<string> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.res.destroy();
    this.watches.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  openWatches(resource?: Resource): number {
    return [...this.watches].filter((w) => !resource || w.resource === resource).length;
  }

  watchRequests(resource: Resource): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.endsWith(`/${resource}`) && (r.query.watch === 'true' || r.query.watch === '1'),
    );
  }

  listRequests(resource: Resource): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.endsWith(`/${resource}`) && !(r.query.watch === 'true' || r.query.watch === '1'),
    );
  }

  /** A core/v1 Event object (not stored). */
  event(name: string, over: Obj = {}): Obj {
    return {
      metadata: { name, namespace: 'shop', uid: `uid-ev-${name}`, creationTimestamp: '2026-04-20T14:00:00Z' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      reason: 'Pulled',
      message: 'Successfully pulled image',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-a' },
      count: 1,
      firstTimestamp: '2026-04-20T14:00:00Z',
      lastTimestamp: '2026-04-20T14:00:00Z',
      ...over,
    };
  }

  /** A Pod object (not stored). */
  pod(name: string, over: Obj = {}): Obj {
    return {
      metadata: {
        name,
        namespace: 'shop',
        uid: `uid-pod-${name}-${++this.uidSeq}`,
        creationTimestamp: '2026-04-20T13:00:00Z',
      },
      spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'shop/web:1' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'app', restartCount: 0, state: { running: { startedAt: '2026-04-20T13:00:05Z' } } },
        ],
      },
      ...over,
    };
  }

  /** Stores an object (ADDED, or MODIFIED when its uid exists) with a fresh resourceVersion and streams it. */
  put(resource: Resource, object: Obj): Obj {
    const uid = object.metadata.uid as string;
    const type = this.objects[resource].has(uid) ? 'MODIFIED' : 'ADDED';
    return this.change(resource, type, object);
  }

  remove(resource: Resource, uid: string): void {
    const o = this.objects[resource].get(uid);
    if (o) this.change(resource, 'DELETED', o);
  }

  /** Like an etcd compaction: watches from any resourceVersion up to now get 410 Gone. */
  compact(): void {
    this.compactedAt = this.rv;
  }

  bookmark(): void {
    this.rv++;
    for (const w of this.watches)
      this.write(w, {
        type: 'BOOKMARK',
        object: { kind: 'Event', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } },
      });
  }

  /** Ends every open watch abruptly (socket destroyed, no clean end). */
  dropWatches(): void {
    for (const w of this.watches) w.res.destroy();
    this.watches.clear();
  }

  /** Ends every open watch cleanly, as an API server does when a watch's timeout is up. */
  endWatches(): void {
    for (const w of this.watches) w.res.end();
    this.watches.clear();
  }

  /** Sends `ERROR 410` to every open watch and ends it, as an API server whose history moved on. */
  expireWatches(): void {
    this.compact();
    for (const w of this.watches) {
      this.write(w, { type: 'ERROR', object: gone(this.compactedAt) });
      w.res.end();
    }
    this.watches.clear();
  }

  private change(resource: Resource, type: Change['type'], object: Obj): Obj {
    this.rv++;
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } };
    if (type === 'DELETED') this.objects[resource].delete(stored.metadata.uid);
    else this.objects[resource].set(stored.metadata.uid, stored);
    const c: Change = { rv: this.rv, resource, type, object: stored };
    this.history.push(c);
    for (const w of this.watches) if (matches(w, c)) this.write(w, { type, object: stored });
    return stored;
  }

  private write(w: OpenWatch, ev: unknown): void {
    if (!w.res.destroyed) w.res.write(`${JSON.stringify(ev)}\n`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      authorization: req.headers.authorization,
    });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?(events|pods)$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return status(res, 404, 'NotFound', `the server could not find ${url.pathname}`);
    const namespace = m[1] ? decodeURIComponent(m[1]) : undefined;
    const resource = m[2] as Resource;
    if (query.watch === 'true' || query.watch === '1')
      return this.serveWatch(res, resource, namespace, query.resourceVersion);
    const items = [...this.objects[resource].values()].filter((o) => !namespace || o.metadata.namespace === namespace);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: resource === 'events' ? 'EventList' : 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.rv) },
        items,
      }),
    );
  }

  private serveWatch(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    from: string | undefined,
  ): void {
    const since = from ? Number(from) : this.rv;
    if (from && since < this.compactedAt) {
      if (this.goneAs === 'http')
        return status(res, 410, 'Expired', `too old resource version: ${from} (${this.compactedAt})`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone(this.compactedAt, from) })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const w: OpenWatch = { resource, namespace, res };
    res.flushHeaders();
    for (const c of this.history) if (c.rv > since && matches(w, c)) this.write(w, { type: c.type, object: c.object });
    this.watches.add(w);
    res.on('close', () => this.watches.delete(w));
  }
}

function matches(w: OpenWatch, c: Change): boolean {
  return w.resource === c.resource && (!w.namespace || c.object.metadata.namespace === w.namespace);
}

function gone(at: number, from?: string): Obj {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${from ?? '?'} (${at})`,
    reason: 'Expired',
    code: 410,
  };
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

/** Polls until `cond` holds; tests wait on conditions, never on fixed sleeps. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
