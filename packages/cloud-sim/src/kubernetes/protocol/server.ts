// A Kubernetes API server for drills and wire tests, over the cluster state in model/. It speaks
// the REST paths the containment and evidence actions call — pods (+ /log), services, nodes,
// namespaces, core/v1 events, apps/v1 ReplicaSets (read), networking.k8s.io/v1 NetworkPolicies, and
// discovery.k8s.io/v1 EndpointSlices derived from Services and pod labels — with the API
// server's habits that matter to a responder: PATCH obeys its Content-Type (a JSON object sent
// as JSON Patch is the real 400), `dryRun=All` validates without persisting, errors are Status
// objects with the real reasons, every change bumps resourceVersion, every answer carries an
// Audit-Id. Faults come from the SimRecorder; ops are named `<verb> <resource>[/<sub>]`
// (`patch pods`, `create networkpolicies`, `get pods/log`) like the audit log's verbs.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf, listen, SimRecorder, type RunningSim, type SimCall, type Tls } from '../../server/http.js';
import { KINDS, KubeCluster, notFound, qualified, type Kind } from '../model/cluster.js';
import { selectorMatcher, SelectorSyntaxError } from '../model/labels.js';
import { KubeStatusError, statusBody, validate, type KubeSeed, type Obj } from '../model/objects.js';
import { jsonPatch, mergePatch } from '../model/patch.js';

export type { KubeSeed } from '../model/objects.js';

const PATH = /^\/(?:api\/v1|apis\/([^/]+)\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/(log))?$/;

interface Route {
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  sub: 'log' | undefined;
  verb: 'get' | 'list' | 'create' | 'patch' | 'delete' | 'update';
}

export interface KubeSimOptions {
  /** The bearer token the sim accepts (requests without it get 401); none = any. */
  token?: string;
}

export class KubeSim extends KubeCluster {
  readonly recorder = new SimRecorder();
  /**
   * A misbehaving server or proxy that ignores labelSelector and fieldSelector and lists everything:
   * the client must check what it gets (tests set it; a conformant API server never does this).
   */
  ignoreSelectors = false;
  private running: RunningSim | undefined;

  constructor(
    seed: KubeSeed,
    private readonly o: KubeSimOptions = {},
  ) {
    super(seed);
  }

  async start(tls?: Tls): Promise<string> {
    this.running = await listen((req, body, res) => this.handle(req, body, res), tls);
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
  }

  /** The calls that changed (or, with dryRun, would have changed) something. */
  mutations(): SimCall[] {
    return this.recorder.calls.filter((c) => c.method !== 'GET');
  }

