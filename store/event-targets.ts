// Every target an event names, as the store keeps it: a pod event names its pod and the node it
// runs on, a CloudTrail call the resources it touched. Bounded and deduplicated on ingest, because
// an imported or forged event may name thousands (the actions pane offers each one's actions).

import type { EventRow } from './state.js';

/** How many of an event's targets are kept (in the order the source named them). */
export const MAX_EVENT_TARGETS = 8;

/**
 * The first MAX_EVENT_TARGETS distinct non-empty targets, in order. A target an earlier one already
 * names as its path prefix adds nothing (the bucket ARN after the object's): S3 data events, most of
 * CloudTrail's volume, list both, and a second array per row costs ~100 bytes a million times over.
 */
export function boundedTargets(targets: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (out.length === MAX_EVENT_TARGETS) break;
    if (t && !out.some((o) => o === t || o.startsWith(`${t}/`))) out.push(t);
  }
  return out;
}

/** Every kept target of a row: `targets` when it named several, else its one `target` (or none). */
export function eventTargets(row: Pick<EventRow, 'target' | 'targets'>): readonly string[] {
  return row.targets ?? (row.target ? [row.target] : []);
}
