// apply(state, record): the one way state changes. It returns a new state object; the long lists
// (events, timeline, detections) are append-only logs shared between successive states, and every
// reader bounds them by seq, so an older state never sees a later record. The one rule this asks
// of callers: fold forward only (never apply to a state that already has a successor).

import { eventKey } from '../src/domain/event.js';
import { parseIsoTime } from '../src/domain/iso-time.js';
import { ownActionOf } from '../src/domain/user-agent.js';
import { phaseName } from '../src/domain/phases.js';
import { roleName } from '../src/domain/roles.js';
import { severityInfo } from '../src/domain/severity.js';
import type { AnyRecord, RecordData } from '../src/journal/records.js';
import type { ScannedRecord } from '../src/journal/scan.js';
import { boundedTargets } from './event-targets.js';
import type { ActionState, Change, EventRow, IncidentState, Stamp, TimelineEntry } from './state.js';

function change<T>(r: AnyRecord, value: T, reason?: string): Change<T> {
  const c: Change<T> = { seq: r.seq, ts: r.ts, actor: r.actor, value };
  if (reason !== undefined) c.reason = reason;
  return c;
}

function entry(r: AnyRecord, kind: TimelineEntry['kind'], text: string): TimelineEntry {
  return { seq: r.seq, ts: r.ts, kind, actor: r.actor, text };
}

/** An action's step on the timeline: tagged with its id and indexed, so the view can fold them. */
function actionStep(s: IncidentState, r: AnyRecord, actionId: string, text: string): void {
  const at = s.timeline.length;
  s.timeline.push({ ...entry(r, 'action', text), actionId });
  s.actionSteps = new Map(s.actionSteps).set(actionId, [...(s.actionSteps.get(actionId) ?? []), at]);
}

function stamp<D extends object>(r: AnyRecord, data: D): D & Stamp {
  return { ...data, seq: r.seq, ts: r.ts, actor: r.actor };
}

/** Copy-on-write update of one action (earlier states keep their own objects for review). */
function updateAction(s: IncidentState, id: string, f: (a: ActionState) => ActionState): ActionState | undefined {
  const a = s.actions.get(id);
  if (!a) return undefined;
  const next = f(a);
  s.actions = new Map(s.actions).set(id, next);
  return next;
}

function verifiedTitle(d: RecordData<'action.verified'>): string {
  if (d.afterFailure)
    return d.ok
      ? 'Read-back after the error: in place'
      : d.parts?.some((p) => p.inPlace)
        ? 'Read-back after the error: PARTIAL'
        : 'Read-back after the error: not in place';
  return `${d.ok ? 'Verified' : 'Verification FAILED'}${d.afterDoubt ? ' (after an interrupted run)' : ''}`;
}

function actionLabel(a: ActionState | undefined, id: string): string {
  return a ? `${a.planned.action} on ${a.planned.target.label}` : id;
}

export function apply(prev: IncidentState, placed: ScannedRecord): IncidentState {
  const s: IncidentState = { ...prev };
  applyInto(s, placed);
  return s;
}

/**
 * Folds many records into ONE new state object (one copy per batch, not per record: a state has
 * ~40 fields and ingest folds thousands of records per batch, a million on open). Only the
 * returned object is ever published; the fields it changes are replaced, never mutated, except
 * the append-only logs that every state shares by design.
 */
export function applyAll(prev: IncidentState, placed: Iterable<ScannedRecord>): IncidentState {
  const s: IncidentState = { ...prev };
  for (const p of placed) applyInto(s, p);
  return s;
}

/** applyAll one record at a time (opening a journal folds as it scans): `state` is published once, at the end. */
export class Fold {
  readonly state: IncidentState;
  constructor(prev: IncidentState) {
    this.state = { ...prev };
  }
  add(placed: ScannedRecord): void {
    applyInto(this.state, placed);
  }
}

