// LIST core/v1 Events or Pods through the generated CoreV1Api (the same TLS and auth path as
// every other call), but keep the response body as JSON text. The generated client
// deserialises into model classes, which turns timestamps into Dates and DROPS fields its
// model does not know; events are evidence, so we keep what the server sent. A per-call
// middleware (the optional 2nd argument of every call) copies the body before it is parsed.

import { STATUS_CODES } from 'node:http';
import {
  ApiException,
  CoreV1Api,
  Observable,
  ResponseContext,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';

export type KubeResource = 'events' | 'pods';

export interface ListResult {
  items: unknown[];
  /** The list's resourceVersion: where the following watch starts. */
  resourceVersion: string;
}

function captureBody(onText: (text: string) => void): ObservableMiddleware {
  return {
    pre: (ctx) => new Observable(Promise.resolve(ctx)),
    post: (res) =>
      new Observable(
        (async () => {
          const text = await res.body.text();
          onText(text);
          const body = { text: async () => text, binary: async () => Buffer.from(text), stream: () => null };
          return new ResponseContext(res.httpStatusCode, res.headers, body);
        })(),
      ),
  };
}

const PAGE = 500;

/** All pages of one list. Pages share the first page's snapshot, so the last page's RV is the list's. */
export async function listRaw(
  kc: KubeConfig,
  resource: KubeResource,
  namespace?: string,
  signal?: AbortSignal,
): Promise<ListResult> {
  const api = kc.makeApiClient(CoreV1Api);
  const items: unknown[] = [];
  let resourceVersion = '';
  let cont: string | undefined;
  do {
    if (signal?.aborted) throw new Error('stopped');
    let text = '';
    const options = { middleware: [captureBody((t) => (text = t))], middlewareMergeStrategy: 'append' as const };
    const page = { limit: PAGE, ...(cont ? { _continue: cont } : {}) };
    try {
      if (resource === 'events') {
        if (namespace) await api.listNamespacedEvent({ namespace, ...page }, options);
        else await api.listEventForAllNamespaces(page, options);
      } else if (namespace) await api.listNamespacedPod({ namespace, ...page }, options);
      else await api.listPodForAllNamespaces(page, options);
    } catch (err) {
      // For statuses the OpenAPI spec declares (401), the generated code drops the body, and
      // with it the Status message; we captured it, so put it back.
      if (err instanceof ApiException && err.body === undefined && text)
        throw new ApiException(err.code, 'list failed', text, err.headers);
      throw err;
    }
    const body = JSON.parse(text) as { metadata?: { resourceVersion?: string; continue?: string }; items?: unknown[] };
    items.push(...(Array.isArray(body.items) ? body.items : []));
    resourceVersion = body.metadata?.resourceVersion ?? '';
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return { items, resourceVersion };
}

/** HTTP status of a failed list or watch: ApiException.code, or the watch's `.statusCode`. */
export function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** A short reason for a status line: "HTTP 403 Forbidden: …", "ECONNREFUSED", "watch idle 30s". */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiException) {
    let msg = '';
    try {
      const st = JSON.parse(String(err.body)) as { message?: string };
      msg = st.message ?? '';
    } catch {
      msg = typeof err.body === 'string' ? err.body.slice(0, 200) : '';
    }
    return `HTTP ${err.code}: ${msg || STATUS_CODES[err.code] || 'error'}`;
  }
  const e = err as {
    name?: string;
    message?: string;
    statusCode?: number;
    cause?: { code?: string; message?: string };
  } | null;
  if (!e) return 'connection closed';
  if (e.name === 'TimeoutError') return 'timed out';
  if (typeof e.statusCode === 'number') return `HTTP ${e.statusCode} ${e.message ?? ''}`.trim();
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'error'}: ${cause}` : (e.message ?? String(err));
}
