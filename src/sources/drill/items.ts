// What a drill delivers, and the id of each delivery as it can be recognised again in a journal.
// A re-opened drill journal must not get the same event, detection or inject twice, and the
// journal records carry no "drill item id" field — so each id is derived from what the record
// does carry.

import { eventKey, type IncidentEvent } from '../../domain/event.js';
import type { AnyRecord, RecordData } from '../../journal/records.js';

export type DetectionData = RecordData<'detection.raised'>;

interface ItemBase {
  /** Unique in the scenario; see `deliveredItemId`. */
  id: string;
  /** Sim time (epoch ms) at which the cockpit learns of it. */
  deliverAt: number;
  /** Position in the file, for a stable order among items due at the same instant. */
  order: number;
}

/** A branch condition on an event item: the key of the event whose fate decides it. */
export type Branch = { blocked: string } | { allowed: string };

export type DrillItem =
  | (ItemBase & { kind: 'event'; event: IncidentEvent; when?: Branch })
  | (ItemBase & { kind: 'detection'; detection: DetectionData })
  | (ItemBase & { kind: 'inject'; injectId: string; text: string; simTime: string });

/** An event's item id is its dedupe key, so the store's own event index doubles as the list. */
export function eventItemId(e: Pick<IncidentEvent, 'source' | 'id'>): string {
  return eventKey(e);
}

/** A scripted detection is identified by its rule and the events it names (unique per scenario). */
export function detectionItemId(d: Pick<DetectionData, 'ruleId' | 'eventKeys'>): string {
  return `detection:${d.ruleId}@${d.eventKeys.join(',')}`;
}

export function injectItemId(id: string): string {
  return `inject:${id}`;
}

/**
 * The drill item a journal record stands for, if any. Feed every record of a re-opened journal
 * through this (e.g. from `scanJournal`'s callback) to build `DrillRunnerOptions.delivered`.
 */
export function deliveredItemId(record: Pick<AnyRecord, 'type' | 'data'>): string | undefined {
  const r = record as AnyRecord;
  switch (r.type) {
    case 'event.ingested':
      return eventItemId(r.data.event);
    case 'detection.raised':
      return detectionItemId(r.data);
    case 'drill.inject':
      return injectItemId(r.data.id);
    default:
      return undefined;
  }
}

/** Ties at one instant: events first, so a detection never names an event not yet in the store. */
const KIND_RANK = { event: 0, detection: 1, inject: 2 } as const;

export function compareItems(a: DrillItem, b: DrillItem): number {
  return a.deliverAt - b.deliverAt || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.order - b.order;
}
