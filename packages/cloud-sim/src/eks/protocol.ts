// The simulated EKS over restJson1, as the real @aws-sdk/client-eks sends it: the two Pod
// Identity reads firebreak makes, with the API's paging (maxResults 1–100, an opaque nextToken
// bound to the first call's filter) and restJson1 errors (`x-amzn-errortype` plus a JSON
// `message`). Faults (SimFault) are taken per operation name.
//   GET /clusters/{name}/pod-identity-associations?namespace=&serviceAccount=&maxResults=&nextToken=
//   GET /clusters/{name}/pod-identity-associations/{associationId}
// https://docs.aws.amazon.com/eks/latest/APIReference/API_ListPodIdentityAssociations.html
// https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribePodIdentityAssociation.html
// https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization

import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf, listen, requestId, SimRecorder, type RunningSim, type SimCall } from '../server/http.js';
import { EksError, EksModel, type EksAssociation, type EksSeed } from './model.js';

export type { EksAssociation, EksAssociationSeed, EksClusterSeed, EksSeed } from './model.js';

const LIST = /^\/clusters\/([^/]+)\/pod-identity-associations\/?$/;
const DESCRIBE = /^\/clusters\/([^/]+)\/pod-identity-associations\/([^/]+)$/;

/** The operation a request is, by its method and path (undefined: not an operation the sim knows). */
export function eksOperation(method: string | undefined, path: string): string | undefined {
  if (method !== 'GET') return undefined;
  if (LIST.test(path)) return 'ListPodIdentityAssociations';
  if (DESCRIBE.test(path)) return 'DescribePodIdentityAssociation';
  return undefined;
}

/** Does this request belong to EKS? SigV4 names the service in the credential scope. */
export function isEksRequest(req: IncomingMessage): boolean {
  return /\/eks\/aws4_request/.test(String(req.headers.authorization ?? ''));
}

const seconds = (ms: number) => ms / 1000;

export class EksSim extends EksModel {
  readonly recorder: SimRecorder;
  private running: RunningSim | undefined;

  constructor(seed: EksSeed, recorder = new SimRecorder()) {
    super(seed);
    this.recorder = recorder;
  }

  async start(): Promise<string> {
    this.running = await listen((req, body, res) => void this.handle(req, body, res));
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  handle(req: IncomingMessage, body: string, res: ServerResponse): SimCall {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const op = eksOperation(req.method, path) ?? `${req.method} ${path}`;
    const call: SimCall = {
      service: 'eks',
      op,
      method: req.method ?? '',
      path: req.url ?? '',
      query,
      headers: headersOf(req),
      body,
      params: { ...query },
      status: 200,
    };
    this.recorder.calls.push(call);
    const reply = (status: number, payload: unknown, errorType?: string) => {
      call.status = status;
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId(),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(JSON.stringify(payload));
    };
    const fail = (e: EksError) => reply(e.status, { message: e.message }, e.code);

    if (!eksOperation(req.method, path))
      return (fail(new EksError(404, 'UnknownOperationException', `${req.method} ${path}`)), call);
    const fault = this.recorder.takeFault(op);
    if (fault) {
      if (fault.drop) {
        res.socket?.destroy();
        return call;
      }
      if (fault.hang) return call;
      return (fail(new EksError(fault.status, fault.code, fault.message)), call);
    }
    try {
      const list = LIST.exec(path);
      if (list) reply(200, this.listPage(decodeURIComponent(list[1]!), query));
      else {
        const m = DESCRIBE.exec(path)!;
        const a = this.describe(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        call.params['clusterName'] = a.clusterName;
        reply(200, { association: this.full(a) });
      }
    } catch (e) {
      if (!(e instanceof EksError)) throw e;
      fail(e);
    }
    return call;
  }

  private listPage(cluster: string, q: Record<string, string>): unknown {
    const max = q['maxResults'] === undefined ? 100 : Number(q['maxResults']);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      throw new EksError(
        400,
        'InvalidParameterException',
        `maxResults must be between 1 and 100, got ${q['maxResults']}`,
      );
    const filter = {
      ...(q['namespace'] !== undefined ? { namespace: q['namespace'] } : {}),
      ...(q['serviceAccount'] !== undefined ? { serviceAccount: q['serviceAccount'] } : {}),
    };
    // The API refuses a service account filter without its namespace.
    if (filter.serviceAccount !== undefined && filter.namespace === undefined)
      throw new EksError(400, 'InvalidParameterException', 'serviceAccount can only be used together with namespace');
    const bound = JSON.stringify([cluster, filter, max]);
    let offset = 0;
    if (q['nextToken'] !== undefined) {
      const t = decodeToken(q['nextToken']);
      if (!t || t.bound !== bound) throw new EksError(400, 'InvalidParameterException', 'The nextToken is invalid.');
      offset = t.offset;
    }
    const all = this.list(cluster, filter);
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? encodeToken({ offset: offset + max, bound }) : undefined;
    return { associations: page.map((a) => this.summary(a)), ...(next ? { nextToken: next } : {}) };
  }

  private summary(a: EksAssociation): Record<string, unknown> {
    return {
      clusterName: a.clusterName,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      associationArn: a.associationArn,
      associationId: a.associationId,
      ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
    };
  }

  private full(a: EksAssociation): Record<string, unknown> {
    return {
      ...this.summary(a),
      roleArn: a.roleArn,
      tags: a.tags,
      createdAt: seconds(a.createdAt),
      modifiedAt: seconds(a.modifiedAt),
    };
  }
}

function encodeToken(t: { offset: number; bound: string }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): { offset: number; bound: string } | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { offset?: unknown; bound?: unknown };
    return typeof t.offset === 'number' && typeof t.bound === 'string'
      ? { offset: t.offset, bound: t.bound }
      : undefined;
  } catch {
    return undefined;
  }
}
