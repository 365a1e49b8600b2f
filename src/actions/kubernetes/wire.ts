// How the Kubernetes actions talk to the API server through client-node 2.x: the typed API
// clients, the PATCH content type set explicitly on every patch (the client would otherwise send
// JSON Patch and a merge-style body gets a 400), and a call log that keeps the
// API server's Audit-Id of every answer (the request id the journal records) and, for evidence,
// the response body exactly as the server sent it (client-node deserialises into typed models,
// which drops fields it does not know and rewrites timestamps).
// https://github.com/kubernetes-client/javascript/issues/2160

import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  DiscoveryV1Api,
  NetworkingV1Api,
  Observable,
  PatchStrategy,
  ResponseContext,
  SelfDecodingBody,
  ServerConfiguration,
  setHeaderOptions,
  type Configuration,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseBody,
} from '@kubernetes/client-node';
import { firebreakUserAgent } from '../../domain/user-agent.js';
import { currentActionId, reportCall } from '../call-context.js';
import { KUBE_DEADLINE_MS } from './clients.js';
import { ActionError } from '../errors.js';

/** The version token of Kubernetes calls (the action id is what correlation needs). */
const KUBE_TOOL_VERSION = 'actions';
import type { ActionEnv, KubeClients, Target } from '../types.js';

export interface KubeApis {
  core: CoreV1Api;
  net: NetworkingV1Api;
  discovery: DiscoveryV1Api;
  apps: AppsV1Api;
}

export function kubeOf(env: ActionEnv): KubeClients {
  if (!env.kube)
    throw new ActionError('no Kubernetes session', 'NoKubernetes', 'start with firebreak live --context C');
  return env.kube;
}

/** A CallLog for one step, with the session's per-call deadline. */
export function callLog(env: ActionEnv): CallLog {
  return new CallLog(kubeOf(env).deadlineMs);
}

/**
 * Every call of the session's clients — plan reads and read-backs too, not only the steps that
 * go through a CallLog — aborts at the deadline and carries firebreak's user agent. This is
 * KubeConfig.makeApiClient with one more middleware: client-node's fetch has no timeout of its
 * own, so a read-back against a server that stopped answering would wait forever.
 */
function makeClient<T>(kc: KubeConfig, Api: new (c: Configuration) => T, deadlineMs: number): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ActionError('the kubeconfig has no current cluster', 'NoKubernetes');
  const deadline: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(AbortSignal.timeout(deadlineMs));
      return new Observable(Promise.resolve(tagKubeCall(ctx)));
    },
    post: (ctx) => new Observable(Promise.resolve(ctx)),
  };
  return new Api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      middleware: [deadline],
    }),
  );
}

export function apisOf(env: ActionEnv): KubeApis {
  const { kc, deadlineMs = KUBE_DEADLINE_MS } = kubeOf(env);
  return {
    core: makeClient(kc, CoreV1Api, deadlineMs),
    net: makeClient(kc, NetworkingV1Api, deadlineMs),
    discovery: makeClient(kc, DiscoveryV1Api, deadlineMs),
    apps: makeClient(kc, AppsV1Api, deadlineMs),
  };
}

/** Collects the Audit-Id of every answer (and the raw body of the last one) for one action step. */
export class CallLog {
  readonly requestIds: string[] = [];
  /** The last answer's body, byte for byte. */
  lastBytes: Buffer = Buffer.alloc(0);

  /** deadlineMs: each call aborts when it passes (fetch's AbortSignal), not just a warning. */
  constructor(private readonly deadlineMs: number = KUBE_DEADLINE_MS) {}

  /** The op of each request sent, oldest first: an answer is matched to the request before it. */
  private readonly sent: (string | undefined)[] = [];

