// The incident state as the reports read it (src/reports/facts.ts): a projection, so src/reports
// stays free of the store and the same journal always yields the same report.

import type {
  ReportFacts,
  ActionFact,
  ClockFact,
  EvidenceFact,
  SignalFact,
  TimelineFact,
} from '../src/reports/facts.js';
import { actionPhrase } from '../src/reports/action-phrase.js';
import { actionsAsOf, actionStatus } from './action-selectors.js';
import { cadenceAsOf, cadenceHoursAsOf, clocksAsOf } from './clock-selectors.js';
import { latest, phaseAsOf, rolesAsOf, severityAsOf, timelineAsOf } from './selectors.js';
import { eventTargets } from './event-targets.js';
import type { ActionState, EventRow, IncidentState } from './state.js';

/** What the action catalog says about an action id (src/actions/registry.ts), when it knows it. */
export type ActionCatalog = (action: string) => { title: string; destructive: boolean; evidence: boolean } | undefined;

export interface FactsOptions {
  now: Date;
  catalog?: ActionCatalog;
  /** StoreMeta.loadedSeq: an action started at or before it with no outcome is in doubt. */
  loadedSeq?: number;
}

/** "aws.denyAllRole" → "Deny all role": a readable name when the catalog does not know the id. */
export function humaniseAction(id: string): string {
  const last = id.split('.').at(-1) ?? id;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : id;
}

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString();

function actionFact(s: IncidentState, a: ActionState, o: FactsOptions): ActionFact {
  const p = a.planned;
  const known = o.catalog?.(p.action);
  // Without the catalog (an action removed since, or a journal from a newer build), the journal
  // itself says enough: an evidence action recorded evidence; a guardrail override or a mutating
  // call on anything else changed the target.
  const evidence = known?.evidence ?? s.evidence.some((e) => e.actionId === a.actionId);
  const destructive =
    known?.destructive ?? (!evidence && (a.confirmed?.override !== undefined || p.calls.some((c) => c.mutating)));
  const f: ActionFact = {
    actionId: a.actionId,
    action: p.action,
    title: known?.title ?? humaniseAction(p.action),
    target: { ...p.target },
    status: actionStatus(a, o.loadedSeq ?? s.seq),
    destructive,
    evidence,
    plannedAt: p.ts,
    actor: p.actor,
  };
  if (a.confirmed) f.confirmedAt = a.confirmed.ts;
  if (a.started) f.startedAt = a.started.ts;
  const done = a.succeeded ?? a.failed;
  if (done) f.finishedAt = done.ts;
  if (a.succeeded) f.message = a.succeeded.message;
  if (a.failed)
    f.failure = { stage: a.failed.stage, message: a.failed.message, ...(a.failed.code ? { code: a.failed.code } : {}) };
  const v = a.verified.at(-1);
  if (v) f.verification = { ok: v.ok, detail: v.detail, at: v.ts };
  if (a.confirmed?.override) f.override = { ...a.confirmed.override };
  if (p.undoOf) f.undoOf = p.undoOf;
  return f;
}

function timelineFacts(s: IncidentState): TimelineFact[] {
  return timelineAsOf(s, 0, s.timeline.length).map((e) => {
    const t: TimelineFact = { seq: e.seq, ts: e.ts, kind: e.kind, actor: e.actor, text: e.text };
    const et = iso(e.eventTime);
    const dt = iso(e.discoveredAt);
    if (et) t.eventTime = et;
    if (dt) t.discoveredAt = dt;
    return t;
  });
}

/** The earliest event time among detections and pins: where the incident first showed. */
function firstSignal(timeline: readonly TimelineFact[]): SignalFact | undefined {
  let best: TimelineFact | undefined;
  for (const t of timeline) {
    if ((t.kind === 'detection' || t.kind === 'pin') && t.eventTime && (!best || t.eventTime < best.eventTime!))
      best = t;
  }
  if (!best) return undefined;
  const noticed = timeline
    .filter((t) => (t.kind === 'detection' || t.kind === 'pin') && t.eventTime)
    .map((t) => t.ts)
    .sort()[0]!;
  return {
    eventTime: best.eventTime!,
    noticedAt: noticed,
    what: best.text,
    ...(best.discoveredAt ? { discoveredAt: best.discoveredAt } : {}),
  };
}

