// The end-of-drill scorecard: how fast the team triaged, captured evidence, contained and sent a
// first update, measured from the first detection against the scenario's targets, and whether
// evidence came before destruction. Pure over the journal's records: in a drill every record's
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
): Metric {
  if (atMs === undefined) return { id, label, targetMinutes, pass: false, detail: `not reached (${what})` };
  const actualMinutes = Math.max(0, minutesBetween(startMs, atMs));
  const pass = actualMinutes <= targetMinutes;
  return { id, label, targetMinutes, actualMinutes, pass, detail: `${what} at ${new Date(atMs).toISOString()}` };
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
): Scorecard {
  let firstDetection: number | undefined;
  let recordedDetected: number | undefined;
  let firstRecord: number | undefined;
  let triaged: { at: number; phase: string } | undefined;
  let contained: { at: number; what: string } | undefined;
  let evidence: { at: number; what: string } | undefined;
  let update: { at: number; audience: string } | undefined;
  const planned = new Map<string, Planned>();
  /** target id → seq of the first evidence captured on it. */
  const evidenceOn = new Map<string, number>();
  const destroyed: { p: Planned; seq: number }[] = [];

  for (const r of records) {
    const t = Date.parse(r.ts);
    firstRecord ??= t;
    switch (r.type) {
      case 'incident.opened':
      case 'incident.updated':
        if (r.data.detectedAt) recordedDetected ??= Date.parse(r.data.detectedAt);
        if (r.type === 'incident.updated' && r.data.containedAt) {
          const at = Date.parse(r.data.containedAt);
          if (!contained || at < contained.at) contained = { at, what: 'contained time recorded' };
        }
        break;
      case 'detection.raised':
        firstDetection ??= t;
        break;
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
          if (!contained || t < contained.at) contained = { at: t, what: `${p.action} on ${p.targetLabel}` };
          destroyed.push({ p, seq: p.startedSeq ?? r.seq });
        }
        break;
      }
      default:
        // The scorecard's metrics read only the record types above.
        break;
    }
  }

  const startMs = firstDetection ?? recordedDetected ?? firstRecord ?? 0;
  const metrics: Metric[] = [
    timed(
      'triage',
      'Time to triage',
      targets.triageMinutes,
      startMs,
      triaged?.at,
      triaged ? `phase ${triaged.phase}` : 'no phase set to triage or later',
    ),
    timed(
      'evidence',
      'Time to first evidence',
      targets.evidenceMinutes,
      startMs,
      evidence?.at,
      evidence?.what ?? 'no evidence captured',
    ),
    timed(
      'contain',
      'Time to contain',
      targets.containMinutes,
      startMs,
      contained?.at,
      contained?.what ?? 'no containment action succeeded, no contained time recorded',
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
    ),
  );
  return { scenario, metrics, passed: metrics.filter((m) => m.pass).length, total: metrics.length };
}

function metricLine(m: Metric): string {
  const time =
    m.targetMinutes === undefined
      ? ''
      : `${m.actualMinutes === undefined ? '—' : `${m.actualMinutes} min`} (target ${m.targetMinutes} min)`;
  return `${m.pass ? 'PASS' : 'MISS'}  ${m.label.padEnd(28)} ${time}${time ? ' — ' : ''}${neutraliseLine(m.detail)}`;
}

/** The scorecard as the terminal shows it after a drill. */
export function scorecardText(s: Scorecard): string {
  return [
    `Drill scorecard (${neutraliseLine(s.scenario)}): ${s.passed}/${s.total} targets met`,
    ...s.metrics.map((m) => `  ${metricLine(m)}`),
    '',
  ].join('\n');
}

/** The scorecard as Markdown (export --scorecard). */
export function scorecardMarkdown(s: Scorecard, title: string): string {
  const rows = s.metrics.map(
    (m) =>
      `| ${mdText(m.label)} | ${m.targetMinutes ?? ''} | ${m.actualMinutes ?? ''} | ${m.pass ? 'pass' : '**miss**'} | ${mdText(m.detail)} |`,
  );
  return [
    `# Drill scorecard: ${mdText(title)}`,
    '',
    `Scenario ${mdCode(s.scenario)}: **${s.passed}/${s.total}** targets met. Minutes are drill-clock minutes from the first detection.`,
    '',
    '| measure | target (min) | actual (min) | result | detail |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
