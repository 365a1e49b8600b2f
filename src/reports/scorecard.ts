// The end-of-drill scorecard: how fast the team triaged, captured evidence, contained and sent a
// first update, measured from the first detection against the scenario's targets, and whether
// evidence came before destruction. Containment counts from the first one that held: after it,
// no principal the detections named made a call that still succeeded. Pure over the journal's records: in a drill every record's
// `ts` is on the drill clock (app/commands/drill.ts stamps the journal with it), so these are
// simulated minutes, the ones the scenario's targets are written in.

import { actionDef } from '../actions/registry.js';
import { PHASES } from '../domain/phases.js';
import type { AnyRecord, RecordData } from '../journal/records.js';
import { neutraliseLine } from '../safety/neutralise.js';
import { mdCode, mdText } from './escape.js';

export type Scorecard = RecordData<'drill.scored'>;
export type Metric = Scorecard['metrics'][number];

export interface ScoreTargets {
  triageMinutes: number;
  evidenceMinutes: number;
  containMinutes: number;
  updateMinutes: number;
}

export interface ActionTraits {
  evidence: boolean;
  destructive: boolean;
}

/** What an action is, from its definition (a journal from another build may name unknown ones). */
export function actionTraits(id: string): ActionTraits | undefined {
  const def = actionDef(id);
  return def ? { evidence: def.evidence, destructive: def.destructive } : undefined;
}

const MINUTE = 60_000;
const TRIAGE_AT = PHASES.findIndex((p) => p.id === 'triage');

interface Planned {
  action: string;
  targetId: string;
  targetLabel: string;
  traits: ActionTraits | undefined;
  undo: boolean;
  startedSeq?: number;
  override?: string;
}

function minutesBetween(from: number, to: number): number {
  return Math.round(((to - from) / MINUTE) * 10) / 10;
}

function timed(
  id: string,
  label: string,
  targetMinutes: number,
  startMs: number,
  atMs: number | undefined,
  what: string,
  endMs: number,
): Metric {
  if (atMs === undefined) {
    const dueMs = startMs + targetMinutes * MINUTE;
    // Scored before the target's time came (`:score` mid-drill, or quitting early): not a miss.
    if (endMs < dueMs)
      return {
        id,
        label,
        targetMinutes,
        pass: false,
        notYetDue: true,
        detail: `not reached, not yet due (due ${new Date(dueMs).toISOString()}; ${what})`,
      };
    return { id, label, targetMinutes, pass: false, detail: `not reached (${what})` };
  }
  const actualMinutes = Math.max(0, minutesBetween(startMs, atMs));
  const pass = actualMinutes <= targetMinutes;
  return { id, label, targetMinutes, actualMinutes, pass, detail: `${what} at ${new Date(atMs).toISOString()}` };
}

/** When the drill is scored, on its clock, and the real time behind it (DrillRunner.timing). */
export interface ScoreWhen {
  /** Drill-clock time of the scoring; the last record's time by default. */
  endMs?: number;
  wallMs?: number;
  pausedMs?: number;
  pauses?: number;
}

/**
 * Scores a drill journal. `traitsOf` says which actions capture evidence and which destroy (the
 * default reads the action registry).
 */
