// The footer: the last message (errors in the danger colour) or the hints for what is focused,
// generated from the key registry so they cannot drift from the bindings.

import { Text } from 'ink';
import { bindingsFor, keyLabel } from '../keymap.js';
import { useDeps, useUi } from '../context.js';
import { safe } from '../format.js';

export function Footer({ width }: { width: number }) {
  const { theme, mode } = useDeps();
  const message = useUi((u) => u.message);
  const focus = useUi((u) => u.focus);
  if (message) {
    const err = message.kind === 'error';
    return (
      <Text wrap="truncate" bold={err} {...(err && theme.danger ? { color: theme.danger } : {})} inverse={err && !theme.danger}>
        {`${err ? '✗ ' : '✓ '}${safe(message.text)}`.slice(0, Math.max(0, width))}
      </Text>
    );
  }
  const list = focus === 'timeline' || focus === 'events';
  const hints = footerHints(mode, focus, list);
  return (
    <Text wrap="truncate" dimColor>
      {hints}
    </Text>
  );
}

export function footerHints(mode: Parameters<typeof bindingsFor>[0], focus: string, list: boolean): string {
  return bindingsFor(mode)
    .filter((b) => b.hint && (b.scope === 'global' || b.scope === 'drill' || b.scope === 'review' || (list && b.scope === 'list') || b.scope === focus))
    .map((b) => `${keyLabel(b.keys[0]!)} ${b.hint}`)
    .join('  ');
}
