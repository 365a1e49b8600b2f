// The status header: what a responder glances at first. Severity is written out (and coloured),
// every time is UTC, and journal health is always visible — an UNSAFE journal means nothing more
// is being recorded, which the responder must know at once.

import { Box, Text } from 'ink';
import { phaseName } from '../../src/domain/phases.js';
import { phaseBar } from '../pictures.js';
import { responseDeadline, severityInfo } from '../../src/domain/severity.js';
import { latest, phaseAsOf, rolesAsOf, severityAsOf } from '../../store/selectors.js';
import { activeArmings, timeLeft } from '../../store/arming.js';
import { responseStartMsAsOf } from '../../store/clock-selectors.js';
import type { Arming } from '../../store/state.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { duration, hms, safe } from '../format.js';
import { useNow } from '../use-now.js';
import { HeaderClocks, headerBadges } from './HeaderClocks.js';

export function Header({ width }: { width: number }) {
  const { theme, mode, drill, sources, readOnly, prod, actions } = useDeps();
  const state = useIncident((s) => s.state);
  const meta = useIncident((s) => s.meta);
  const asOfUi = useUi((u) => u.asOf);
  const liveNow = useNow();
  // Arming runs on the wall clock, not the drill's: it bounds the responder's own session.
  const wallNow = Date.now();
  const armed = activeArmings(state, meta.session, wallNow);
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
  const responseStart = responseStartMsAsOf(state, asOf);
  if (sev && responseStart !== undefined && !Number.isNaN(responseStart)) {
    const due = responseDeadline(sev.value, responseStart);
    const started = !['detection', 'triage'].includes(phase);
    sla = started
      ? 'response under way'
      : severityInfo(sev.value).slaMinutes === 0
        ? // "Immediate" is a call to act, not a deadline already missed.
          `RESPOND NOW (${duration(Math.max(0, now - responseStart))} since ${due === Date.parse(sev.ts) ? 'set' : 'detection'})`
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
  /** A source that needs the responder's eye (a drill stopped or paused, a feed not ok). */
  let alarm = false;
  if (drill) {
    const d = drill.status();
    alarm = !!d.error || d.paused;
    source = d.error
      ? `DRILL STOPPED: ${d.error}`
      : `drill ${d.finished ? 'finished' : d.paused ? 'PAUSED' : '▶'} ×${d.speed} ${d.delivered}/${d.total}${d.skippedMs ? ` · skipped ${duration(d.skippedMs)} quiet` : ''}`;
  } else if (sources) {
    const h = sources.health();
    alarm = h.some((x) => x.state !== 'ok');
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
    // The phase bar only where it does not push the incident id off the line.
    `phase ${phaseName(phase)}${width >= 120 ? ` ${phaseBar(phase)}` : ''}`,
    inc ? `${inc.id}${inc.codename ? ` "${safe(inc.codename)}"` : ''}` : 'no incident',
  ]
    .filter(Boolean)
    .join(' │ ');
  const since = Number.isNaN(detectedMs)
    ? Number.isNaN(openedMs)
      ? ''
      : `not yet detected (opened ${duration(now - openedMs)} ago)`
    : `T+${duration(now - detectedMs)} since detection`;
  // Line 2 is cut from the end once clock badges take its start: what needs the responder's eye
  // comes first — an UNSAFE journal, a DEGRADED feed or a PAUSED drill — then the time since
  // detection, the sources, and "durable · N rec" last.
  const unsafe = meta.health.state === 'unsafe';
  const order = unsafe ? [journal, source, since] : alarm ? [source, since, journal] : [since, source, journal];
  const line2 = [`${hms(now)} UTC`, ...order].filter(Boolean).join(' │ ');
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
            <SessionTag armed={readOnly ? [] : armed} now={wallNow} readOnly={!!readOnly} />
          ) : null}
        </Box>
        <Text
          wrap="truncate"
          {...(/^RESP(ONSE OVERDUE|OND NOW)/.test(sla) && theme.danger ? { color: theme.danger } : {})}
        >
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

/**
 * ARMED for which account or cluster and for how long (destructive actions may run there), or
 * READ-ONLY (they may not); in words, for NO_COLOR too.
 */
function SessionTag({ armed, now, readOnly }: { armed: Arming[]; now: number; readOnly: boolean }) {
  const { theme } = useDeps();
  if (!armed.length) return <Text bold>{readOnly ? ' READ-ONLY' : ' not armed (A)'}</Text>;
  const what = armed.map((a) => `${safe(a.target)} ${timeLeft(a.until!, now)}`).join(' · ');
  return (
    <>
      <Text> </Text>
      <Text bold inverse={!theme.danger} {...(theme.danger ? { backgroundColor: theme.danger, color: 'white' } : {})}>
        {` ARMED ${what} `}
      </Text>
    </>
  );
}
