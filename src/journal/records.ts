// The closed, versioned union of journal record types. Records from outside firebreak's own code
// (events, what a responder typed, action results) are validated against this on append; every
// record is validated again on open, so a journal that parses is a journal every later reader
// understands. A new record type is added here (and to the store's `apply`); an incompatible change
// to an existing one bumps RECORD_VERSION and keeps the old schema readable.

import { z } from 'zod';
import { incidentEventSchema } from '../domain/event.js';
import { PHASE_IDS } from '../domain/phases.js';
import { ROLE_IDS } from '../domain/roles.js';
import { TARGET_KINDS } from '../domain/target-kinds.js';

/**
 * The line format new records are written in (ARCHITECTURE.md, "The journal format"): 2 writes
 * `data` as JSON.stringify does and hashes those bytes; 1 wrote canonical JSON (sorted keys).
 */
export const RECORD_VERSION = 2;
/** Every line format a journal may hold; a journal can mix them (v2 appends after v1 lines). */
export const RECORD_VERSIONS: readonly number[] = [1, 2];

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'UTC ISO-8601 time');
const severity = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
const text = z.string().min(1).max(100_000);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex');
const actionId = z.string().regex(/^act-[0-9a-z-]{6,64}$/, 'action id act-…');
/**
 * An evidence id names a file inside a bundle (`evidence/<id>-<name>`), so it must be one plain
 * path segment: no `/`, `\`, leading dot or control character (`../../ESCAPED` wrote above the bundle).
 */
export const EVIDENCE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A shared incident's writer id: one S3 key segment (share/segment.ts), e.g. `alice-3f9c2a1b`. */
export const WRITER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const evidenceId = z.string().regex(EVIDENCE_ID, 'evidence id: letters, digits, . _ - (e.g. EV-001)');
/** What an action acts on (src/actions/catalog.ts Target); the kinds are a closed list (src/domain/target-kinds.ts). */
const target = z.object({
  kind: z.enum(TARGET_KINDS),
  id: z.string().min(1),
  label: z.string(),
  scope: z.string().optional(),
  since: z.iso.datetime().optional(),
  /** The AWS account or Kubernetes cluster its event came from (src/actions/catalog.ts Target). */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  cluster: z.string().min(1).max(253).optional(),
});