export function scoreDrill(
  records: Iterable<AnyRecord>,
  targets: ScoreTargets,
  scenario: string,
  traitsOf = actionTraits,
  when: ScoreWhen = {},
): Scorecard {
  let lastRecord: number | undefined;
  let firstDetection: number | undefined;
  let recordedDetected: number | undefined;
  let firstRecord: number | undefined;
  let triaged: { at: number; phase: string } | undefined;
  let contained: { at: number; what: string } | undefined;
  let evidence: { at: number; what: string } | undefined;
  let update: { at: number; audience: string } | undefined;
  const planned = new Map<string, Planned>();
  /** Event keys the detections named, and every ingested event: what containment had to stop. */
  const flagged = new Set<string>();
  const seen: { key: string; at: number; ok: boolean; who: string[] }[] = [];
  /** Every containment that succeeded, in journal order (the first that held is the one that counts). */
  const containments: { at: number; what: string }[] = [];
  /** target id → seq of the first evidence captured on it. */
  const evidenceOn = new Map<string, number>();
  const destroyed: { p: Planned; seq: number }[] = [];

  for (const r of records) {
    const t = Date.parse(r.ts);
    firstRecord ??= t;
    lastRecord = t;
    switch (r.type) {
      case 'incident.opened':
      case 'incident.updated':
        if (r.data.detectedAt) recordedDetected ??= Date.parse(r.data.detectedAt);
        // A contained time the team recorded is held to the same test as an action (below).
        if (r.type === 'incident.updated' && r.data.containedAt)
          containments.push({ at: Date.parse(r.data.containedAt), what: 'contained time recorded' });
        break;
      case 'detection.raised':
        firstDetection ??= t;
        for (const k of r.data.eventKeys) flagged.add(k);
        break;
      case 'event.ingested': {
        const e = r.data.event;
        seen.push({
          key: `${e.source}:${e.id}`,
          at: Date.parse(e.eventTime),
          // GetCallerIdentity needs no permission and no policy can deny it, so a contained
          // session still gets an answer: it shows the credentials exist, not that they work
          // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
          ok: e.outcome === 'success' && !(e.source === 'cloudtrail' && e.action === 'GetCallerIdentity'),
          who: [e.actor, e.accessKeyId].filter((x): x is string => Boolean(x)),
        });
        break;
      }
      case 'phase.set':
        if (!triaged && PHASES.findIndex((p) => p.id === r.data.phase) >= TRIAGE_AT)
          triaged = { at: t, phase: r.data.phase };
        break;
      case 'update.recorded':
        update ??= { at: t, audience: r.data.audience };
        break;
      case 'evidence.recorded':
        if (!evidence) evidence = { at: t, what: `evidence ${r.data.evidenceId} recorded` };
        if (r.data.target && !evidenceOn.has(r.data.target.id)) evidenceOn.set(r.data.target.id, r.seq);
        break;
      case 'action.planned':
        planned.set(r.data.actionId, {
          action: r.data.action,
          targetId: r.data.target.id,
          targetLabel: r.data.target.label,
          traits: traitsOf(r.data.action),
          undo: r.data.undoOf !== undefined,
        });
        break;
      case 'action.confirmed': {
        const p = planned.get(r.data.actionId);
        const o = r.data.override;
        if (p && o)
          p.override = `${o.basis === 'commander' ? `commander${o.commander ? ` ${o.commander}` : ''}` : 'Sev0 + active exfiltration'}: ${o.reason}`;
        break;
      }
      case 'action.started': {
        const p = planned.get(r.data.actionId);
        if (p) p.startedSeq = r.seq;
        break;
      }
      case 'action.succeeded': {
        const p = planned.get(r.data.actionId);
        if (!p?.traits || p.undo) break;
        if (p.traits.evidence) {
          if (!evidence || t < evidence.at) evidence = { at: t, what: `${p.action} on ${p.targetLabel}` };
          if (!evidenceOn.has(p.targetId)) evidenceOn.set(p.targetId, r.seq);
        } else if (p.traits.destructive) {
          containments.push({ at: t, what: `${p.action} on ${p.targetLabel}` });
          destroyed.push({ p, seq: p.startedSeq ?? r.seq });
        }
        break;
      }
      default:
        // The scorecard's metrics read only the record types above.
        break;
    }
  }

  // Containment counts once it stopped the activity: a principal the detections named making a
  // call that still succeeded after it (by the event's own time) means it did not hold.
  const suspects = new Set(seen.filter((e) => flagged.has(e.key)).flatMap((e) => e.who));
  const stillActive = (at: number) => seen.find((e) => e.ok && e.at > at && e.who.some((w) => suspects.has(w)));
  let leaked: string | undefined;
  for (const c of [...containments].sort((a, b) => a.at - b.at)) {
    const after = stillActive(c.at);
    if (!after) {
      if (!contained || c.at < contained.at) contained = c;
      break;
    }
    leaked ??= `${c.what} did not stop the activity (${after.key} succeeded at ${new Date(after.at).toISOString()})`;
  }
  const startMs = firstDetection ?? recordedDetected ?? firstRecord ?? 0;
  const endMs = Math.max(when.endMs ?? 0, lastRecord ?? 0);
  const metrics: Metric[] = [
    timed(
      'triage',
      'Time to triage',
      targets.triageMinutes,
      startMs,
      triaged?.at,
      triaged ? `phase ${triaged.phase}` : 'no phase set to triage or later',
      endMs,
    ),
    timed(
      'evidence',
      'Time to first evidence',
      targets.evidenceMinutes,
      startMs,
      evidence?.at,
      evidence?.what ?? 'no evidence captured',
      endMs,
    ),
    timed(
      'contain',
      'Time to contain',
      targets.containMinutes,
      startMs,
      contained?.at,
      contained?.what ?? leaked ?? 'no containment action succeeded, no contained time recorded',
      endMs,
    ),
  ];

  const violations = destroyed.filter(({ p, seq }) => !((evidenceOn.get(p.targetId) ?? Infinity) < seq));
  const waived = violations.filter((v) => v.p.override);
  const broken = violations.filter((v) => !v.p.override);
  const name = (v: { p: Planned }) => `${v.p.action} on ${v.p.targetLabel}`;
  const parts = [
    destroyed.length === 0
      ? 'no destructive action taken'
      : `${destroyed.length} destructive action(s), ${destroyed.length - violations.length} after evidence on the same target`,
    ...(broken.length ? [`before evidence: ${broken.map(name).join('; ')}`] : []),
    ...(waived.length ? [`overridden: ${waived.map((v) => `${name(v)} (${v.p.override})`).join('; ')}`] : []),
  ];
  metrics.push({
    id: 'evidence-first',
    label: 'Evidence before destruction',
    pass: broken.length === 0,
    detail: parts.join('; '),
  });

  metrics.push(
    timed(
      'update',
      'First update sent',
      targets.updateMinutes,
      startMs,
      update?.at,
      update ? `update for ${update.audience}` : 'no update recorded',
      endMs,
    ),
  );
  const passed = metrics.filter((m) => m.pass).length;
  const total = metrics.length;
  if (firstRecord !== undefined) {
    // Not a target: the record the scorecard keeps of how long the drill took, on both clocks.
    const min = (ms: number) => Math.round((ms / MINUTE) * 10) / 10;
    const parts = [`drill time ${min(Math.max(0, endMs - firstRecord))} min`];
    if (when.wallMs !== undefined) {
      const paused =
        when.pausedMs !== undefined
          ? `, ${min(when.pausedMs)} min paused${when.pauses !== undefined ? ` (${when.pauses} pause${when.pauses === 1 ? '' : 's'})` : ''}`
          : '';
      parts.push(`wall time ${min(when.wallMs)} min${paused} in this session`);
    }
    metrics.push({ id: TIMING, label: 'Time taken', pass: true, detail: parts.join(' · ') });
  }
  return { scenario, metrics, passed, total };
}

