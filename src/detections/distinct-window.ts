// Counting distinct things (secrets, object keys) one principal touches within a sliding window,
// by event time: CloudTrail delivers minutes late and out of order, so a burst is found wherever
// it falls, not only when its calls arrive together.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html

import type { IncidentEvent } from '../domain/event.js';
import { timeMs } from './read.js';

export interface DistinctWindowOptions {
  /** Distinct items that make a burst. */
  threshold: number;
  /** Window length in ms, by event time. */
  windowMs: number;
  /** How late an event may arrive and still count (default 20 min: CloudTrail's ~15 + margin). */
  lateMs?: number;
  /** Principals remembered at once; the least recently seen is forgotten first (default 5,000). */
  maxPrincipals?: number;
}

export interface Touch {
  t: number;
  item: string;
  /** The event key of the call that touched it. */
  key: string;
  failed: boolean;
}

export interface Burst {
  /** Window start, epoch ms. */
  start: number;
  /** The distinct items in the window, each at its latest touch. */
  touches: Touch[];
}

interface PrincipalState {
  /** Latest uncounted touch per item. */
  items: Map<string, Touch>;
  /** Windows already reported, [start, end): their calls raise nothing more. */
  fired: [number, number][];
  last: number;
}

/**
 * Per principal, the latest touch of each distinct item. `add` reports a burst once per principal
 * per window, when `threshold` distinct items fall within `windowMs`; the items counted are then
 * forgotten. Memory: at most maxPrincipals × 4·threshold items; touches older than the newest seen
 * minus window and lateness are dropped, and so are principals gone quiet.
 */
export function createDistinctWindow(opts: DistinctWindowOptions) {
  const threshold = Math.max(1, opts.threshold);
  const windowMs = opts.windowMs;
  const lateMs = opts.lateMs ?? 20 * 60_000;
  const maxPrincipals = opts.maxPrincipals ?? 5_000;
  const perPrincipal = 4 * threshold;
  const byPrincipal = new Map<string, PrincipalState>();
  let newest = -Infinity;

  return {
    add(e: IncidentEvent, principal: string, items: readonly string[], key: string, failed: boolean): Burst | null {
      const t = timeMs(e);
      if (t === undefined || !items.length) return null;
      // A clock far ahead of when we learned of the call would push every later call past the
      // horizon; such a record is not counted.
      const discovered = Date.parse(e.discoveredAt);
      if (Number.isFinite(discovered) && t > discovered + 3_600_000) return null;
      newest = Math.max(newest, t);
      const horizon = newest - windowMs - lateMs;
      if (t < horizon) return null;

      const s = byPrincipal.get(principal) ?? { items: new Map<string, Touch>(), fired: [], last: t };
      byPrincipal.delete(principal); // re-inserted last: Map order = least recently seen first
      for (const [p, q] of byPrincipal) {
        if (byPrincipal.size >= maxPrincipals || q.last < horizon) byPrincipal.delete(p);
        else break;
      }
      byPrincipal.set(principal, s);
      s.last = Math.max(s.last, t);

      s.fired = s.fired.filter(([, end]) => end >= horizon);
      if (s.fired.some(([a, end]) => t >= a && t < end)) return null;
      for (const item of items) {
        const old = s.items.get(item);
        if (!old || old.t < t) s.items.set(item, { t, item, key, failed });
      }
      let sorted = [...s.items.values()].filter((x) => x.t >= horizon).sort((a, b) => a.t - b.t);
      if (sorted.length > perPrincipal) sorted = sorted.slice(-perPrincipal);
      s.items = new Map(sorted.map((x) => [x.item, x]));

      // Before this call no window held `threshold` items, so a new burst contains time t.
      for (let i = 0; i < sorted.length && sorted[i]!.t <= t; i++) {
        const start = sorted[i]!.t;
        if (start <= t - windowMs) continue;
        const touches = sorted.filter((x) => x.t >= start && x.t < start + windowMs);
        if (touches.length < threshold) continue;
        for (const x of touches) s.items.delete(x.item);
        s.fired.push([start, start + windowMs]);
        return { start, touches };
      }
      return null;
    },
  };
}
