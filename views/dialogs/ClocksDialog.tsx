// The clocks panel (`c`): every regulatory clock with its due time in UTC, the time left, and the
// notify / no-notify decision with its rationale; then the leadership-update cadence. Built from
// the journal's fold, so after a restart it shows the same due times.

import { Text } from 'ink';
import { AID_LABEL, formatCountdown, REGIME_NAMES } from '../../src/domain/deadlines.js';
import { cadenceAsOf, clocksAsOf } from '../../store/clock-selectors.js';
import type { IncidentState } from '../../store/state.js';
import { dateHms, hms, safe, wrapLines } from '../format.js';

function left(ms: number, overdue: boolean): string {
  return overdue ? `OVERDUE by ${formatCountdown(ms)}` : `${formatCountdown(ms)} left`;
}

/** The panel's lines at `width` columns (pure: the dialog scrolls over them). */
export function clockLines(s: IncidentState, nowMs: number, width: number, asOf = s.seq): string[] {
  const lines: string[] = [`Regulatory clocks — ${AID_LABEL}. Times in UTC; now ${dateHms(nowMs)}.`, ''];
  const clocks = clocksAsOf(s, nowMs, asOf);
  if (clocks.length === 0) {
    lines.push(
      'No personal data flagged. `:personal-data [gdpr,hipaa,nis2,dora,sec] [note] [--at TIME]` starts the clocks',
      '(awareness = now, or the time given).',
      '',
    );
  }
  for (const c of clocks) {
    lines.push(`${c.short.padEnd(10)} due ${dateHms(c.dueMs)}  ${left(c.remainingMs, c.overdue).padEnd(20)} ${c.what}`);
    lines.push(`           ${c.basis}; from ${dateHms(c.fromMs)}${c.note ? ` (${c.note})` : ''}`);
    const d = c.decision;
    lines.push(
      d
        ? `           decision: ${d.value.decision === 'notify' ? 'NOTIFY' : 'DO NOT NOTIFY'} — ${safe(d.value.rationale)} (${safe(d.actor)}, ${dateHms(Date.parse(d.ts))})`
        : `           decision: none yet — :decide ${c.regime} notify|no-notify RATIONALE`,
    );
  }
  const regimes = [...new Set(clocks.map((c) => c.regime))];
  if (regimes.length)
    lines.push(
      '',
      `Regimes: ${regimes.map((r) => REGIME_NAMES[r]).join(', ')}. A decided regime leaves the header; its clocks stay here.`,
    );
  lines.push('');
  const cad = cadenceAsOf(s, nowMs, asOf);
  if (!cad) lines.push('Leadership summary: none owed (incident resolved).');
  else {
    lines.push(
      `Leadership summary every ${cad.hours} h (:cadence 2-4): next due ${hms(cad.dueMs)} UTC, ${left(cad.remainingMs, cad.overdue)}`,
      `  counted from the ${cad.since === 'update' ? 'last leadership update' : 'detection (no leadership update yet)'}.`,
    );
  }
  return wrapLines(lines, width);
}

export function ClocksBody({ lines, top, rows }: { lines: readonly string[]; top: number; rows: number }) {
  return (
    <>
      {lines.slice(top, top + rows).map((l, i) => (
        <Text key={i} wrap="truncate" {...(/OVERDUE/.test(l) ? { bold: true } : {})}>
          {l || ' '}
        </Text>
      ))}
    </>
  );
}
