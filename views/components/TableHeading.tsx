import type { ReactNode } from 'react';
import { Text } from 'ink';
import { useDeps } from '../context.js';

/**
 * Column headings for ink-table. Its default heading is hard-coded blue, which broke NO_COLOR
 * (chalk does not read NO_COLOR); this one takes its colour from the theme, so MONO has none.
 */
export function TableHeading({ children }: { children?: ReactNode }) {
  const { theme } = useDeps();
  return (
    <Text bold {...(theme.accent ? { color: theme.accent } : {})}>
      {children}
    </Text>
  );
}
