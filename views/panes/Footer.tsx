// The footer: the last message (errors in the danger colour) or the hints for what is focused,
// generated from the key registry so they cannot drift from the bindings. Actions a crash left in
// doubt are announced here until they are re-verified: nobody may assume they ran, or that they did not.

import { Text } from 'ink';
import { inDoubt } from '../../store/action-selectors.js';
import { bindingsFor, keyLabel } from '../keymap.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { safe } from '../format.js';

export function Footer({ width }: { width: number }) {
  const { theme, mode, readOnly } = useDeps();
  const message = useUi((u) => u.message);
  const focus = useUi((u) => u.focus);
  const doubt = useIncident((s) =>
    mode === 'review' || s.state.actionOrder.length === 0 ? 0 : inDoubt(s.state, s.meta.loadedSeq).length,
  );
  if (message) {
    const err = message.kind === 'error';
    return (
      <Text
        wrap="truncate"
        bold={err}
        {...(err && theme.danger ? { color: theme.danger } : {})}
        inverse={err && !theme.danger}
      >
        {`${err ? '✗ ' : '✓ '}${safe(message.text)}`.slice(0, Math.max(0, width))}
      </Text>
    );
  }
  if (doubt > 0) {
    return (
      <Text wrap="truncate" bold {...(theme.warn ? { color: theme.warn } : { inverse: true })}>
        {`${inDoubtNotice(doubt)}  ${footerHints(mode, focus, focus === 'timeline' || focus === 'events', readOnly)}`}
      </Text>
    );
  }
  const list = focus === 'timeline' || focus === 'events';
  const hints = footerHints(mode, focus, list, readOnly);
  return (
    <Text wrap="truncate" dimColor>
      {hints}
    </Text>
  );
}

export function inDoubtNotice(n: number): string {
  return `⚠ ${n} action${n === 1 ? '' : 's'} in doubt — re-verify (v in the actions pane)`;
}

export function footerHints(
  mode: Parameters<typeof bindingsFor>[0],
  focus: string,
  list: boolean,
  readOnly = false,
): string {
  return bindingsFor(mode, readOnly)
    .filter(
      (b) =>
        b.hint &&
        (b.scope === 'global' ||
          b.scope === 'drill' ||
          b.scope === 'review' ||
          (list && b.scope === 'list') ||
          b.scope === focus),
    )
    .map((b) => `${keyLabel(b.keys[0]!)} ${b.hint}`)
    .join('  ');
}
