// core/v1 Events and Pod changes, as JSON from the API server (list items or watch objects),
// → IncidentEvent. Everything in them is attacker-influenced (names, labels, messages), so
// fields are read by type only and the object is kept as `raw`, untouched.
//
// Ids decide what "the same event" means, because the watcher drops ids it has delivered
// (relists after 410 Gone replay every object):
// - An Event object is aggregated by the API server: the kubelet bumps `count` (or
//   `series.count`) and `lastTimestamp` on the SAME object (same uid) for every repeat
//   ("BackOff ×12"). Each occurrence is a fact worth a row, so id = uid#count; the same
//   occurrence seen again (relist, watch replay) is a duplicate. Without a count, the
//   resourceVersion names the object's state: id = uid@resourceVersion.
// - A Pod change is one state of the pod: id = uid@resourceVersion. An unchanged pod relisted
//   keeps its resourceVersion, so it is not repeated. A pod is deleted once: uid:deleted, so a
//   deletion we synthesise after a relist and the watch's DELETED are the same event.
// Occurrences that happened while disconnected collapse into the latest one (the API server
// keeps only the aggregate); its count says how many there were.

import type { IncidentEvent } from '../../domain/event.js';

type Obj = Record<string, unknown>;

function obj(x: unknown): Obj | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined;
}
function str(x: unknown): string | undefined {
  return typeof x === 'string' && x !== '' ? x : undefined;
}
function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}
/** A timestamp as UTC ISO, or undefined when absent or unparseable. */
function time(x: unknown): string | undefined {
  const s = str(x);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export type NormaliseResult = { ok: true; event: IncidentEvent } | { ok: false; reason: string };

/** `Pod` → `pods`, `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`: the REST resource. */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** The id of one occurrence of a core/v1 Event (see the header). */
export function coreEventId(e: Obj): string | undefined {
  const meta = obj(e.metadata);
  const uid = str(meta?.uid);
  if (!uid) return undefined;
  const count = num(e.count) ?? num(obj(e.series)?.count);
  if (count !== undefined) return `${uid}#${count}`;
  const rv = str(meta?.resourceVersion);
  return rv ? `${uid}@${rv}` : uid;
}

export function normaliseCoreEvent(raw: unknown, discoveredAt: string): NormaliseResult {
  const e = obj(raw);
  if (!e) return { ok: false, reason: 'not a core/v1 Event: not an object' };
  const meta = obj(e.metadata);
  const id = coreEventId(e);
  if (!id) return { ok: false, reason: 'not a core/v1 Event: metadata.uid missing' };
  const inv = obj(e.involvedObject);
  const kind = str(inv?.kind);
  const name = str(inv?.name);
  // lastTimestamp is the latest occurrence for old-style reporters; new-style (events.k8s.io
  // writers) leave it null and put the latest in series.lastObservedTime, the first in eventTime.
  const eventTime =
    time(e.lastTimestamp) ??
    time(obj(e.series)?.lastObservedTime) ??
    time(e.eventTime) ??
    time(meta?.creationTimestamp) ??
    discoveredAt;
  const namespace = str(meta?.namespace) ?? str(inv?.namespace);
  const event: IncidentEvent = {
    source: 'kubernetes',
    id,
    eventTime,
    discoveredAt,
    actor: str(obj(e.source)?.component) ?? str(e.reportingComponent) ?? 'unknown',
    action: str(e.reason) ?? 'Event',
    targets: kind && name ? [`${resourceOf(kind)}/${name}`] : [],
    outcome: e.type === 'Warning' ? 'failure' : 'success',
    raw,
    ...(namespace ? { namespace } : {}),
  };
  return { ok: true, event };
}

export type PodChange = 'ADDED' | 'MODIFIED' | 'DELETED' | 'LISTED';

const POD_ACTION: Record<PodChange, string> = {
  ADDED: 'pod.added',
  MODIFIED: 'pod.modified',
  DELETED: 'pod.deleted',
  // In a list: the pod exists now; we did not see it change.
  LISTED: 'pod.observed',
};

export interface PodSummary {
  phase: string;
  /** Sum of restartCount over all containers, init containers included. */
  restarts: number;
  /** Why a container is failing (CrashLoopBackOff, OOMKilled, ImagePullBackOff, …). */
  failureReason?: string;
  /** The latest transition the object records (conditions, container starts and ends). */
  lastChange?: string;
}

const HEALTHY_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

export function podSummary(raw: unknown): PodSummary {
  const status = obj(obj(raw)?.status);
  const phase = str(status?.phase) ?? 'Unknown';
  let restarts = 0;
  let failureReason: string | undefined;
  let lastChange: string | undefined;
  const later = (t: string | undefined) => {
    if (t && (!lastChange || t > lastChange)) lastChange = t;
  };
  for (const c of Array.isArray(status?.conditions) ? status.conditions : []) later(time(obj(c)?.lastTransitionTime));
  const containers = [status?.initContainerStatuses, status?.containerStatuses].flatMap((l) =>
    Array.isArray(l) ? l : [],
  );
  for (const c of containers) {
    const cs = obj(c);
    restarts += num(cs?.restartCount) ?? 0;
    const state = obj(cs?.state);
    const waiting = str(obj(state?.waiting)?.reason);
    const terminated = obj(state?.terminated);
    if (waiting && !HEALTHY_WAITING.has(waiting)) failureReason ??= waiting;
    if (terminated && terminated.exitCode !== 0) failureReason ??= str(terminated.reason) ?? 'Error';
    later(time(obj(state?.running)?.startedAt));
    later(time(terminated?.finishedAt));
    later(time(obj(obj(cs?.lastState)?.terminated)?.finishedAt));
  }
  if (phase === 'Failed') failureReason ??= str(status?.reason) ?? 'Failed';
  return { phase, restarts, ...(failureReason ? { failureReason } : {}), ...(lastChange ? { lastChange } : {}) };
}

/** The id of one pod state (see the header). */
export function podEventId(change: PodChange, pod: Obj): string | undefined {
  const meta = obj(pod.metadata);
  const uid = str(meta?.uid);
  if (!uid) return undefined;
  if (change === 'DELETED') return `${uid}:deleted`;
  const rv = str(meta?.resourceVersion);
  return rv ? `${uid}@${rv}` : uid;
}

/**
 * One pod change. `discoveredAt` doubles as the time of live changes: a watch delivers within
 * milliseconds, and the object does not say when a label or a deletion happened
 * (deletionTimestamp is the END of the grace period, not the request).
 */
export function normalisePod(change: PodChange, raw: unknown, discoveredAt: string): NormaliseResult {
  const pod = obj(raw);
  if (!pod) return { ok: false, reason: 'not a Pod: not an object' };
  const meta = obj(pod.metadata);
  const id = podEventId(change, pod);
  const name = str(meta?.name);
  if (!id || !name) return { ok: false, reason: 'not a Pod: metadata.uid or metadata.name missing' };
  const s = podSummary(pod);
  const created = time(meta?.creationTimestamp);
  const eventTime =
    change === 'ADDED'
      ? (created ?? discoveredAt)
      : change === 'LISTED'
        ? (s.lastChange ?? created ?? discoveredAt)
        : discoveredAt;
  const node = str(obj(pod.spec)?.nodeName);
  const namespace = str(meta?.namespace);
  const failed = change !== 'DELETED' && s.failureReason !== undefined;
  const event: IncidentEvent = {
    source: 'kubernetes',
    id,
    eventTime,
    discoveredAt,
    // The object does not say who changed it; the audit log does.
    actor: 'unknown',
    action: POD_ACTION[change],
    targets: [`pods/${name}`, ...(node ? [`nodes/${node}`] : [])],
    outcome: failed ? 'failure' : 'success',
    raw,
    ...(namespace ? { namespace } : {}),
    ...(failed ? { errorCode: s.failureReason } : {}),
  };
  return { ok: true, event };
}
