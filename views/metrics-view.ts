// `M` / `:metrics`: the incident's pace as a scrolling detail view, from store/metrics.ts.

import { PHASES } from '../src/domain/phases.js';
import { incidentMetrics } from '../store/metrics.js';
import { phaseChecklist, phaseProgress } from '../store/phase-progress.js';
import { duration, safe, wrapLines } from './format.js';
import { setUi, type KeyContext } from './key-effects.js';
import type { IncidentState } from '../store/state.js';

/**
 * The metrics view's lines, from the journal as it stands: the view redraws them on every change
 * and every second (it was a snapshot taken when opened, so its "now" stood still).
 */
export function metricsLines(state: IncidentState, now: Date, cols: number): string[] {
  const m = incidentMetrics(state, now);
  const lines = ['How long it took (from the journal):'];
  for (const d of m.durations)
    lines.push(
      d.ms === undefined
        ? `  ${d.name.padEnd(16)} —  ${d.basis}`
        : `  ${d.name.padEnd(16)} ${duration(d.ms).padStart(8)}  ${d.basis} (${d.from} → ${d.to})`,
    );
  lines.push('', 'Time in each phase:');
  const total = m.phases.reduce((a, p) => a + p.ms, 0) || 1;
  for (const p of m.phases) {
    const bar = '#'.repeat(Math.max(1, Math.round((p.ms / total) * 30)));
    lines.push(`  ${p.name.padEnd(22)} ${duration(p.ms).padStart(8)}  ${bar}${p.current ? '  (now)' : ''}`);
  }
  lines.push('', 'Phase checklists ([x] done per the journal, [ ] not yet, [·] yours to judge):');
  for (const ph of PHASES) {
    if (ph.id === 'preparation') continue;
    const items = phaseChecklist(state, ph.id);
    const p = phaseProgress(items);
    lines.push(`  ${ph.name}${p.of ? `  ${p.done}/${p.of}` : ''}`);
    for (const i of items) lines.push(`    ${i.done === undefined ? '[·]' : i.done ? '[x]' : '[ ]'} ${i.text}`);
  }
  lines.push('', 'Roles (every hand-off, from → to):');
  if (!m.roles.length) lines.push('  none assigned yet — r assigns one');
  for (const r of m.roles) {
    const chain = r.holders.map((h) => `${safe(h.person)} (${h.at.slice(11, 19)} by ${safe(h.by)})`).join(' → ');
    lines.push(`  ${r.role.padEnd(20)} ${chain}`);
  }
  return wrapLines(lines, cols);
}

/** `M` / `:metrics`: opens the live metrics view. */
export function openMetrics(ctx: KeyContext): void {
  setUi(ctx, { dialog: { kind: 'metrics', top: 0 } });
}
