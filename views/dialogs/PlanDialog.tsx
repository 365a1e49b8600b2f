// The plan of one action, before anything runs: what it will call, what else it touches, the
// warnings (first, in the danger colour), the guardrail, the hash the confirmation binds to, the
// dry run. The footer says which keys apply now; a destructive action asks for its target typed back.

import { Box, Text } from 'ink';
import { planGuardrail } from '../action-keys.js';
import { actionTitle } from '../action-rows.js';
import { sessionDef, targetName } from '../../store/action-session.js';
import { useDeps, useIncident } from '../context.js';
import { safe } from '../format.js';
import { whereText } from '../../src/actions/catalog.js';
import { planLines, wrapPlan, type Tone } from '../plan-lines.js';
import type { Theme } from '../theme.js';
import type { PlanDialog } from '../ui-state.js';
import { Frame, Input } from './Frame.js';

export function toneProps(tone: Tone | undefined, theme: Theme): Record<string, unknown> {
  switch (tone) {
    case 'danger':
      return theme.danger ? { color: theme.danger, bold: true } : { bold: true, inverse: true };
    case 'warn':
      return theme.warn ? { color: theme.warn } : { bold: true };
    case 'ok':
      return theme.ok ? { color: theme.ok } : {};
    case 'muted':
      return { dimColor: true };
    case 'bold':
      return { bold: true };
    default:
      return {};
  }
}

export function PlanView({ d, width, height }: { d: PlanDialog; width: number; height: number }) {
  const { actions: s, theme, readOnly } = useDeps();
  const state = useIncident((x) => x.state);
  const a = state.actions.get(d.actionId);
  if (!s || !a) {
    return (
      <Frame title="Plan" width={width} height={Math.min(height, 5)} footer="Esc closes">
        <Text>{`no action ${d.actionId}`}</Text>
      </Frame>
    );
  }
  const def = sessionDef(s, a.planned.action, !!readOnly);
  const status = s.runner.status(d.actionId);
  const guard = planGuardrail(s, d.actionId, state);
  const target = a.planned.target;
  const title = actionTitle(s, a.planned.action);
  const lines = wrapPlan(
    planLines({
      action: a,
      title,
      destructive: !!def?.destructive,
      reversible: !!def?.reversible,
      status,
      guard,
      ...(d.override ? { override: d.override } : {}),
    }),
    width - 4,
  );
  const input = d.stage !== 'review';
  const room = Math.max(1, height - 4 - (input ? 1 : 0));
  const top = Math.min(d.top, Math.max(0, lines.length - room));
  const held = !guard.ok && !d.override;
  const keys =
    d.busy ??
    (d.stage === 'typing'
      ? `type ${target.id}${targetName(target) !== target.id ? ` (or ${targetName(target)})` : ''} exactly, Enter confirms and runs · Esc cancels`
      : d.stage === 'override'
        ? 'the incident commander’s reason, Enter · Esc cancels'
        : status === 'planned'
          ? [
              'd dry run',
              held
                ? `${guard.captureWith.map((c) => c.key).join('/')} capture first`
                : def?.destructive
                  ? 'y confirm (type the id)'
                  : 'y confirm and run',
              held && guard.commanderMayOverride ? 'o override' : '',
              lines.length > room ? '↑/↓ scroll' : '',
              'Esc closes',
            ]
              .filter(Boolean)
              .join(' · ')
          : status === 'confirmed'
            ? 'y runs it (confirmed earlier) · Esc closes'
            : `${lines.length > room ? '↑/↓ scroll · ' : ''}Esc closes`);
  return (
    <Frame
      title={`Plan: ${safe(title)} — ${safe(a.planned.target.label + whereText(a.planned.target))}`}
      width={width}
      height={height}
      footer={keys}
    >
      <Box flexDirection="column" height={room} overflow="hidden">
        {lines.slice(top, top + room).map((l, i) => (
          <Text key={i} wrap="truncate" {...toneProps(l.tone, theme)}>
            {l.text || ' '}
          </Text>
        ))}
      </Box>
      {input ? <Input label={d.stage === 'typing' ? 'confirm:' : 'override reason:'} text={d.text} /> : null}
    </Frame>
  );
}
