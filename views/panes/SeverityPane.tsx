// Severity: the level and why (the seed's criteria), what the detections suggest, the SLA. In a
// wide terminal the whole matrix is shown (ink-table) so the responder can compare at a glance.

import { Box, Text } from 'ink';
import { Table } from '@alcalzone/ink-table';
import { SEVERITIES, severityInfo } from '../../src/domain/severity.js';
import { severityAsOf, suggestedSeverityAsOf } from '../../store/selectors.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { PaneTitle } from '../components/PaneTitle.js';
import { TableHeading } from '../components/TableHeading.js';
import { hms, safe } from '../format.js';
import { rolesLine } from '../roster.js';

const MATRIX = SEVERITIES.map((s) => ({ level: `${s.code} ${s.name}`, criteria: s.criteria, response: s.response }));

export function SeverityPane({ height, width, focused }: { height: number; width: number; focused: boolean }) {
  const { theme, mode } = useDeps();
  const state = useIncident((s) => s.state);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  const sev = severityAsOf(state, asOf);
  const suggested = suggestedSeverityAsOf(state, asOf);
  const info = sev ? severityInfo(sev.value) : undefined;
  const lines: { text: string; color?: string | undefined; bold?: boolean }[] = [];
  if (info && sev) {
    lines.push({
      text: `${info.code} ${info.name} — ${info.response} (set ${hms(Date.parse(sev.ts))} by ${safe(sev.actor)})`,
      color: theme.severity[info.level].bg,
      bold: true,
    });
    lines.push({ text: `criteria: ${info.criteria}${sev.reason ? ` · why: ${safe(sev.reason)}` : ''}` });
  } else {
    // Review has no `s` (nothing can be written): do not offer a key that does nothing.
    const text =
      mode === 'review'
        ? 'Not set at this record'
        : 'Not set — press s to classify (first 15 minutes: severity, IC, channel, timeline)';
    lines.push({ text, color: theme.warn, bold: true });
  }
  if (suggested !== undefined) {
    const s = severityInfo(suggested);
    const differs = !sev || sev.value !== suggested;
    lines.push({
      text: `detections suggest ${s.code} ${s.name}${differs ? (sev && suggested > sev.value ? ' (lower than set)' : ' — review the level') : ' (matches)'}`,
      color: differs ? theme.warn : theme.ok,
    });
  } else {
    lines.push({ text: 'no detections yet', color: theme.muted });
  }
  const roles = rolesLine(state, asOf);
  if (roles) lines.push({ text: roles });
  const showMatrix = width >= 100 && height >= lines.length + 1 + 11;
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <PaneTitle n={1} title="Severity" focused={focused} />
      {lines.slice(0, Math.max(0, height - 1)).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.bold ?? false} {...(l.color ? { color: l.color } : {})}>
          {' ' + l.text}
        </Text>
      ))}
      {showMatrix ? <Table data={MATRIX} header={TableHeading} /> : null}
    </Box>
  );
}