  private async handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const route = parseRoute(req.method ?? 'GET', url.pathname);
    const op = route
      ? `${route.verb} ${route.resource}${route.sub ? `/${route.sub}` : ''}`
      : `${req.method} ${url.pathname}`;
    const call: SimCall = {
      service: 'kubernetes',
      op,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: headersOf(req),
      body,
      params: paramsOf(body),
      status: 0,
    };
    this.recorder.calls.push(call);
    const auditId = randomUUID();
    let status = 200;
    let payload: string;
    let type = 'application/json';
    const extra: Record<string, string> = {};
    try {
      if (this.o.token && req.headers.authorization !== `Bearer ${this.o.token}`)
        throw new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
      const fault = this.recorder.takeFault(op);
      if (fault?.afterApply && route) this.serve(route, query, body, call.headers['content-type'] ?? '');
      // A cut connection (no status, no body) or an answer that never comes: the client sees only
      // its own error or deadline, and what landed is for the read-back to find.
      if (fault?.drop) {
        res.socket?.destroy();
        return;
      }
      if (fault?.hang) return;
      if (fault) {
        const retry = fault.status === 429 ? { 'retry-after': '1' } : undefined;
        throw new KubeStatusError(
          fault.status,
          fault.code,
          fault.message,
          retry ? { retryAfterSeconds: 1 } : undefined,
          retry,
        );
      }
      if (!route) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
      const out = this.serve(route, query, body, call.headers['content-type'] ?? '');
      if (typeof out === 'string') {
        payload = out;
        type = 'text/plain';
      } else {
        status = out.status;
        payload = JSON.stringify(out.body);
      }
    } catch (e) {
      if (!(e instanceof KubeStatusError)) throw e;
      status = e.code;
      payload = JSON.stringify(statusBody(e.code, e.reason, e.message, e.details));
      Object.assign(extra, e.headers);
    }
    call.status = status;
    res.writeHead(status, { 'content-type': type, 'audit-id': auditId, ...extra });
    res.end(payload);
  }

  private serve(
    r: Route,
    query: Record<string, string>,
    body: string,
    contentType: string,
  ): string | { status: number; body: Obj } {
    const kind = KINDS[r.resource];
    if (!kind) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    if (r.sub === 'log') return this.podLog(r, query);
    if (
      kind.namespaced &&
      r.namespace &&
      r.verb === 'create' &&
      !this.objects.get('namespaces')!.has(`/${r.namespace}`)
    )
      throw notFound('namespaces', r.namespace);
    if (query.dryRun !== undefined && query.dryRun !== 'All')
      throw new KubeStatusError(400, 'BadRequest', `Invalid dryRun value: ${query.dryRun}: supported values: "All"`);
    const dry = query.dryRun === 'All';
    const key = `${r.namespace ?? ''}/${r.name ?? ''}`;
    switch (r.verb) {
      case 'list':
        return { status: 200, body: this.listBody(r, kind, query) };
      case 'get': {
        const o =
          r.resource === 'endpointslices'
            ? this.endpointSlices(r.namespace).find((s) => s.metadata.name === r.name)
            : this.objects.get(r.resource)!.get(key);
        if (!o) throw notFound(r.resource, r.name!);
        return { status: 200, body: o };
      }
      case 'create': {
        if (!kind.writable)
          throw new KubeStatusError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const obj = parseJsonObject(body, 'error decoding body');
        const name = obj.metadata?.name;
        if (!name)
          throw new KubeStatusError(
            422,
            'Invalid',
            `${kind.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
          );
        if (kind.namespaced && obj.metadata.namespace && obj.metadata.namespace !== r.namespace)
          throw new KubeStatusError(
            400,
            'BadRequest',
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        if (this.objects.get(r.resource)!.has(`${r.namespace ?? ''}/${name}`))
          throw new KubeStatusError(409, 'AlreadyExists', `${qualified(r.resource)} "${name}" already exists`, {
            name,
            group: kind.group,
            kind: r.resource,
          });
        const created: Obj = {
          ...obj,
          apiVersion: kind.group ? `${kind.group}/v1` : 'v1',
          kind: kind.kind,
          metadata: {
            ...obj.metadata,
            ...(kind.namespaced ? { namespace: r.namespace } : {}),
            uid: randomUUID(),
            creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            generation: 1,
          },
        };
        validate(r.resource, created);
        // A pod created through the API has containers but no log yet: its logs read as empty.
        if (!dry && r.resource === 'pods')
          this.logs.set(
            `${r.namespace}/${name}`,
            ((created.spec?.containers ?? []) as Obj[]).map((c) => ({ name: String(c.name), log: '' })),
          );
        return {
          status: 201,
          body: dry
            ? { ...created, metadata: { ...created.metadata, resourceVersion: String(this.rv) } }
            : this.store(r.resource, created),
        };
      }
      case 'patch': {
        if (!kind.writable)
          throw new KubeStatusError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const cur = this.objects.get(r.resource)!.get(key);
        if (!cur) throw notFound(r.resource, r.name!);
        const next = applyPatch(cur, body, contentType, r);
        next.metadata = {
          ...next.metadata,
          name: cur.metadata.name,
          uid: cur.metadata.uid,
          resourceVersion: cur.metadata.resourceVersion,
        };
        if (kind.namespaced) next.metadata.namespace = cur.metadata.namespace;
        validate(r.resource, next);
        // An unchanged object is not written again: resourceVersion stays (the apiserver's no-op patch).
        if (dry || JSON.stringify(next) === JSON.stringify(cur)) return { status: 200, body: next };
        return { status: 200, body: this.store(r.resource, next) };
      }
      case 'delete': {
        if (!kind.writable)
          throw new KubeStatusError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const cur = this.objects.get(r.resource)!.get(key);
        if (!cur) throw notFound(r.resource, r.name!);
        if (!dry) this.remove(r.resource, r.namespace, r.name!);
        return {
          status: 200,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name: r.name, group: kind.group, kind: r.resource, uid: cur.metadata.uid },
          },
        };
      }
      default:
        throw new KubeStatusError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  private listBody(r: Route, kind: Kind, query: Record<string, string>): Obj {
    let items =
      r.resource === 'endpointslices'
        ? this.endpointSlices(r.namespace)
        : [...this.objects.get(r.resource)!.values()].filter(
            (o) => !r.namespace || o.metadata.namespace === r.namespace,
          );
    if (this.ignoreSelectors) return this.listOf(kind, items);
    if (query.labelSelector) {
      let m: ReturnType<typeof selectorMatcher>;
      try {
        m = selectorMatcher(query.labelSelector);
      } catch (e) {
        if (e instanceof SelectorSyntaxError) throw new KubeStatusError(400, 'BadRequest', e.message);
        throw e;
      }
      items = items.filter((o) => m(o.metadata.labels));
    }
    for (const term of (query.fieldSelector ?? '').split(',').filter(Boolean)) {
      const [field, value] = term.split(/==?/) as [string, string | undefined];
      items = items.filter((o) => String(field.split('.').reduce<any>((x, k) => x?.[k], o) ?? '') === (value ?? ''));
    }
    return this.listOf(kind, items);
  }

  private listOf(kind: Kind, items: Obj[]): Obj {
    return {
      kind: `${kind.kind}List`,
      apiVersion: kind.group ? `${kind.group}/v1` : 'v1',
      metadata: { resourceVersion: String(this.rv) },
      items,
    };
  }

  /** GET pods/NAME/log: text/plain, with the kubelet's 400s for a missing or unnamed container. */
  private podLog(r: Route, query: Record<string, string>): string {
    const pod = this.objects.get('pods')!.get(`${r.namespace}/${r.name}`);
    if (!pod) throw notFound('pods', r.name!);
    const containers = this.logs.get(`${r.namespace}/${r.name}`) ?? [];
    let c = containers.find((x) => x.name === query.container);
    if (!query.container) {
      if (containers.length !== 1)
        throw new KubeStatusError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${r.name}, choose one of: [${containers.map((x) => x.name).join(' ')}]`,
        );
      c = containers[0];
    }
    if (!c) throw new KubeStatusError(400, 'BadRequest', `container ${query.container} is not valid for pod ${r.name}`);
    const previous = query.previous === 'true' || query.previous === '1';
    if (previous && c.previousLog === undefined)
      throw new KubeStatusError(
        400,
        'BadRequest',
        `previous terminated container "${c.name}" in pod "${r.name}" not found`,
      );
    let text = (previous ? c.previousLog : c.log) ?? '';
    if (query.tailLines) {
      const lines = text.split('\n');
      const trailing = text.endsWith('\n') ? lines.pop() : undefined;
      text = lines.slice(-Number(query.tailLines)).join('\n') + (trailing !== undefined ? '\n' : '');
    }
    if (query.limitBytes) text = Buffer.from(text).subarray(0, Number(query.limitBytes)).toString('utf8');
    return text;
  }
}