function internalNames(
  s: IncidentState,
  actions: readonly ActionFact[],
  evidence: readonly EvidenceFact[],
  timeline: readonly TimelineFact[],
): ReportFacts['internalNames'] {
  const out: ReportFacts['internalNames'] = [];
  const add = (name: string | undefined, kind: string) => {
    if (name && name.trim().length >= 3) out.push({ name: name.trim(), kind });
  };
  add(s.incident?.codename, 'codename');
  for (const r of s.roles) add(r.value.person, 'person');
  for (const t of timeline) add(t.actor, 'person');
  for (const a of actions) {
    add(a.target.id, a.target.kind);
    add(a.target.label, a.target.kind);
    add(a.target.scope, 'scope');
    add(a.actor, 'person');
  }
  for (const e of evidence) {
    add(e.path, 'path');
    add(e.collector, 'person');
    if (e.target) add(e.target.id, e.target.kind);
    for (const c of e.custody) (add(c.from, 'person'), add(c.to, 'person'));
  }
  // The events behind detections and pins: their actors, targets and scopes are the incident's.
  const keys = new Set<string>();
  for (let i = 0; i < s.timeline.length; i++) for (const k of s.timeline.at(i)!.eventKeys ?? []) keys.add(k);
  for (const k of keys) {
    const idx = s.eventIndex.get(k);
    const ev = idx === undefined ? undefined : s.events.at(idx);
    if (!ev) continue;
    add(ev.actor, 'identity');
    for (const t of eventTargets(ev)) add(t, 'resource');
    add(ev.scope, 'scope');
    add(ev.sourceIp, 'ip');
  }
  return out;
}

/**
 * The first containment that held: a destructive action (not an undo) whose read-back confirmed
 * it. An action that only reported success, or whose read-back failed, has not contained anything.
 */
function firstVerifiedContainment(actions: readonly ActionFact[]): { at: string; what: string } | undefined {
  let best: ActionFact | undefined;
  for (const a of actions) {
    if (a.status !== 'verified' || !a.destructive || a.evidence || a.undoOf || !a.finishedAt) continue;
    if (!best || a.finishedAt < best.finishedAt!) best = a;
  }
  return best && { at: best.finishedAt!, what: `${actionPhrase(best)}, verified` };
}

/**
 * The first call after `atMs` (by the event's own time) that a principal the detections named made
 * and that still succeeded: the sign a containment did not hold. GetCallerIdentity is not one: no
 * policy can deny it, so a contained session still gets an answer
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html); nor is
 * firebreak's own call. The same rule as the drill scorecard (src/reports/scorecard.ts).
 */
function suspectActivityAfter(s: IncidentState, atMs: number): EventRow | undefined {
  if (!Number.isFinite(atMs)) return undefined;
  const suspects = new Set<string>();
  for (let i = 0; i < s.timeline.length; i++) {
    const t = s.timeline.at(i)!;
    if (t.seq > s.seq || t.kind !== 'detection') continue;
    for (const k of t.eventKeys ?? []) {
      const idx = s.eventIndex.get(k);
      const ev = idx === undefined ? undefined : s.events.at(idx);
      if (!ev) continue;
      if (ev.actor) suspects.add(ev.actor);
      if (ev.accessKeyId) suspects.add(ev.accessKeyId);
    }
  }
  if (suspects.size === 0) return undefined;
  let first: EventRow | undefined;
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events.at(i)!;
    if (e.seq > s.seq || e.outcome !== 'success' || !(e.eventTime > atMs) || e.ownAction) continue;
    if (e.source === 'cloudtrail' && e.action === 'GetCallerIdentity') continue;
    if (!suspects.has(e.actor) && !(e.accessKeyId && suspects.has(e.accessKeyId))) continue;
    if (!first || e.eventTime < first.eventTime) first = e;
  }
  return first;
}

function clockFacts(s: IncidentState, nowMs: number): ClockFact[] {
  return clocksAsOf(s, nowMs).map((c) => ({
    id: c.id,
    regime: c.regime,
    short: c.short,
    what: c.what,
    basis: c.basis,
    fromAt: new Date(c.fromMs).toISOString(),
    dueAt: new Date(c.dueMs).toISOString(),
    ...(c.note ? { note: c.note } : {}),
    ...(c.decision
      ? {
          decision: {
            at: c.decision.ts,
            decision: c.decision.value.decision,
            rationale: c.decision.value.rationale,
            actor: c.decision.actor,
          },
        }
      : {}),
  }));
}

