// The incident state: the fold of the journal. Scalars keep their history (who set what, when, at
// which seq) so offline review can show the state as of any record without refolding; long lists
// are append-only chunked logs whose order is seq order.

import type { PhaseId } from '../src/domain/phases.js';
import type { RoleId } from '../src/domain/roles.js';
import type { SeverityLevel } from '../src/domain/severity.js';
import type { EventSource } from '../src/domain/event.js';
import type { JournalHealth } from '../src/journal/journal.js';
import { ChunkedLog, Interner } from './chunked.js';

/** A change of a scalar (severity, phase, a role, an incident time) with where it came from. */
export interface Change<T> {
  seq: number;
  ts: string;
  actor: string;
  value: T;
  reason?: string;
}

export interface IncidentInfo {
  id: string;
  title: string;
  codename: string;
  mode: 'live' | 'drill';
  scenario?: string;
  openedAt: string;
}

/**
 * One event as the store holds it: the normalised fields the panes show, times as epoch ms, and
 * where the full record (with `raw`) sits in the journal, read back on demand for the detail view.
 */
export interface EventRow {
  seq: number;
  key: string;
  source: EventSource;
  id: string;
  eventTime: number;
  discoveredAt: number;
  actor: string;
  action: string;
  target: string;
  scope: string;
  sourceIp: string;
  outcome: 'success' | 'failure' | 'unknown';
  errorCode: string | undefined;
  offset: number;
  length: number;
}

export type TimelineKind =
  | 'opened'
  | 'updated'
  | 'severity'
  | 'phase'
  | 'role'
  | 'note'
  | 'pin'
  | 'detection'
  | 'armed'
  | 'closed'
  | 'inject'
  | 'checkpoint';

/** A timeline entry: everything but raw ingested events (those are the live-events pane). */
export interface TimelineEntry {
  seq: number;
  ts: string;
  kind: TimelineKind;
  actor: string;
  text: string;
  /** For pins and detections: the event's own time and when it was discovered (epoch ms). */
  eventTime?: number;
  discoveredAt?: number;
  /** For pins and detections: the pinned / triggering event keys. */
  eventKeys?: string[];
  /** For detections: the suggested severity. */
  severity?: SeverityLevel;
}

export interface IncidentState {
  /** Bumped by every applied record; derived indexes are memoised on it. */
  version: number;
  /** Last applied seq and its time. */
  seq: number;
  lastTs: string | undefined;
  incident: IncidentInfo | undefined;
  severity: Change<SeverityLevel>[];
  phase: Change<PhaseId>[];
  roles: Change<{ role: RoleId; person: string }>[];
  detectedAt: Change<string>[];
  containedAt: Change<string>[];
  resolvedAt: Change<string>[];
  armed: Change<string>[];
  closed: Change<string>[];
  timeline: ChunkedLog<TimelineEntry>;
  events: ChunkedLog<EventRow>;
  /** event key → index in `events` (for dedupe and pin lookup). */
  eventIndex: Map<string, number>;
  pins: Map<string, number>;
  detections: ChunkedLog<TimelineEntry>;
  interner: Interner;
  /** Time of every record (epoch ms), index seq-1: review's clock, scrubbing by time. */
  recordTimes: ChunkedLog<number>;
}

export function emptyState(): IncidentState {
  return {
    version: 0,
    seq: 0,
    lastTs: undefined,
    incident: undefined,
    severity: [],
    phase: [],
    roles: [],
    detectedAt: [],
    containedAt: [],
    resolvedAt: [],
    armed: [],
    closed: [],
    timeline: new ChunkedLog(),
    events: new ChunkedLog(),
    eventIndex: new Map(),
    pins: new Map(),
    detections: new ChunkedLog(),
    interner: new Interner(),
    recordTimes: new ChunkedLog(),
  };
}

export interface StoreMeta {
  file: string | undefined;
  readOnly: boolean;
  health: JournalHealth;
  /** What opening the journal found: a torn tail moved aside, the verify result. */
  openReport: string | undefined;
}