/** The metric id of the drill's timing line: reported, never counted as a target. */
export const TIMING = 'timing';

const verdict = (m: Metric): string => (m.pass ? 'PASS' : m.notYetDue ? 'n/r ' : 'MISS');

/** "3/4 targets met, 1 not yet due". */
function tally(s: Scorecard): string {
  const open = s.metrics.filter((m) => m.notYetDue).length;
  return `${s.passed}/${s.total} targets met${open ? `, ${open} not yet due` : ''}`;
}

/** "drill time 42 min · wall time 9.5 min, 3.1 min paused (2 pauses) in this session". */
export function timingLine(s: Scorecard): string | undefined {
  return s.metrics.find((m) => m.id === TIMING)?.detail;
}

function metricLine(m: Metric): string {
  const time =
    m.targetMinutes === undefined
      ? ''
      : `${m.actualMinutes === undefined ? '—' : `${m.actualMinutes} min`} (target ${m.targetMinutes} min)`;
  return `${verdict(m)}  ${m.label.padEnd(28)} ${time}${time ? ' — ' : ''}${neutraliseLine(m.detail)}`;
}

/** The scorecard as the terminal shows it after a drill. */
export function scorecardText(s: Scorecard): string {
  return [
    `Drill scorecard (${neutraliseLine(s.scenario)}): ${tally(s)}`,
    ...s.metrics.filter((m) => m.id !== TIMING).map((m) => `  ${metricLine(m)}`),
    ...(timingLine(s) ? [`  ${timingLine(s)}`] : []),
    '',
  ].join('\n');
}

/** The scorecard as Markdown (export --scorecard). */
export function scorecardMarkdown(s: Scorecard, title: string): string {
  const rows = s.metrics
    .filter((m) => m.id !== TIMING)
    .map(
      (m) =>
        `| ${mdText(m.label)} | ${m.targetMinutes ?? ''} | ${m.actualMinutes ?? ''} | ${m.pass ? 'pass' : m.notYetDue ? 'not yet due' : '**miss**'} | ${mdText(m.detail)} |`,
    );
  return [
    `# Drill scorecard: ${mdText(title)}`,
    '',
    `Scenario ${mdCode(s.scenario)}: **${s.passed}/${s.total}** ${tally(s).replace(/^\S+ /, '')}. Minutes are drill-clock minutes from the first detection.`,
    ...(timingLine(s) ? ['', `Timing: ${timingLine(s)}.`] : []),
    '',
    '| measure | target (min) | actual (min) | result | detail |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
