// The status header: what a responder glances at first. Severity is written out (and coloured),
// every time is UTC, and journal health is always visible — an UNSAFE journal means nothing more
// is being recorded, which the responder must know at once.

import { Box, Text } from 'ink';
import { phaseName } from '../../src/domain/phases.js';
import { responseDeadline, severityInfo } from '../../src/domain/severity.js';
import { latest, phaseAsOf, rolesAsOf, severityAsOf } from '../../store/selectors.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { duration, hms, safe } from '../format.js';
import { useNow } from '../use-now.js';
import { HeaderClocks, headerBadges } from './HeaderClocks.js';

export function Header({ width }: { width: number }) {
  const { theme, mode, drill, sources, readOnly, prod, actions } = useDeps();
  const armed = useIncident((s) => s.state.armed.length > 0);
  const state = useIncident((s) => s.state);
  const meta = useIncident((s) => s.meta);
  const asOfUi = useUi((u) => u.asOf);
  const liveNow = useNow();
  const asOf = asOfUi ?? state.seq;
  const inc = state.incident;
  // In review the clock stands at the record under the cursor.
  const now = mode === 'review' ? (state.recordTimes.at(asOf - 1) ?? NaN) : liveNow;
  const sev = severityAsOf(state, asOf);
  // Detected = the time the team recorded, else the first detection raised; until then the clock
  // runs from when the incident was opened.
  const firstDetection = state.detections.at(0);
  const detected =
    latest(state.detectedAt, asOf)?.value ??
    (firstDetection && firstDetection.seq <= asOf ? firstDetection.ts : undefined);
  const detectedMs = detected ? Date.parse(detected) : NaN;
  const openedMs = inc ? Date.parse(inc.openedAt) : NaN;
  const ic = rolesAsOf(state, asOf).get('ic')?.value.person;
  const phase = phaseAsOf(state, asOf);

  let sla = '';
  if (sev && !Number.isNaN(detectedMs || openedMs)) {
    const due = responseDeadline(sev.value, Number.isNaN(detectedMs) ? openedMs : detectedMs);
    const started = !['detection', 'triage'].includes(phase);
    sla = started
      ? 'response under way'
      : due >= now
        ? `respond by ${hms(due)} (${duration(due - now)} left)`
        : `RESPONSE OVERDUE ${duration(now - due)}`;
  }
  const modeTag = mode === 'review' ? ` REVIEW @${asOf}/${state.seq} ` : mode === 'drill' ? ' DRILL ' : ' LIVE ';
  const sevInfo = sev ? severityInfo(sev.value) : undefined;
  const sevStyle = sev ? theme.severity[sev.value] : {};
  const journal =
    meta.health.state === 'unsafe'
      ? `JOURNAL UNSAFE: ${meta.health.reason ?? ''}`
      : `journal ${meta.readOnly ? 'read-only' : 'durable'} · ${state.seq} rec · ${meta.openReport ? 'verified ✓' : 'new'}`;
  let source = '';
  if (drill) {
    const d = drill.status();
    source = d.error
      ? `DRILL STOPPED: ${d.error}`
      : `drill ${d.finished ? 'finished' : d.paused ? 'PAUSED' : '▶'} ×${d.speed} ${d.delivered}/${d.total}`;
  } else if (sources) {
    const h = sources.health();
    source = h.length
      ? h
          .map(
            (x) =>
              `${x.name} ${x.state === 'ok' ? '✓' : x.state.toUpperCase()}${x.message && x.state !== 'ok' ? ` (${safe(x.message)})` : ''}`,
          )
          .join(' · ')
      : 'no live sources';
  } else if (mode === 'review') source = 'no live sources (review)';
  else source = 'no live sources';

  // Line 1 carries what decides the next minute (severity, SLA, who commands, phase), in that
  // order, because a narrow terminal cuts the end; line 2 the context.
  const line1 = [
    sla,
    `IC ${ic ? safe(ic) : 'UNASSIGNED'}`,
    `phase ${phaseName(phase)}`,
    inc ? `${inc.id}${inc.codename ? ` "${safe(inc.codename)}"` : ''}` : 'no incident',
  ]
    .filter(Boolean)
    .join(' │ ');
  const since = Number.isNaN(detectedMs)
    ? Number.isNaN(openedMs)
      ? ''
      : `not yet detected (opened ${duration(now - openedMs)} ago)`
    : `T+${duration(now - detectedMs)} since detection`;
  const line2 = [`${hms(now)} UTC`, since, journal, source].filter(Boolean).join(' │ ');
  const badges = headerBadges(state, now, asOf);
  return (
    <Box flexDirection="column" width={width}>
      <Box height={1}>
        <Box flexShrink={0}>
          <Text
            inverse={!theme.modeBg[mode]}
            bold
            {...(theme.modeBg[mode] ? { backgroundColor: theme.modeBg[mode], color: 'white' } : {})}
          >
            {modeTag}
          </Text>
          <Text> </Text>
          <Text
            bold
            inverse={!sevStyle.bg}
            {...(sevStyle.bg ? { backgroundColor: sevStyle.bg } : {})}
            {...(sevStyle.fg ? { color: sevStyle.fg } : {})}
          >
            {sevInfo ? ` ${sevInfo.code.toUpperCase()} ${sevInfo.name.toUpperCase()} ` : ' SEVERITY NOT SET '}
          </Text>
          {prod ? (
            <>
              <Text> </Text>
              <Text
                bold
                inverse={!theme.prod.bg}
                {...(theme.prod.bg ? { backgroundColor: theme.prod.bg } : {})}
                {...(theme.prod.fg ? { color: theme.prod.fg } : {})}
              >
                {' PROD '}
              </Text>
            </>
          ) : null}
          {mode !== 'review' && (readOnly || actions) ? (
            <SessionTag armed={armed && !readOnly} readOnly={!!readOnly} />
          ) : null}
        </Box>
        <Text wrap="truncate" {...(sla.startsWith('RESPONSE OVERDUE') && theme.danger ? { color: theme.danger } : {})}>
          {` ${line1}`}
        </Text>
      </Box>
      <Box height={1}>
        <Box flexShrink={0}>
          <HeaderClocks badges={badges} />
        </Box>
        <Text
          wrap="truncate"
          {...(meta.health.state === 'unsafe'
            ? { color: theme.danger ?? undefined, inverse: !theme.danger }
            : { dimColor: true })}
        >
          {line2}
        </Text>
      </Box>
    </Box>
  );
}

/** ARMED (destructive actions may run) or READ-ONLY (they may not); in words, for NO_COLOR too. */
function SessionTag({ armed, readOnly }: { armed: boolean; readOnly: boolean }) {
  const { theme } = useDeps();
  if (!armed) return <Text bold>{readOnly ? ' READ-ONLY' : ' not armed (A)'}</Text>;
  return (
    <>
      <Text> </Text>
      <Text bold inverse={!theme.danger} {...(theme.danger ? { backgroundColor: theme.danger, color: 'white' } : {})}>
        {' ARMED '}
      </Text>
    </>
  );
}
