// The header's regulatory countdown and overdue-update warning: "GDPR 71:12 left", red under 6 h
// or overdue, and "update overdue 0:25" once the leadership summary is late. Compact on purpose:
// it sits at the start of the header's second line, which an 80-column terminal still shows.

import { Text } from 'ink';
import { formatCountdown } from '../../src/domain/deadlines.js';
import { cadenceAsOf, clocksAsOf, mostUrgentOpenClock } from '../../store/clock-selectors.js';
import type { IncidentState } from '../../store/state.js';
import { useDeps } from '../context.js';

export interface Badge {
  text: string;
  urgent: boolean;
}

/** The header badges at `nowMs` for the incident as of `asOf` (pure: tested without Ink). */
export function headerBadges(s: IncidentState, nowMs: number, asOf = s.seq): Badge[] {
  const out: Badge[] = [];
  const clock = mostUrgentOpenClock(clocksAsOf(s, nowMs, asOf));
  if (clock) {
    const left = formatCountdown(clock.remainingMs);
    out.push({
      text: clock.overdue ? `${clock.short} OVERDUE ${left}` : `${clock.short} ${left} left`,
      urgent: clock.urgent,
    });
  }
  const c = cadenceAsOf(s, nowMs, asOf);
  if (c?.overdue) out.push({ text: `update overdue ${formatCountdown(c.remainingMs)}`, urgent: true });
  return out;
}

export function HeaderClocks({ badges }: { badges: readonly Badge[] }) {
  const { theme } = useDeps();
  if (badges.length === 0) return null;
  return (
    <Text>
      {badges.map((b, i) => (
        <Text key={i}>
          <Text bold {...(b.urgent ? (theme.danger ? { color: theme.danger } : { inverse: true }) : {})}>
            {b.text}
          </Text>
          <Text dimColor>{' │ '}</Text>
        </Text>
      ))}
    </Text>
  );
}