/** The fold step on a state object nobody else holds yet (see applyAll). */
function applyInto(s: IncidentState, placed: ScannedRecord): void {
  const r = placed.record;
  // Copy-on-write fields read their old value from `s` itself (it is this step's previous state):
  // every case reads a field before replacing it, never after.
  const prev: Readonly<IncidentState> = s;
  switch (r.type) {
    case 'incident.opened': {
      const d = r.data;
      s.incident = {
        id: d.incidentId,
        title: d.title,
        codename: d.codename ?? '',
        mode: d.mode,
        openedAt: r.ts,
        ...(d.scenario !== undefined ? { scenario: d.scenario } : {}),
      };
      if (d.detectedAt) s.detectedAt = [...prev.detectedAt, change(r, d.detectedAt)];
      s.timeline.push(entry(r, 'opened', `Incident ${d.incidentId} opened: ${d.title}`));
      break;
    }
    case 'incident.updated': {
      const d = r.data;
      if (s.incident && (d.title !== undefined || d.codename !== undefined)) {
        s.incident = {
          ...s.incident,
          ...(d.title ? { title: d.title } : {}),
          ...(d.codename ? { codename: d.codename } : {}),
        };
      }
      const parts: string[] = [];
      if (d.title) parts.push(`title "${d.title}"`);
      if (d.codename) parts.push(`codename ${d.codename}`);
      if (d.detectedAt) {
        s.detectedAt = [...prev.detectedAt, change(r, d.detectedAt)];
        parts.push(`detected at ${d.detectedAt}`);
      }
      if (d.containedAt) {
        s.containedAt = [...prev.containedAt, change(r, d.containedAt)];
        parts.push(`contained at ${d.containedAt}`);
      }
      if (d.resolvedAt) {
        s.resolvedAt = [...prev.resolvedAt, change(r, d.resolvedAt)];
        parts.push(`resolved at ${d.resolvedAt}`);
      }
      s.timeline.push(entry(r, 'updated', `Incident updated: ${parts.join(', ')}`));
      break;
    }
    case 'severity.set': {
      const info = severityInfo(r.data.level);
      s.severity = [...prev.severity, change(r, r.data.level, r.data.reason)];
      s.timeline.push(
        entry(r, 'severity', `Severity set to ${info.code} ${info.name}${r.data.reason ? ` — ${r.data.reason}` : ''}`),
      );
      break;
    }
    case 'phase.set':
      s.phase = [...prev.phase, change(r, r.data.phase, r.data.reason)];
      s.timeline.push(
        entry(r, 'phase', `Phase: ${phaseName(r.data.phase)}${r.data.reason ? ` — ${r.data.reason}` : ''}`),
      );
      break;
    case 'role.assigned': {
      // A hand-off names who handed over, so the timeline (and the post-mortem) shows from → to.
      const before = r.data.from ?? prev.roles.findLast((c) => c.value.role === r.data.role)?.value.person;
      const handOff = before !== undefined && before !== r.data.person ? `${before} → ` : '';
      s.roles = [...prev.roles, change(r, { role: r.data.role, person: r.data.person })];
      s.timeline.push(entry(r, 'role', `${roleName(r.data.role)}: ${handOff}${r.data.person}`));
      break;
    }
    case 'note.added':
      s.timeline.push(entry(r, 'note', r.data.text));
      break;
    case 'event.ingested': {
      const e = r.data.event;
      const key = eventKey(e);
      // Dedupe by (source, id): overlapping look-back windows and relists deliver events twice.
      if (s.eventIndex.has(key)) break;
      const i = s.interner;
      const targets = boundedTargets(e.targets).map((t) => i.intern(t));
      const row: EventRow = {
        seq: r.seq,
        key,
        source: e.source,
        id: e.id,
        eventTime: parseIsoTime(e.eventTime),
        discoveredAt: parseIsoTime(e.discoveredAt),
        actor: i.intern(e.actor),
        action: i.intern(e.action),
        target: targets[0] ?? '',
        scope: i.intern(e.region ?? e.namespace ?? ''),
        sourceIp: i.intern(e.sourceIp ?? ''),
        outcome: e.outcome,
        errorCode: i.intern(e.errorCode),
        accessKeyId: i.intern(e.accessKeyId),
        offset: placed.offset,
        length: placed.length,
      };
      // A pod event's node, a call's key and bucket: every target is offered its actions.
      if (targets.length > 1) row.targets = targets;
      const where = e.account ?? e.cluster;
      if (where) row.where = i.intern(where);
      // firebreak's own call: its user agent names an action of THIS incident. A user agent is
      // client-supplied, so an id this journal never planned marks nothing (an attacker cannot
      // guess a random action id to pass as the response).
      const own = ownActionOf(e.userAgent);
      const ownAction = own ? s.actions.get(own) : undefined;
      if (own && ownAction) {
        row.ownAction = own;
        if (!ownAction.landed)
          updateAction(s, own, (a) => ({
            ...a,
            landed: {
              source: e.source,
              eventTime: row.eventTime,
              discoveredAt: row.discoveredAt,
              eventKey: key,
              seq: r.seq,
            },
          }));
      }
      s.eventIndex.set(key, s.events.push(row));
      break;
    }
    case 'event.pinned': {
      const idx = s.eventIndex.get(r.data.key);
      const ev = idx === undefined ? undefined : s.events.at(idx);
      if (!s.pins.has(r.data.key)) s.pins.set(r.data.key, r.seq);
      const what = ev ? `${ev.action} by ${ev.actor}${ev.target ? ` on ${ev.target}` : ''}` : r.data.key;
      const e = entry(r, 'pin', `Pinned: ${what}${r.data.comment ? ` — ${r.data.comment}` : ''}`);
      e.eventKeys = [r.data.key];
      if (ev) {
        e.eventTime = ev.eventTime;
        e.discoveredAt = ev.discoveredAt;
      }
      s.timeline.push(e);
      break;
    }
    case 'detection.raised': {
      const d = r.data;
      const first = d.eventKeys.map((k) => s.eventIndex.get(k)).find((x) => x !== undefined);
      const ev = first === undefined ? undefined : s.events.at(first);
      const e = entry(r, 'detection', `${d.title} [${d.ruleId}] — suggests ${severityInfo(d.severity).code}`);
      e.eventKeys = d.eventKeys;
      e.severity = d.severity;
      if (d.runbook) e.runbook = d.runbook;
      if (ev) {
        e.eventTime = ev.eventTime;
        e.discoveredAt = ev.discoveredAt;
      }
      s.timeline.push(e);
      s.detections.push(e);
      break;
    }
    case 'session.armed': {
      const until = r.data.until === undefined ? undefined : Date.parse(r.data.until);
      s.armings = [
        ...prev.armings,
        stamp(r, {
          target: r.data.target,
          ...(r.data.session ? { session: r.data.session } : {}),
          ...(until !== undefined ? { until } : {}),
        }),
      ];
      const upto = r.data.until ? ` until ${r.data.until.slice(11, 16)} UTC` : '';
      s.timeline.push(entry(r, 'armed', `Session armed for ${r.data.target}${upto}`));
      break;
    }
    case 'session.disarmed': {
      const d = r.data;
      // The newest open arming of that session and target is the one that ended.
      let i = prev.armings.length - 1;
      while (
        i >= 0 &&
        !(prev.armings[i]!.session === d.session && prev.armings[i]!.target === d.target && !prev.armings[i]!.ended)
      )
        i--;
      if (i >= 0) {
        s.armings = prev.armings.slice();
        s.armings[i] = { ...prev.armings[i]!, ended: stamp(r, { reason: d.reason }) };
      }
      s.timeline.push(
        entry(
          r,
          'armed',
          d.reason === 'expired' ? `Arming for ${d.target} expired` : `Session disarmed for ${d.target}`,
        ),
      );
      break;
    }
    case 'session.closed':
      s.closed = [...prev.closed, change(r, r.data.reason ?? '')];
      s.timeline.push(entry(r, 'closed', `Session closed${r.data.reason ? `: ${r.data.reason}` : ''}`));
      break;
    case 'drill.inject': {
      const e = entry(r, 'inject', `Drill inject: ${r.data.text}`);
      e.eventTime = Date.parse(r.data.simTime);
      s.timeline.push(e);
      break;
    }
    case 'checkpoint':
      // Checkpoints seal the chain; they are not incident facts and stay off the timeline.
      break;
    case 'action.planned': {
      const d = r.data;
      const a: ActionState = {
        actionId: d.actionId,
        planned: stamp(r, d),
        dryRuns: [],
        confirmed: undefined,
        started: undefined,
        captured: undefined,
        calls: [],
        succeeded: undefined,
        failed: undefined,
        verified: [],
        undoneBy: [],
        completedBy: [],
      };
      s.actions = new Map(s.actions).set(d.actionId, a);
      s.actionOrder = [...prev.actionOrder, d.actionId];
      if (d.undoOf) updateAction(s, d.undoOf, (o) => ({ ...o, undoneBy: [...o.undoneBy, d.actionId] }));
      if (d.completes) updateAction(s, d.completes, (o) => ({ ...o, completedBy: [...o.completedBy, d.actionId] }));
      const how = d.undoOf ? ' (undo)' : d.completes ? ' (complete the partial one)' : '';
      actionStep(s, r, d.actionId, `Action planned: ${actionLabel(a, d.actionId)}${how}`);
      break;
    }
    case 'action.dryrun': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, dryRuns: [...o.dryRuns, stamp(r, d)] }));
      actionStep(
        s,
        r,
        d.actionId,
        `Dry run (${d.kind}) ${d.ok ? 'passed' : 'FAILED'}: ${actionLabel(a, d.actionId)} — ${d.message}`,
      );
      break;
    }
    case 'action.confirmed': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, confirmed: stamp(r, d) }));
      const why = d.override ? ` — evidence guardrail overridden (${d.override.basis}): ${d.override.reason}` : '';
      actionStep(s, r, d.actionId, `Action confirmed: ${actionLabel(a, d.actionId)}${why}`);
      break;
    }
    case 'action.started': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, started: stamp(r, d) }));
      actionStep(s, r, d.actionId, `Action started: ${actionLabel(a, d.actionId)}`);
      break;
    }
    // Captured state and per-call outcomes stay off the timeline: the outcome row (succeeded,
    // failed or partial) says what they add up to, and the action's detail lists them.
    case 'action.captured': {
      const d = r.data;
      // Captured once per key: an action may keep its previous state in pieces (one per network
      // interface), and a later piece never replaces what an earlier one kept.
      updateAction(s, d.actionId, (o) => ({
        ...o,
        captured: o.captured ? { ...o.captured, outputs: { ...d.outputs, ...o.captured.outputs } } : stamp(r, d),
      }));
      break;
    }
    case 'action.call': {
      const d = r.data;
      updateAction(s, d.actionId, (o) => ({ ...o, calls: [...o.calls, stamp(r, d)] }));
      break;
    }
    case 'action.succeeded': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, succeeded: stamp(r, d) }));
      actionStep(s, r, d.actionId, `Action succeeded: ${actionLabel(a, d.actionId)} — ${d.message}`);
      break;
    }
    case 'action.failed': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, failed: stamp(r, d) }));
      const what =
        a || !d.action ? actionLabel(a, d.actionId) : `${d.action}${d.target ? ` on ${d.target.label}` : ''}`;
      actionStep(s, r, d.actionId, `Action FAILED (${d.stage}): ${what} — ${d.code ? `${d.code}: ` : ''}${d.message}`);
      break;
    }
    case 'action.verified': {
      const d = r.data;
      const a = updateAction(s, d.actionId, (o) => ({ ...o, verified: [...o.verified, stamp(r, d)] }));
      actionStep(s, r, d.actionId, `${verifiedTitle(d)}: ${actionLabel(a, d.actionId)} — ${d.detail}`);
      break;
    }
    case 'exfiltration.flagged':
      s.exfiltration = [...prev.exfiltration, change(r, { active: r.data.active, reason: r.data.reason })];
      s.timeline.push(
        entry(
          r,
          'exfiltration',
          `${r.data.active ? 'Active exfiltration flagged' : 'Exfiltration flag cleared'}: ${r.data.reason}`,
        ),
      );
      break;
    case 'evidence.recorded': {
      const d = r.data;
      s.evidence = [...prev.evidence, stamp(r, d)];
      s.timeline.push(
        entry(
          r,
          'evidence',
          `Evidence ${d.evidenceId}: ${d.description} (${d.path}, sha256 ${d.sha256.slice(0, 12)}…)`,
        ),
      );
      break;
    }
    case 'custody.transferred': {
      const d = r.data;
      s.custody = [...prev.custody, stamp(r, d)];
      s.timeline.push(
        entry(r, 'custody', `Custody of ${d.evidenceId}: ${d.from} → ${d.to}${d.reason ? ` — ${d.reason}` : ''}`),
      );
      break;
    }
    case 'update.recorded':
      s.updates = [...prev.updates, stamp(r, r.data)];
      s.timeline.push(entry(r, 'update', `Incident update recorded for ${r.data.audience}`));
      break;
    case 'cadence.set':
      s.cadenceHours = [...prev.cadenceHours, change(r, r.data.hours)];
      s.timeline.push(entry(r, 'update', `Leadership update cadence: every ${r.data.hours} h`));
      break;
    case 'personal-data.flagged':
      s.personalData = [...prev.personalData, change(r, r.data)];
      s.timeline.push(
        entry(
          r,
          'regulatory',
          `Personal data involved (aware ${r.data.awareAt}); clocks: ${r.data.regimes.join(', ') || 'none'}${r.data.note ? ` — ${r.data.note}` : ''}`,
        ),
      );
      break;
    case 'notification.decided':
      s.notifications = [...prev.notifications, change(r, r.data)];
      s.timeline.push(
        entry(
          r,
          'regulatory',
          `${r.data.regime.toUpperCase()}: ${r.data.decision === 'notify' ? 'notify' : 'do not notify'} — ${r.data.rationale}`,
        ),
      );
      break;
    case 'action-item.added': {
      const d = r.data;
      s.actionItems = new Map(prev.actionItems).set(d.itemId, { added: stamp(r, d), updates: [] });
      s.timeline.push(entry(r, 'action-item', `Action item ${d.itemId}: ${d.text} (owner ${d.owner}, due ${d.due})`));
      break;
    }
    case 'action-item.updated': {
      const d = r.data;
      const it = prev.actionItems.get(d.itemId);
      if (it) s.actionItems = new Map(prev.actionItems).set(d.itemId, { ...it, updates: [...it.updates, stamp(r, d)] });
      s.timeline.push(entry(r, 'action-item', `Action item ${d.itemId}: ${d.status}${d.note ? ` — ${d.note}` : ''}`));
      break;
    }
    case 'postmortem.updated':
      s.postmortem = [...prev.postmortem, change(r, r.data)];
      s.timeline.push(entry(r, 'postmortem', `Post-mortem ${r.data.field}: ${r.data.text}`));
      break;
    case 'runbook.step':
      s.runbookSteps = [...prev.runbookSteps, change(r, r.data)];
      s.timeline.push(
        entry(
          r,
          'runbook',
          `Runbook ${r.data.runbook}, step ${r.data.step}: ${r.data.status}${r.data.note ? ` — ${r.data.note}` : ''}`,
        ),
      );
      break;
    case 'drill.scored':
      s.scores = [...prev.scores, change(r, r.data)];
      s.timeline.push(entry(r, 'score', `Drill scored: ${r.data.passed}/${r.data.total} targets met`));
      break;
    case 'hunt.ran': {
      const d = r.data;
      const bytes = d.bytesScanned !== undefined ? `, ${d.bytesScanned} bytes scanned` : '';
      s.timeline.push(
        entry(
          r,
          'hunt',
          `Hunt on ${d.engine === 'lake' ? 'CloudTrail Lake' : 'Athena'} ${d.state}: ${d.rows} rows, ${d.newEvents} new events${bytes}${d.error ? ` — ${d.error}` : ''}`,
        ),
      );
      break;
    }
    case 'share.writer':
      // The first one names the journal's writer; a merged fold (store/merged.ts) sees several.
      s.writerId ??= r.data.writerId;
      s.timeline.push(entry(r, 'share', `${r.actor} writes as ${r.data.writerId} in the shared incident`));
      break;
    case 'approval.policy':
      s.approvalPolicy = [...prev.approvalPolicy, change(r, r.data)];
      s.timeline.push(
        entry(
          r,
          'approval',
          r.data.require === 'off'
            ? 'Two-person approval turned off'
            : `Two-person approval required for destructive actions (approvals last ${r.data.ttlMinutes} min)`,
        ),
      );
      break;
    case 'approval.requested':
      s.approvalRequests = new Map(prev.approvalRequests).set(r.data.requestId, stamp(r, r.data));
      s.timeline.push({
        ...entry(r, 'approval', `Approval ${r.data.requestId} requested: ${r.data.action} on ${r.data.targetLabel}`),
        actionId: r.data.actionId,
      });
      break;
    case 'approval.decided':
      s.approvalDecisions = [...prev.approvalDecisions, stamp(r, r.data)];
      s.timeline.push(
        entry(
          r,
          'approval',
          `Approval ${r.data.requestId} ${r.data.decision}${r.data.reason ? `: ${r.data.reason}` : ''}`,
        ),
      );
      break;
    default:
      // Every type in records.ts has a case: a new one fails to compile here (r is `never`), and
      // a record that reaches the fold anyway is refused, not skipped.
      return noFoldCase(r);
  }
  // After the switch, so a refused record leaves no trace (recordTimes is a log every state shares).
  s.version = prev.version + 1;
  s.seq = r.seq;
  s.lastTs = r.ts;
  s.recordTimes.push(parseIsoTime(r.ts));
}

function noFoldCase(r: never): never {
  throw new Error(`no fold case for record type ${JSON.stringify(r['type'])} (store/apply.ts)`);
}