export const recordDataSchemas = {
  'incident.opened': z.object({
    incidentId: z.string().regex(/^INC-\d{4}-\d{3,6}$/),
    title: text,
    codename: z.string().optional(),
    mode: z.enum(['live', 'drill']),
    scenario: z.string().optional(),
    detectedAt: isoTime.optional(),
  }),
  'incident.updated': z.object({
    title: text.optional(),
    codename: z.string().optional(),
    detectedAt: isoTime.optional(),
    containedAt: isoTime.optional(),
    resolvedAt: isoTime.optional(),
  }),
  'severity.set': z.object({ level: severity, reason: z.string().optional() }),
  'phase.set': z.object({ phase: z.enum(PHASE_IDS), reason: z.string().optional() }),
  /**
   * `from`: who held the role when it was handed over, as the writer saw it (absent for a first
   * assignment and in journals before hand-offs were recorded), so the journal itself says from → to.
   */
  'role.assigned': z.object({
    role: z.enum(ROLE_IDS),
    person: z.string().min(1).max(200),
    from: z.string().min(1).max(200).optional(),
  }),
  'note.added': z.object({ text }),
  'event.ingested': z.object({ event: incidentEventSchema }),
  'event.pinned': z.object({ key: z.string().min(1), comment: z.string().optional() }),
  'detection.raised': z.object({
    ruleId: z.string().min(1),
    title: z.string().min(1),
    severity,
    eventKeys: z.array(z.string()),
    why: z.string(),
    runbook: z.string().optional(),
  }),
  /**
   * `session` is the cockpit process that armed (a reopened journal is a new session, so it starts
   * disarmed) and `until` when the arming lapses; journals before per-session arming have neither,
   * and their armings count for nobody now.
   */
  'session.armed': z.object({
    target: z.string().min(1),
    confirmedName: z.string(),
    session: z.string().min(1).max(64).optional(),
    until: isoTime.optional(),
  }),
  /** An arming ended: `:disarm` by the actor, or its time ran out (written by the cockpit). */
  'session.disarmed': z.object({
    target: z.string().min(1),
    session: z.string().min(1).max(64),
    reason: z.enum(['disarmed', 'expired']),
  }),
  'session.closed': z.object({ reason: z.string().optional() }),
  /** Written by the journal itself (checkpoint.ts): the seq and full hash of the record before it. */
  checkpoint: z.object({
    records: z.number().int().nonnegative(),
    head: sha256,
    /** With FIREBREAK_SIGNING_KEY: Ed25519 over signing.ts checkpointMessage, base64, and the key's id. */
    sig: z
      .string()
      .regex(/^[A-Za-z0-9+/]{86}==$/, 'Ed25519 signature, base64')
      .optional(),
    key: sha256.optional(),
  }),
  /** A tabletop facilitator's inject ("Legal asks whether customer PII was read"), drills only. */
  'drill.inject': z.object({ id: z.string().min(1), text, simTime: isoTime }),

  // ── Containment and evidence actions (src/actions/): one lifecycle per actionId ──────────────
  /** The exact plan shown to the responder; `paramsHash` is SHA-256 of the canonical params. */
  'action.planned': z.object({
    actionId,
    action: z.string().min(1),
    target,
    params: z.record(z.string(), z.unknown()),
    paramsHash: sha256,
    calls: z.array(z.object({ service: z.string(), op: z.string(), summary: z.string(), mutating: z.boolean() })),
    blastRadius: z.array(z.string()),
    warnings: z.array(z.string()),
    guidance: z.array(z.string()).optional(),
    /** Set when this action reverses an earlier one. */
    undoOf: actionId.optional(),
    /** Set when this action completes a partial one: same params, the missing calls only. */
    completes: actionId.optional(),
  }),
  'action.dryrun': z.object({
    actionId,
    kind: z.enum(['server', 'simulated']),
    ok: z.boolean(),
    message: z.string(),
    requestIds: z.array(z.string()),
  }),
  /** Bound to the hash of the parameters shown: a changed plan needs a new confirmation. */
  'action.confirmed': z.object({
    actionId,
    paramsHash: sha256,
    /** Evidence-before-destruction waived: by the incident commander with a reason, or Sev0 + active exfiltration. */
    override: z
      .object({
        basis: z.enum(['commander', 'critical-exfiltration']),
        reason: z.string(),
        commander: z.string().optional(),
      })
      .optional(),
    /** Confirmed although the last dry run was refused: the refusal and the typed reason. */
    refusedDryRun: z.object({ message: z.string(), reason: z.string() }).optional(),
    /** Two-person approval (share/approval.ts): the request another writer approved, and who. */
    approval: z.object({ requestId: z.string().min(1), planHash: sha256, by: z.string().min(1) }).optional(),
  }),
  /** Durable before the first mutating call: a crash after this leaves the action in doubt. */
  'action.started': z.object({ actionId, paramsHash: sha256, idempotencyToken: z.string().min(1) }),
  /**
   * What undo needs (the previous state), read before the first mutating call and journaled once:
   * a retry or a completion never overwrites it with the half-applied state it finds.
   */
  'action.captured': z.object({ actionId, outputs: z.record(z.string(), z.unknown()) }),
  /** One mutating call's outcome, as it returned: what is in place when a later call fails. */
  'action.call': z.object({
    actionId,
    service: z.string(),
    op: z.string(),
    ok: z.boolean(),
    requestId: z.string().optional(),
    status: z.number().int().optional(),
    code: z.string().optional(),
  }),
  'action.succeeded': z.object({
    actionId,
    requestIds: z.array(z.string()),
    outputs: z.record(z.string(), z.unknown()),
    message: z.string(),
  }),
  'action.failed': z.object({
    actionId,
    /** Only when planning itself failed (there is no action.planned to name them). */
    action: z.string().optional(),
    target: target.optional(),
    stage: z.enum(['plan', 'dryrun', 'execute', 'verify']),
    requestIds: z.array(z.string()),
    code: z.string().optional(),
    message: z.string(),
    hint: z.string().optional(),
    /** A call went unanswered (a deadline, a dropped connection): it may have been applied. */
    unanswered: z.boolean().optional(),
  }),
  /** The read-back. After a crash (`afterDoubt`) it settles whether the change is in place. */
  'action.verified': z.object({
    actionId,
    ok: z.boolean(),
    detail: z.string(),
    afterDoubt: z.boolean().optional(),
    /** The read-back that runs at once when execute failed: settles what the error left in place. */
    afterFailure: z.boolean().optional(),
    /** Each part of a multi-part change, in place or not. */
    parts: z.array(z.object({ what: z.string(), inPlace: z.boolean() })).optional(),
    /** The read-back itself failed: what is in place is not known (`ok` is false, `parts` absent). */
    unreadable: z.boolean().optional(),
  }),
  /** Sets or clears the "active exfiltration" flag the destruction guardrail consults. */
  'exfiltration.flagged': z.object({ active: z.boolean(), reason: z.string() }),

  // ── Evidence and custody ───────────────────────────────────────────────────────────────────
  'evidence.recorded': z.object({
    evidenceId,
    path: z.string().min(1),
    sha256,
    size: z.number().int().nonnegative(),
    source: z.string().min(1),
    description: z.string(),
    collector: z.string().min(1),
    toolVersion: z.string().min(1),
    collectedAt: isoTime,
    actionId: actionId.optional(),
    target: target.optional(),
  }),
  'custody.transferred': z.object({
    evidenceId,
    from: z.string().min(1),
    to: z.string().min(1),
    reason: z.string().optional(),
    location: z.string().optional(),
  }),

  // ── Communication and the post-incident review ─────────────────────────────────────────────
  /** An incident update as sent (or filed) for one audience. */
  'update.recorded': z.object({ audience: z.enum(['internal', 'leadership', 'legal', 'customers']), markdown: text }),
  /** Leadership-summary cadence while the incident is active (hours). */
  'cadence.set': z.object({ hours: z.number().min(0.5).max(24) }),
  /** Personal data is involved: the regulatory clocks start at `awareAt`. */
  'personal-data.flagged': z.object({
    awareAt: isoTime,
    regimes: z.array(z.enum(['gdpr', 'hipaa', 'nis2', 'dora', 'sec'])),
    note: z.string().optional(),
  }),
  'notification.decided': z.object({
    regime: z.enum(['gdpr', 'hipaa', 'nis2', 'dora', 'sec']),
    decision: z.enum(['notify', 'no-notify']),
    rationale: text,
  }),
  'action-item.added': z.object({
    itemId: z.string().min(1),
    text,
    owner: z.string().min(1),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  'action-item.updated': z.object({
    itemId: z.string().min(1),
    status: z.enum(['open', 'done', 'dropped']),
    note: z.string().optional(),
  }),
  /** One post-mortem field (summary, impact, root cause, a why, went well / badly…) as written. */
  'postmortem.updated': z.object({
    field: z.enum(['summary', 'impact', 'rootCause', 'why', 'wentWell', 'wentBadly', 'lessons']),
    text,
  }),
  'runbook.step': z.object({
    runbook: z.string().min(1),
    step: z.string().min(1),
    status: z.enum(['done', 'skipped', 'open']),
    note: z.string().optional(),
  }),
  /**
   * A hunt on CloudTrail Lake or Athena (src/sources/hunt/): the query as sent, where it ran, how
   * it ended, what it scanned and cost, and how many of its rows were events new to the journal.
   */
  'hunt.ran': z.object({
    engine: z.enum(['lake', 'athena']),
    /** The event data store ARN, or catalog.database.table. */
    source: z.string().min(1).max(1000),
    query: text,
    queryId: z.string().min(1).max(256).optional(),
    state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed-out']),
    stoppedAt: z.enum(['starting', 'polling', 'paging', 'done']).optional(),
    bytesScanned: z.number().int().nonnegative().optional(),
    costUsd: z.number().nonnegative().optional(),
    rows: z.number().int().nonnegative(),
    newEvents: z.number().int().nonnegative(),
    problems: z.number().int().nonnegative(),
    error: z.string().max(2000).optional(),
  }),
  // ── A shared incident (src/journal/share/): one journal per writer, merged from S3 ─────────
  /**
   * This journal's writer in a shared incident: the id its segments are published under
   * (`prefix/INC-…/WRITER/…`), written once, before its first segment is sealed.
   */
  'share.writer': z.object({ writerId: z.string().regex(WRITER_ID, 'writer id: letters, digits, . _ -') }),
  /** Two-person approval: `destructive` makes every destructive action wait for another writer's approval. */
  'approval.policy': z.object({
    require: z.enum(['destructive', 'off']),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  /** A plan waiting for another writer's approval; `planHash` binds it (share/plan-hash.ts). */
  'approval.requested': z.object({
    requestId: z.string().regex(/^apr-[0-9a-z-]{6,64}$/, 'approval id apr-…'),
    actionId,
    action: z.string().min(1),
    targetLabel: z.string(),
    planHash: sha256,
  }),
  /** Another writer's answer to an approval request, bound to the plan hash it saw. */
  'approval.decided': z.object({
    requestId: z.string().regex(/^apr-[0-9a-z-]{6,64}$/, 'approval id apr-…'),
    decision: z.enum(['approved', 'rejected']),
    planHash: sha256,
    reason: z.string().max(2_000).optional(),
  }),

  /** The end-of-drill scorecard against the scenario's targets. */
  'drill.scored': z.object({
    scenario: z.string().min(1),
    metrics: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        targetMinutes: z.number().optional(),
        actualMinutes: z.number().optional(),
        pass: z.boolean(),
        /** The target's time had not come when the drill was scored: neither met nor missed. */
        notYetDue: z.boolean().optional(),
        detail: z.string(),
      }),
    ),
    passed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
} as const;

export type RecordType = keyof typeof recordDataSchemas;
export type RecordData<T extends RecordType> = z.infer<(typeof recordDataSchemas)[T]>;
export const RECORD_TYPES = Object.keys(recordDataSchemas) as RecordType[];

export function isRecordType(x: unknown): x is RecordType {
  return typeof x === 'string' && Object.hasOwn(recordDataSchemas, x);
}

/** A record as it sits on one line of the journal. */
export interface JournalRecord<T extends RecordType = RecordType> {
  v: number;
  seq: number;
  ts: string;
  type: T;
  actor: string;
  data: RecordData<T>;
  prev: string;
  hash: string;
}

/** Any record, narrowed by `type` (switch on it to get typed `data`). */
export type AnyRecord = { [T in RecordType]: JournalRecord<T> }[RecordType];

/** Checks `data` for `type`; returns the parsed data or a one-line reason. */
export function validateData(
  type: RecordType,
  data: unknown,
): { ok: true; data: unknown } | { ok: false; reason: string } {
  const r = recordDataSchemas[type].safeParse(data);
  if (r.success) return { ok: true, data: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? `data.${issue.path.join('.')}` : 'data';
  return { ok: false, reason: `${type}: ${where}: ${issue.message}` };
}
