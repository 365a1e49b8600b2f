import { Text } from 'ink';
import { useDeps } from '../context.js';

/** A pane's one-line title: number key, name, facts; inverse when focused (no borders: rows are scarce at 80x24). */
export function PaneTitle({ n, title, info, focused }: { n: number; title: string; info?: string; focused: boolean }) {
  const { theme } = useDeps();
  return (
    <Text wrap="truncate" inverse={focused} bold={focused} {...(!focused && theme.muted ? { color: theme.muted } : {})}>
      {`${focused ? '▌' : ' '}${n} ${title}${info ? `  ${info}` : ''}`}
    </Text>
  );
}