function parseRoute(method: string, path: string): Route | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const [, group, namespace, resource, name, sub] = m;
  if (group && KINDS[resource!]?.group !== group) return undefined;
  if (!group && KINDS[resource!]?.group) return undefined;
  const verb =
    method === 'GET'
      ? name
        ? 'get'
        : 'list'
      : method === 'POST'
        ? 'create'
        : method === 'PATCH'
          ? 'patch'
          : method === 'DELETE'
            ? 'delete'
            : 'update';
  return {
    resource: resource!,
    namespace: namespace ? decodeURIComponent(namespace) : undefined,
    name: name ? decodeURIComponent(name) : undefined,
    sub: sub as 'log' | undefined,
    verb,
  };
}

function paramsOf(body: string): Record<string, unknown> {
  if (!body) return {};
  try {
    const v = JSON.parse(body) as unknown;
    if (Array.isArray(v)) return { patch: v };
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseJsonObject(body: string, what: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw new KubeStatusError(400, 'BadRequest', `${what}: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new KubeStatusError(
      400,
      'BadRequest',
      `${what}: json: cannot unmarshal array into Go value of type map[string]interface {}`,
    );
  return v;
}

/** PATCH by Content-Type, as the apiserver's patch handler does. */
function applyPatch(cur: Obj, body: string, contentType: string, r: Route): Obj {
  const ct = contentType.split(';')[0]!.trim();
  if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') {
    // Strategic merge differs from RFC 7386 only for lists with patch keys; the actions patch maps.
    const patch = parseJsonObject(body, 'error decoding patch');
    const wantRv = patch.metadata?.resourceVersion;
    if (wantRv !== undefined && wantRv !== cur.metadata.resourceVersion) {
      throw new KubeStatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(r.resource)} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: r.name, kind: r.resource },
      );
    }
    return mergePatch(cur, patch) as Obj;
  }
  if (ct === 'application/json-patch+json') {
    let ops: unknown;
    try {
      ops = JSON.parse(body);
    } catch (e) {
      throw new KubeStatusError(400, 'BadRequest', `error decoding patch: ${(e as Error).message}`);
    }
    // The client-node trap: a merge-style object sent with the default JSON Patch type.
    if (!Array.isArray(ops))
      throw new KubeStatusError(
        400,
        'BadRequest',
        `error decoding patch: json: cannot unmarshal ${ops === null ? 'null' : typeof ops === 'object' ? 'object' : typeof ops} into Go value of type []handlers.jsonPatchOp`,
      );
    return jsonPatch(cur, ops as Obj[]);
  }
  throw new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json, application/apply-patch+cbor`,
  );
}
