// What the reports are written from: plain data, projected from the incident state by
// store/report-facts.ts (src never reads the store), so the update, the post-mortem and the
// evidence manifest are pure functions tested with fixtures, and every report written from the
// same journal says the same thing.

import type { ActionStatus } from '../actions/types.js';
import type { PhaseId } from '../domain/phases.js';
import type { SeverityLevel } from '../domain/severity.js';
import type { RecordData } from '../journal/records.js';

export type Audience = RecordData<'update.recorded'>['audience'];
export const AUDIENCES: readonly Audience[] = ['internal', 'leadership', 'legal', 'customers'];

export function isAudience(x: unknown): x is Audience {
  return AUDIENCES.includes(x as Audience);
}

export interface TargetFact {
  kind: string;
  id: string;
  label: string;
  scope?: string;
}

export type ActionOutcome = ActionStatus;

export interface ActionFact {
  actionId: string;
  /** The action definition id ("aws.denyAllRole"). */
  action: string;
  /** The catalog's title ("Deny-all inline policy on the role + revoke older sessions"); reports say actionPhrase. */
  title: string;
  target: TargetFact;
  status: ActionOutcome;
  /** Changes something the attacker or the business relies on. */
  destructive: boolean;
  /** Captures evidence. */
  evidence: boolean;
  plannedAt: string;
  /** When the responder confirmed it (an evidence-guardrail override is given then). */
  confirmedAt?: string;
  startedAt?: string;
  /** When it succeeded or failed. */
  finishedAt?: string;
  actor: string;
  message?: string;
  failure?: { stage: string; code?: string; message: string };
  /** The last read-back. */
  verification?: { ok: boolean; detail: string; at: string };
  override?: { basis: string; reason: string; commander?: string };
  undoOf?: string;
}

export interface CustodyFact {
  at: string;
  actor: string;
  from: string;
  to: string;
  reason?: string;
  location?: string;
}

export interface EvidenceFact {
  /** The evidence.recorded record's seq, so a refusal can name the record. */
  seq: number;
  evidenceId: string;
  path: string;
  sha256: string;
  size: number;
  source: string;
  description: string;
  collector: string;
  toolVersion: string;
  collectedAt: string;
  recordedAt: string;
  actionId?: string;
  target?: TargetFact;
  custody: CustodyFact[];
}

export interface ActionItemFact {
  itemId: string;
  text: string;
  owner: string;
  due: string;
  status: 'open' | 'done' | 'dropped';
  note?: string;
  addedAt: string;
}

/** A timeline entry (what the timeline pane shows), times UTC ISO. */
export interface TimelineFact {
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  text: string;
  eventTime?: string;
  discoveredAt?: string;
}

/** The earliest signal the journal holds: a detection's or pin's triggering event. */
export interface SignalFact {
  /** When the event itself happened (the event's own time). */
  eventTime: string;
  /** When it reached us (CloudTrail delivers minutes late). */
  discoveredAt?: string;
  /** When a detection was raised or the event was pinned: when someone (or a rule) noticed. */
  noticedAt: string;
  what: string;
}

/** One regulatory notification clock, with the decision journaled for its regime. */
export interface ClockFact {
  id: string;
  regime: string;
  /** "GDPR", "NIS2 24h". */
  short: string;
  what: string;
  basis: string;
  fromAt: string;
  dueAt: string;
  note?: string;
  decision?: { at: string; decision: string; rationale: string; actor: string };
}

export interface PostmortemFacts {
  summary?: string;
  impact?: string;
  rootCause?: string;
  /** The five whys, in the order written. */
  whys: string[];
  wentWell: string[];
  wentBadly: string[];
  lessons: string[];
}

export interface ReportFacts {
  incident: { id: string; title: string; codename: string; mode: 'live' | 'drill'; openedAt: string };
  /** The time the report is written (drafts say it). */
  now: string;
  records: number;
  severity?: { level: SeverityLevel; at: string; reason?: string };
  phase: PhaseId;
  roles: { role: string; person: string }[];
  /** The recorded detection time, else the first detection's: what the cockpit header counts from. */
  detectedAt?: string;
  detectedBasis?: 'recorded' | 'first detection';
  /**
   * The recorded containment time, else when the first containment action that was verified
   * succeeded — only if it held: no principal the detections named made a call that still
   * succeeded after it (src/reports/scorecard.ts holds a drill to the same rule).
   */
  containedAt?: string;
  containedBasis?: string;
  /** A containment claimed (recorded or verified) that did not hold, and the call that showed it. */
  containmentFailed?: { claimedAt: string; what: string; activityAt: string; activity: string };
  resolvedAt?: string;
  firstSignal?: SignalFact;
  detections: { at: string; title: string; ruleId: string; eventTime?: string }[];
  timeline: TimelineFact[];
  actions: ActionFact[];
  evidence: EvidenceFact[];
  items: ActionItemFact[];
  postmortem: PostmortemFacts;
  exfiltrationActive: boolean;
  personalData?: { awareAt: string; regimes: string[]; note?: string };
  notifications: { at: string; regime: string; decision: string; rationale: string }[];
  updates: { at: string; audience: Audience; actor: string }[];
  /** The leadership cadence in force (the default included). */
  cadenceHours: number;
  /** When the next leadership summary is due (undefined once resolved). */
  nextUpdate?: { dueAt: string; overdue: boolean; since: 'update' | 'detection' };
  /** Every regulatory clock the journal started, soonest first (src/domain/deadlines.ts). */
  clocks: ClockFact[];
  /**
   * Names internal to the organisation that the journal knows: action targets, event actors and
   * targets, the codename, people. The customer draft generalises every one of them.
   */
  internalNames: { name: string; kind: string }[];
}
