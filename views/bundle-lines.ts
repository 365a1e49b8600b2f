// The cross-plane bundle as lines, pure (plan, room) → lines: who holds which role, then every
// step with every call (mutating ones marked), then the lookup's caveats. When everything does not
// fit, each step keeps its own line and its calls go onto one line after it, so every step is on
// screen at 80×24 (↑/↓ scrolls the full list). After the run each step line says where it stands.

import type { BundlePlan, BundleStep, StepOutcome } from '../store/action-bundle.js';
import { safe } from './format.js';
import type { Tone } from './plan-lines.js';

export interface BundleLine {
  text: string;
  tone?: Tone;
}

const MARK: Record<StepOutcome, string> = {
  planned: '·',
  running: '…',
  'in place': '✓',
  failed: '✗',
  partial: '!',
  'not run': '-',
};

function toneOf(o: StepOutcome): Tone | undefined {
  return o === 'in place' ? 'ok' : o === 'failed' || o === 'partial' ? 'danger' : o === 'not run' ? 'warn' : undefined;
}

function stepLine(s: BundleStep, i: number): BundleLine {
  const state = s.outcome === 'planned' ? (s.destructive ? 'destructive' : 'evidence') : s.outcome.toUpperCase();
  // The state first: at 80 columns the end of the line is cut.
  return {
    text: `${MARK[s.outcome]} ${i + 1}. ${state}: ${safe(s.title)} — ${safe(s.target.label)}`,
    tone: toneOf(s.outcome),
  };
}

function head(plan: BundlePlan): BundleLine[] {
  const c = plan.identity.chosen!;
  const via = c.via === 'pod-identity' ? `Pod Identity (${safe(plan.identity.eksCluster ?? '')})` : 'IRSA';
  return [
    {
      text: `${safe(plan.pod.label)} (sa ${safe(plan.identity.serviceAccount)}) → role ${safe(c.name)} (${c.account}) via ${via}`,
      tone: 'bold',
    },
  ];
}

export function bundleLines(plan: BundlePlan, steps: readonly BundleStep[], room: number): BundleLine[] {
  const full: BundleLine[] = [...head(plan)];
  const compact: BundleLine[] = [...head(plan)];
  steps.forEach((s, i) => {
    full.push(stepLine(s, i));
    compact.push(stepLine(s, i));
    for (const c of s.calls)
      full.push({
        text: `    ${c.mutating ? '*' : ' '} ${c.service} ${safe(c.op)}: ${safe(c.summary)}`,
        tone: c.mutating ? 'bold' : 'muted',
      });
    const detail = s.detail ? [{ text: `    ${safe(s.detail)}`, tone: toneOf(s.outcome) ?? 'muted' }] : [];
    full.push(...detail);
    compact.push(
      s.outcome === 'planned' && !s.detail
        ? {
            text: `    ${s.calls.length} calls: ${s.calls.map((c) => `${c.mutating ? '*' : ''}${safe(c.op)}`).join(' · ')}`,
            tone: 'muted',
          }
        : (detail[0] ?? { text: `    ${s.outcome}`, tone: 'muted' }),
    );
  });
  const notes = plan.notes.map((n) => ({ text: `note: ${safe(n)}`, tone: 'warn' as const }));
  full.push(...notes);
  compact.push(...notes);
  return full.length <= room ? full : compact;
}
