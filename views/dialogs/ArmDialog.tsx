// Arming: the accounts and clusters this session reaches, production ones marked, and the name to
// type back. Nothing destructive can run until one of them is typed exactly.

import { Text } from 'ink';
import { useDeps } from '../context.js';
import { safe } from '../format.js';
import type { ArmDialog } from '../ui-state.js';
import { Frame, Input } from './Frame.js';

export function ArmView({ d, width, height }: { d: ArmDialog; width: number; height: number }) {
  const { theme } = useDeps();
  const n = d.targets?.length ?? 0;
  return (
    <Frame
      title="Arm the session for destructive actions"
      width={width}
      height={Math.min(height, 7 + n)}
      footer="type the account id or cluster name exactly, Enter arms · Esc cancels"
    >
      {d.targets === undefined ? <Text dimColor>resolving the account and cluster …</Text> : null}
      {d.error ? <Text {...(theme.danger ? { color: theme.danger } : { inverse: true })}>{safe(d.error)}</Text> : null}
      {(d.targets ?? []).map((t) => (
        <Text key={t.name} wrap="truncate" bold={t.prod}>
          {`  ${safe(t.label)}  → type `}
          <Text bold>{safe(t.name)}</Text>
          {t.prod ? (
            <Text
              bold
              inverse={!theme.prod.bg}
              {...(theme.prod.bg ? { backgroundColor: theme.prod.bg } : {})}
              {...(theme.prod.fg ? { color: theme.prod.fg } : {})}
            >
              {' PROD '}
            </Text>
          ) : null}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        Armed, destructive actions can run after their own typed confirmation; it is journaled.
      </Text>
      <Input label="arm:" text={d.text} />
    </Frame>
  );
}
