// The incident state: the fold of the journal. Scalars keep their history (who set what, when, at
// which seq) so offline review can show the state as of any record without refolding; long lists
// are append-only chunked logs whose order is seq order.

import type { PhaseId } from '../src/domain/phases.js';
import type { RoleId } from '../src/domain/roles.js';
import type { SeverityLevel } from '../src/domain/severity.js';
import type { EventSource } from '../src/domain/event.js';
import type { JournalHealth } from '../src/journal/journal.js';
import type { RecordData } from '../src/journal/records.js';
import { ChunkedLog, Interner } from './chunked.js';

/** A change of a scalar (severity, phase, a role, an incident time) with where it came from. */
export interface Change<T> {
  seq: number;
  ts: string;
  actor: string;
  value: T;
  reason?: string;
}

/** One `session.armed` record and, once it ended, the `session.disarmed` that ended it. */
export interface Arming extends Stamp {
  /** The account id or cluster name typed to arm. */
  target: string;
  /** The cockpit session that armed; absent in journals written before arming was per session. */
  session?: string;
  /** When it lapses (ms since the epoch); absent in those older journals. */
  until?: number;
  ended?: Stamp & { reason: 'disarmed' | 'expired' };
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
  /** The first target the event named ('' for none): what the events table shows. */
  target: string;
  /**
   * Every target it named, `target` first (store/event-targets.ts bounds them), only when there
   * are several: a one-target row carries no array, and there are millions of rows.
   */
  targets?: string[];
  scope: string;
  /** The AWS account or Kubernetes cluster it came from, when the source said (several watched at once). */
  where?: string;
  sourceIp: string;
  outcome: 'success' | 'failure' | 'unknown';
  errorCode: string | undefined;
  /** The access key that signed the call (CloudTrail), when there was one. */
  accessKeyId: string | undefined;
  /** firebreak's own call: the action id its user agent carried (src/domain/user-agent.ts). */
  ownAction?: string;
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
  | 'checkpoint'
  | 'action'
  | 'evidence'
  | 'custody'
  | 'exfiltration'
  | 'update'
  | 'regulatory'
  | 'action-item'
  | 'postmortem'
  | 'runbook'
  | 'score'
  | 'hunt'
  | 'share'
  | 'approval';

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
  /** For an action's steps (planned, dry run, confirmed, started, outcome, read-back): its id. */
  actionId?: string;
  /** For detections: the runbook the rule names ("credentials-leak: first move …"). */
  runbook?: string;
}

/** Where a record came from: its seq, time and actor. */
export interface Stamp {
  seq: number;
  ts: string;
  actor: string;
}

/**
 * One containment or evidence action's lifecycle as journaled. Every stage keeps its seq so review
 * can show the action as of any record (store/selectors.ts actionAsOf).
 */
export interface ActionState {
  actionId: string;
  planned: RecordData<'action.planned'> & Stamp;
  dryRuns: (RecordData<'action.dryrun'> & Stamp)[];
  confirmed: (RecordData<'action.confirmed'> & Stamp) | undefined;
  started: (RecordData<'action.started'> & Stamp) | undefined;
  /** The previous state undo needs, journaled before the first mutating call. */
  captured: (RecordData<'action.captured'> & Stamp) | undefined;
  /** Every mutating call's outcome, in order. */
  calls: (RecordData<'action.call'> & Stamp)[];
  succeeded: (RecordData<'action.succeeded'> & Stamp) | undefined;
  failed: (RecordData<'action.failed'> & Stamp) | undefined;
  verified: (RecordData<'action.verified'> & Stamp)[];
  /** Actions planned as this one's undo. */
  undoneBy: string[];
  /** Actions planned to complete this one (after it was partial). */
  completedBy: string[];
  /** The first event in which the cloud logged one of this action's calls ("landed in CloudTrail"). */
  landed?: { source: EventSource; eventTime: number; discoveredAt: number; eventKey: string; seq: number };
}

export type EvidenceRow = RecordData<'evidence.recorded'> & Stamp;
export type CustodyRow = RecordData<'custody.transferred'> & Stamp;

export interface ActionItemState {
  added: RecordData<'action-item.added'> & Stamp;
  updates: (RecordData<'action-item.updated'> & Stamp)[];
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
  /** Every arming, in journal order, with how it ended (store/arming.ts says which hold now). */
  armings: Arming[];
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
  /** Containment and evidence actions by actionId (copied on write: there are tens, not millions). */
  actions: Map<string, ActionState>;
  /** actionIds in planning order. */
  actionOrder: string[];
  /** Each action's steps on the timeline: their indices in `timeline`, oldest first (folding). */
  actionSteps: Map<string, number[]>;
  exfiltration: Change<{ active: boolean; reason: string }>[];
  evidence: EvidenceRow[];
  custody: CustodyRow[];
  updates: (RecordData<'update.recorded'> & Stamp)[];
  cadenceHours: Change<number>[];
  personalData: Change<RecordData<'personal-data.flagged'>>[];
  notifications: Change<RecordData<'notification.decided'>>[];
  actionItems: Map<string, ActionItemState>;
  postmortem: Change<RecordData<'postmortem.updated'>>[];
  runbookSteps: Change<RecordData<'runbook.step'>>[];
  scores: Change<RecordData<'drill.scored'>>[];
  /** A shared incident: this journal's writer id (share.writer), policy and approvals (store/approval.ts). */
  writerId: string | undefined;
  approvalPolicy: Change<RecordData<'approval.policy'>>[];
  approvalRequests: Map<string, RecordData<'approval.requested'> & Stamp>;
  approvalDecisions: (RecordData<'approval.decided'> & Stamp)[];
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
    armings: [],
    closed: [],
    timeline: new ChunkedLog(),
    events: new ChunkedLog(),
    eventIndex: new Map(),
    pins: new Map(),
    detections: new ChunkedLog(),
    interner: new Interner(),
    recordTimes: new ChunkedLog(),
    actions: new Map(),
    actionOrder: [],
    actionSteps: new Map(),
    exfiltration: [],
    evidence: [],
    custody: [],
    updates: [],
    cadenceHours: [],
    personalData: [],
    notifications: [],
    actionItems: new Map(),
    postmortem: [],
    runbookSteps: [],
    scores: [],
    writerId: undefined,
    approvalPolicy: [],
    approvalRequests: new Map(),
    approvalDecisions: [],
  };
}

export interface StoreMeta {
  file: string | undefined;
  readOnly: boolean;
  health: JournalHealth;
  /** What opening the journal found: a torn tail moved aside, the verify result. */
  openReport: string | undefined;
  /**
   * The last seq folded when the journal was opened. An action started at or before it with no
   * outcome was cut off by a crash: it is in doubt until re-verified, and never retried by itself.
   */
  loadedSeq: number;
  /**
   * The seq of the last record this session's commands wrote (0: none yet). The footer's
   * "recorded (seq N)" names it: the record the responder's command made, not a checkpoint the
   * journal added after it or an event a poller appended meanwhile.
   */
  lastWrittenSeq: number;
  /** This cockpit process's id: its armings are its own (store/arming.ts). */
  session: string;
}