export function reportFacts(s: IncidentState, o: FactsOptions): ReportFacts {
  const inc = s.incident;
  if (!inc) throw new Error('this journal has no incident.opened record');
  const timeline = timelineFacts(s);
  const actions = actionsAsOf(s).map((a) => actionFact(s, a, o));
  const evidence: EvidenceFact[] = s.evidence.map((e) => {
    const f: EvidenceFact = {
      seq: e.seq,
      evidenceId: e.evidenceId,
      path: e.path,
      sha256: e.sha256,
      size: e.size,
      source: e.source,
      description: e.description,
      collector: e.collector,
      toolVersion: e.toolVersion,
      collectedAt: e.collectedAt,
      recordedAt: e.ts,
      custody: s.custody
        .filter((c) => c.evidenceId === e.evidenceId)
        .map((c) => ({
          at: c.ts,
          actor: c.actor,
          from: c.from,
          to: c.to,
          ...(c.reason ? { reason: c.reason } : {}),
          ...(c.location ? { location: c.location } : {}),
        })),
    };
    if (e.actionId) f.actionId = e.actionId;
    if (e.target) f.target = { ...e.target };
    return f;
  });
  const pmLast = (field: 'summary' | 'impact' | 'rootCause') =>
    s.postmortem.filter((c) => c.value.field === field).at(-1)?.value.text;
  const pmAll = (field: 'why' | 'wentWell' | 'wentBadly' | 'lessons') =>
    s.postmortem.filter((c) => c.value.field === field).map((c) => c.value.text);
  const sev = severityAsOf(s);
  const pd = latest(s.personalData, s.seq);
  const facts: ReportFacts = {
    incident: { id: inc.id, title: inc.title, codename: inc.codename, mode: inc.mode, openedAt: inc.openedAt },
    now: o.now.toISOString(),
    records: s.seq,
    phase: phaseAsOf(s),
    roles: [...rolesAsOf(s).values()].map((c) => ({ role: c.value.role, person: c.value.person })),
    detections: timeline
      .filter((t) => t.kind === 'detection')
      .map((t) => ({
        at: t.ts,
        title: t.text,
        ruleId: /\[([^\]]+)\]/.exec(t.text)?.[1] ?? '',
        ...(t.eventTime ? { eventTime: t.eventTime } : {}),
      })),
    timeline,
    actions,
    evidence,
    items: [...s.actionItems.values()].map((it) => {
      const u = it.updates.at(-1);
      return {
        itemId: it.added.itemId,
        text: it.added.text,
        owner: it.added.owner,
        due: it.added.due,
        status: u?.status ?? 'open',
        addedAt: it.added.ts,
        ...(u?.note ? { note: u.note } : {}),
      };
    }),
    postmortem: {
      whys: pmAll('why'),
      wentWell: pmAll('wentWell'),
      wentBadly: pmAll('wentBadly'),
      lessons: pmAll('lessons'),
      ...(pmLast('summary') ? { summary: pmLast('summary')! } : {}),
      ...(pmLast('impact') ? { impact: pmLast('impact')! } : {}),
      ...(pmLast('rootCause') ? { rootCause: pmLast('rootCause')! } : {}),
    },
    exfiltrationActive: latest(s.exfiltration, s.seq)?.value.active ?? false,
    notifications: s.notifications.map((c) => ({
      at: c.ts,
      regime: c.value.regime,
      decision: c.value.decision,
      rationale: c.value.rationale,
    })),
    updates: s.updates.map((u) => ({ at: u.ts, audience: u.audience, actor: u.actor })),
    internalNames: [],
    cadenceHours: cadenceHoursAsOf(s),
    clocks: clockFacts(s, o.now.getTime()),
  };
  if (sev) facts.severity = { level: sev.value, at: sev.ts, ...(sev.reason ? { reason: sev.reason } : {}) };
  const det = latest(s.detectedAt, s.seq)?.value;
  const con = latest(s.containedAt, s.seq)?.value;
  const res = latest(s.resolvedAt, s.seq)?.value;
  const firstDetection = facts.detections.map((d) => d.at).sort()[0];
  if (det) ((facts.detectedAt = det), (facts.detectedBasis = 'recorded'));
  else if (firstDetection) ((facts.detectedAt = firstDetection), (facts.detectedBasis = 'first detection'));
  const verified = firstVerifiedContainment(actions);
  const claim = con ? { at: con, what: 'the recorded containment' } : verified;
  const after = claim && suspectActivityAfter(s, Date.parse(claim.at));
  if (claim && after)
    facts.containmentFailed = {
      claimedAt: claim.at,
      what: claim.what,
      activityAt: new Date(after.eventTime).toISOString(),
      activity: `${after.action}${after.target ? ` ${after.target}` : ''} by ${after.actor}`,
    };
  else if (con) ((facts.containedAt = con), (facts.containedBasis = 'recorded'));
  else if (verified) ((facts.containedAt = verified.at), (facts.containedBasis = verified.what));
  if (res) facts.resolvedAt = res;
  const sig = firstSignal(timeline);
  if (sig) facts.firstSignal = sig;
  if (pd)
    facts.personalData = {
      awareAt: pd.value.awareAt,
      regimes: [...pd.value.regimes],
      ...(pd.value.note ? { note: pd.value.note } : {}),
    };
  const next = cadenceAsOf(s, o.now.getTime());
  if (next && !res)
    facts.nextUpdate = { dueAt: new Date(next.dueMs).toISOString(), overdue: next.overdue, since: next.since };
  facts.internalNames = internalNames(s, actions, evidence, timeline);
  return facts;
}