  private middleware(): ObservableMiddleware {
    return {
      pre: (ctx: RequestContext) => {
        ctx.setSignal(AbortSignal.timeout(this.deadlineMs));
        this.sent.push(mutatingOp(ctx));
        return new Observable(Promise.resolve(tagKubeCall(ctx)));
      },
      post: (ctx: ResponseContext) =>
        new Observable(
          bytesOf(ctx.body).then(async (buf) => {
            const id = ctx.headers['audit-id'];
            if (id) this.requestIds.push(id);
            this.lastBytes = buf;
            const op = this.sent.shift();
            if (op)
              await reportCall({
                service: 'kubernetes',
                op,
                ok: ctx.httpStatusCode < 400,
                status: ctx.httpStatusCode,
                ...(id ? { requestId: id } : {}),
              });
            // The body stream is consumed: hand the client a buffered copy to deserialise.
            return new ResponseContext(ctx.httpStatusCode, ctx.headers, new SelfDecodingBody(Promise.resolve(buf)));
          }),
        ),
    };
  }

  /** Options for a read or a create. */
  opts(): ConfigurationOptions<ObservableMiddleware> {
    return { middleware: [this.middleware()], middlewareMergeStrategy: 'append' };
  }

  /** Options for a PATCH: the content type is always explicit. */
  patch(strategy: PatchStrategy = PatchStrategy.MergePatch): ConfigurationOptions<ObservableMiddleware> {
    return setHeaderOptions('Content-Type', strategy, this.opts());
  }
}

/** "PATCH nodes/ip-10-0-1-17" for a write, undefined for a read (what the runner journals per call). */
function mutatingOp(ctx: RequestContext): string | undefined {
  const m = String(ctx.getHttpMethod()).toUpperCase();
  if (m === 'GET' || m === 'HEAD') return undefined;
  const path = new URL(ctx.getUrl()).pathname
    .replace(/^\/api\/v1\/|^\/apis\/[^/]+\/[^/]+\//, '')
    .replace(/^namespaces\/[^/]+\/(?=.)/, '');
  return `${m} ${decodeURIComponent(path)}`;
}

/**
 * firebreak's user agent (with the running action's id) on every call, and `fieldManager=firebreak`
 * on every write, so the audit log's `userAgent` and managedFields name the response as ours.
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/#managers
 */
export function tagKubeCall(ctx: RequestContext): RequestContext {
  ctx.setHeaderParam('User-Agent', firebreakUserAgent(KUBE_TOOL_VERSION, currentActionId()));
  const m = String(ctx.getHttpMethod()).toUpperCase();
  if (m === 'POST' || m === 'PUT' || m === 'PATCH') ctx.setQueryParam('fieldManager', 'firebreak');
  return ctx;
}

/**
 * The response body as bytes. Read from the stream: client-node 2.0.1's `binary()` calls
 * `resp.buffer()`, which undici's Response does not have, and `text()` would re-encode a log
 * that is not valid UTF-8.
 */
async function bytesOf(body: ResponseBody): Promise<Buffer> {
  const stream = body.stream();
  if (!stream) return Buffer.from(await body.text(), 'utf8');
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** "namespace/name" → its parts (the pod target id). */
export function podRef(target: Target): { namespace: string; name: string } {
  const i = target.id.indexOf('/');
  if (i <= 0 || i === target.id.length - 1)
    throw new ActionError(`not a pod reference: "${target.id}" (expected namespace/name)`, 'BadTarget');
  return { namespace: target.id.slice(0, i), name: target.id.slice(i + 1) };
}

/** The HTTP status of a client-node ApiException, or undefined for anything else. */
export function httpStatus(e: unknown): number | undefined {
  const c = (e as { code?: unknown } | undefined)?.code;
  return typeof c === 'number' && e && typeof e === 'object' && 'body' in e ? c : undefined;
}

/** The Status message of a client-node ApiException (for the tolerated 400s of pods/log). */
export function statusMessage(e: unknown): string {
  const body = (e as { body?: unknown }).body;
  try {
    const st = typeof body === 'string' ? (JSON.parse(body) as { message?: string }) : (body as { message?: string });
    return st?.message ?? String(body);
  } catch {
    return String(body);
  }
}

export const NETWORK_POLICY_WARNINGS = [
  'NetworkPolicy is enforced only by a network plugin that implements it (Calico, Cilium…); without one the policy is accepted and does nothing — and the API never says which.',
  'Established connections may survive: whether a new deny cuts them is up to the plugin, and leaving a Service’s endpoints does not cut open TCP connections (kube-proxy keeps conntrack entries).',
  'Deny-all egress also blocks DNS; and no policy can block traffic from the pod’s own node (kubelet probes) or hostNetwork pods.',
];
