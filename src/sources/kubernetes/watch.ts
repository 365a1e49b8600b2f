// Live core/v1 Events and Pods: LIST, then WATCH from the list's resourceVersion, forever.
// We drive client-node's raw `Watch` instead of its informer: the informer
// STOPS on any error other than 410 / timeout / clean close and never asks for bookmarks.
// https://github.com/kubernetes-client/javascript/blob/main/src/cache.ts
// - 410 Gone (HTTP status, or an ERROR watch event with code 410): the resourceVersion fell out
//   of etcd's ~5 min history. Relist; ids already delivered are dropped (see normalise.ts).
//   At once: the list is the check, and only a failing list backs off.
// - Any other drop: reconnect from the last resourceVersion seen (event or BOOKMARK). A connection
//   that delivered data or stayed up is healthy: the backoff resets and the first reconnect goes
//   at once, so API servers ending watches every few minutes never add delay nor flap the header.
//   Only a reconnect that fails (or a connection that ends at once) backs off — exponential, with
//   jitter, capped — and only then is the state `reconnecting` (DEGRADED in the header).
// - Events go to the sink at once, in small batches: the API server forgets them after 1 h.
// https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes

import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { IncidentEvent } from '../../domain/event.js';
import { httpStatusOf, listRaw, reasonOf, type KubeResource } from './list.js';
import { normaliseCoreEvent, normalisePod, type NormaliseResult, type PodChange } from './normalise.js';
import { SeenIds } from './seen.js';

export type WatchState = 'listing' | 'watching' | 'reconnecting' | 'error' | 'stopped';

export interface KubeWatchStatus {
  resource: KubeResource;
  state: WatchState;
  resourceVersion?: string;
  /** Events handed to the sink so far. */
  events: number;
  lastEventAt?: string;
  /** Why we are reconnecting or failing: "reconnecting in 4s (ECONNREFUSED)". */
  message?: string;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** 0..1; injectable so tests are deterministic. */
  random?: () => number;
}

/** Time for the backoff, injectable so tests never sleep for real. */
export interface WatchClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface KubeWatcherOptions {
  kc: KubeConfig;
  /** Omit for all namespaces. */
  namespace?: string;
  sink: (events: IncidentEvent[]) => Promise<unknown>;
  onStatus?: (status: KubeWatchStatus) => void;
  now?: () => Date;
  backoff?: BackoffOptions;
  /** A watch that stayed open this long was healthy even without data (default 10 s). */
  healthyAfterMs?: number;
  clock?: WatchClock;
  /** Resources to watch; default both. */
  resources?: KubeResource[];
  /** How many delivered ids to remember per resource for dedupe. */
  maxSeen?: number;
  /** The cluster every event is stamped with (default: the context's cluster name). */
  cluster?: string;
}

type WatchEnd =
  { kind: 'gone' | 'closed' | 'timeout' | 'stopped' } | { kind: 'error'; reason: string; status?: number };

