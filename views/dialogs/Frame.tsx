// The frame every dialog draws in (border, title, body, one footer line of keys) and the one-line
// text input. Attacker-controlled text is made safe before it is drawn.

import { Box, Text } from 'ink';
import { useDeps } from '../context.js';
import { safe } from '../format.js';

export function Frame({
  title,
  width,
  height,
  children,
  footer,
}: {
  title: string;
  width: number;
  height: number;
  children: React.ReactNode;
  footer: string;
}) {
  const { theme } = useDeps();
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="round"
      {...(theme.focusBorder ? { borderColor: theme.focusBorder } : {})}
      overflow="hidden"
    >
      <Text bold wrap="truncate">{` ${title}`}</Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      <Text dimColor wrap="truncate">{` ${footer}`}</Text>
    </Box>
  );
}

export function Input({ label, text }: { label: string; text: string }) {
  return (
    <Text wrap="truncate-start">
      {`${label} `}
      <Text bold>{safe(text)}</Text>
      <Text inverse> </Text>
    </Text>
  );
}
