// The cross-plane bundle's dialog: every step's plan before anything runs, the one typed
// confirmation (the role's name), then each step's outcome as it runs (views/bundle-lines.ts).

import { Box, Text } from 'ink';
import { bundleLines } from '../bundle-lines.js';
import { useDeps } from '../context.js';
import { safe } from '../format.js';
import type { BundleDialog } from '../ui-state.js';
import { Frame, Input } from './Frame.js';
import { toneProps } from './PlanDialog.js';

export function BundleView({ d, width, height }: { d: BundleDialog; width: number; height: number }) {
  const { theme } = useDeps();
  const typing = d.stage === 'typing';
  const room = Math.max(1, height - 4 - (typing ? 1 : 0));
  const lines = bundleLines(d.plan, d.steps, room);
  const top = Math.min(d.top, Math.max(0, lines.length - room));
  const scroll = lines.length > room ? ' · ↑/↓ scroll' : '';
  const keys =
    d.stage === 'review'
      ? `d dry run · y confirm all ${d.steps.length} steps (type the role's name)${scroll} · Esc closes`
      : typing
        ? `type ${safe(d.plan.confirmWith)} exactly, Enter runs every step in order · Esc cancels`
        : d.stage === 'running'
          ? 'running: each step is journaled as its own action …'
          : `u/v/C on each step in the actions pane${scroll} · Esc closes`;
  return (
    <Frame
      title={`Bundle: ${safe(d.plan.pod.label)} → ${safe(d.plan.role.label)}`}
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
      {typing ? <Input label="role name:" text={d.text} /> : null}
    </Frame>
  );
}