const systemClock: WatchClock = { now: () => Date.now(), sleep };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Settles with `p`, or rejects at once when `signal` aborts, so stop() never waits on a slow connect. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class KubeWatcher {
  private readonly abort = new AbortController();
  private readonly loops: ResourceLoop[];
  private pending: IncidentEvent[] = [];
  private flushing: Promise<void> | undefined;
  private flushTimer: NodeJS.Immediate | undefined;
  private running: Promise<unknown> | undefined;
  /** Which cluster the events came from: a session watching several acts on the right one. */
  readonly cluster: string | undefined;

  constructor(private readonly opts: KubeWatcherOptions) {
    this.cluster = opts.cluster ?? opts.kc.getCurrentCluster()?.name;
    const resources = opts.resources ?? ['events', 'pods'];
    this.loops = resources.map((r) => new ResourceLoop(r, opts, this.abort.signal, (e) => this.enqueue(e)));
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = Promise.all(this.loops.map((l) => l.run()));
  }

  /** Aborts every request, waits for the loops to end and the last batch to reach the sink. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.flush();
  }

  statuses(): KubeWatchStatus[] {
    return this.loops.map((l) => ({ ...l.status }));
  }

  private enqueue(events: IncidentEvent[]): void {
    const cluster = this.cluster;
    for (const e of events) this.pending.push(cluster ? { ...e, cluster } : e);
    // One batch per event-loop turn: a watch chunk of many lines becomes one sink call.
    this.flushTimer ??= setImmediate(() => {
      this.flushTimer = undefined;
      void this.flush();
    });
  }

  /** Sink calls are serialised, so batches arrive in order. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.opts.sink(batch).then(
      () => undefined,
      (err: unknown) => {
        for (const l of this.loops) l.note(`sink failed: ${reasonOf(err)}`);
      },
    );
    await this.flushing;
    this.flushing = undefined;
    if (this.pending.length) await this.flush();
  }
}

class ResourceLoop {
  readonly status: KubeWatchStatus;
  private readonly seen: SeenIds;
  private readonly path: string;
  private readonly now: () => Date;
  private resourceVersion: string | undefined;
  /** Pods present now, by uid, to report those deleted while we were not watching. */
  private readonly livePods = new Map<string, unknown>();
  private attempt = 0;
  /** Set by any watch event: the connection delivered data. */
  private gotData = false;
  private readonly clock: WatchClock;

  constructor(
    private readonly resource: KubeResource,
    private readonly opts: KubeWatcherOptions,
    private readonly signal: AbortSignal,
    private readonly deliver: (events: IncidentEvent[]) => void,
  ) {
    this.status = { resource, state: 'listing', events: 0 };
    this.seen = new SeenIds(opts.maxSeen ?? 100_000);
    this.path = opts.namespace
      ? `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/${resource}`
      : `/api/v1/${resource}`;
    this.now = opts.now ?? (() => new Date());
    this.clock = opts.clock ?? systemClock;
  }

  note(message: string): void {
    this.setStatus({ message });
  }

  async run(): Promise<void> {
    while (!this.signal.aborted) {
      let listed = false;
      if (this.resourceVersion === undefined) {
        this.setStatus({ state: 'listing', message: undefined });
        try {
          const list = await untilAborted(
            listRaw(this.opts.kc, this.resource, this.opts.namespace, this.signal),
            this.signal,
          );
          this.onList(list.items);
          // `attempt` is reset by a healthy watch only, so list/410 loops still back off.
          this.resourceVersion = list.resourceVersion;
          listed = true;
        } catch (err) {
          if (this.signal.aborted) break;
          await this.backoff(reasonOf(err), httpStatusOf(err));
          continue;
        }
      }
      this.setStatus({ state: 'watching', resourceVersion: this.resourceVersion, message: undefined });
      this.gotData = false;
      const openedAt = this.clock.now();
      const end = await this.watchOnce(this.resourceVersion);
      if (end.kind === 'stopped' || this.signal.aborted) break;
      const healthy = this.gotData || this.clock.now() - openedAt >= (this.opts.healthyAfterMs ?? 10_000);
      if (healthy) this.attempt = 0;
      if (end.kind === 'gone') {
        // The server forgot our resourceVersion (after a restart, a long gap): relist at once,
        // whatever the backoff had reached. Only a watch refused straight after its own fresh list
        // backs off, so a confused server is not hammered with list → 410 → list.
        this.resourceVersion = undefined;
        if (listed && !healthy) await this.backoff('410 Gone right after a relist');
      } else if (end.kind === 'timeout') {
        // client-node ends a watch after 30 s without a byte (2.0.1); quiet, not broken.
        continue;
      } else if (healthy) {
        // A healthy connection ended (a server's routine close, a dropped socket): reconnect at
        // once; if that reconnect fails, the next pass backs off.
        this.attempt = 1;
      } else if (end.kind === 'closed') {
        await this.backoff('watch closed by server');
      } else if (end.kind === 'error') {
        await this.backoff(end.reason, end.status);
      }
    }
    this.setStatus({ state: 'stopped', message: undefined });
  }

  private async backoff(reason: string, httpStatus?: number): Promise<void> {
    const { initialMs = 1000, maxMs = 30_000, random = Math.random } = this.opts.backoff ?? {};
    const base = Math.min(maxMs, initialMs * 2 ** this.attempt);
    // Jitter in [½, 1] of the step, so many cockpits do not reconnect in lockstep.
    const ms = Math.round(base * (0.5 + random() / 2));
    this.attempt++;
    const secs = ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`;
    // 401/403 will not heal by itself (RBAC, expired token), so say so more loudly; still retry.
    const state: WatchState = httpStatus === 401 || httpStatus === 403 ? 'error' : 'reconnecting';
    this.setStatus({ state, message: `reconnecting in ${secs} (${reason})` });
    await this.clock.sleep(ms, this.signal);
  }

  private watchOnce(resourceVersion: string | undefined): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      let errorEvent: WatchEnd | undefined;
      let controller: AbortController | undefined;
      let settled = false;
      const finish = (end: WatchEnd) => {
        if (settled) return;
        settled = true;
        this.signal.removeEventListener('abort', onAbort);
        controller?.abort();
        resolve(end);
      };
      const onAbort = () => finish({ kind: 'stopped' });
      this.signal.addEventListener('abort', onAbort);

      const onEvent = (type: string, obj: unknown) => {
        if (settled) return;
        const meta = (obj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
        const rv = typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : undefined;
        if (type === 'ERROR') {
          const st = obj as { code?: unknown; message?: unknown; reason?: unknown } | null;
          errorEvent =
            st?.code === 410
              ? { kind: 'gone' }
              : {
                  kind: 'error',
                  reason: `watch error ${String(st?.code ?? '')} ${String(st?.message ?? st?.reason ?? '')}`.trim(),
                };
          finish(errorEvent);
          return;
        }
        if (rv) this.resourceVersion = rv;
        this.gotData = true;
        if (type === 'BOOKMARK') {
          this.setStatus({ resourceVersion: this.resourceVersion });
          return;
        }
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.onChange(type, obj);
      };
      const onDone = (err: unknown) => {
        if (errorEvent) return finish(errorEvent);
        if (this.signal.aborted) return finish({ kind: 'stopped' });
        if (!err) return finish({ kind: 'closed' });
        if ((err as { name?: string }).name === 'TimeoutError') return finish({ kind: 'timeout' });
        const status = httpStatusOf(err);
        if (status === 410) return finish({ kind: 'gone' });
        finish({ kind: 'error', reason: reasonOf(err), ...(status ? { status } : {}) });
      };
      const query = { allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) };
      new Watch(this.opts.kc).watch(this.path, query, onEvent, onDone).then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        // watch() rejects (rather than calling done) when auth cannot be applied.
        (err: unknown) => onDone(err ?? new Error('watch failed')),
      );
    });
  }

  private onList(items: unknown[]): void {
    const discoveredAt = this.now().toISOString();
    const out: NormaliseResult[] = [];
    if (this.resource === 'events') {
      for (const it of items) out.push(normaliseCoreEvent(it, discoveredAt));
    } else {
      const present = new Set<string>();
      for (const it of items) {
        const uid = uidOf(it);
        if (uid) present.add(uid);
        out.push(normalisePod('LISTED', it, discoveredAt));
      }
      // After a relist: pods we knew that are gone now were deleted while we were away.
      for (const [uid, pod] of this.livePods)
        if (!present.has(uid)) out.push(normalisePod('DELETED', pod, discoveredAt));
      this.livePods.clear();
      for (const it of items) {
        const uid = uidOf(it);
        if (uid) this.livePods.set(uid, it);
      }
    }
    this.emit(out);
  }

  private onChange(type: PodChange, obj: unknown): void {
    const discoveredAt = this.now().toISOString();
    if (this.resource === 'events') {
      // Events are deleted by the API server's TTL (1 h): noise, not a fact about the cluster.
      if (type !== 'DELETED') this.emit([normaliseCoreEvent(obj, discoveredAt)]);
      return;
    }
    const uid = uidOf(obj);
    if (uid) {
      if (type === 'DELETED') this.livePods.delete(uid);
      else this.livePods.set(uid, obj);
    }
    this.emit([normalisePod(type, obj, discoveredAt)]);
  }

  private emit(results: NormaliseResult[]): void {
    const fresh: IncidentEvent[] = [];
    for (const r of results) {
      if (r.ok && this.seen.add(r.event.id)) fresh.push(r.event);
    }
    if (fresh.length === 0) return;
    this.setStatus({ events: this.status.events + fresh.length, lastEventAt: this.now().toISOString() });
    this.deliver(fresh);
  }

  private setStatus(patch: Partial<KubeWatchStatus>): void {
    Object.assign(this.status, patch);
    for (const k of Object.keys(patch) as (keyof KubeWatchStatus)[]) if (patch[k] === undefined) delete this.status[k];
    this.opts.onStatus?.({ ...this.status });
  }
}

function uidOf(o: unknown): string | undefined {
  const uid = (o as { metadata?: { uid?: unknown } } | null)?.metadata?.uid;
  return typeof uid === 'string' && uid ? uid : undefined;
}
