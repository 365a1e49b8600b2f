// What `?` shows: every key binding of the mode, grouped by scope (format.ts), then every palette
// command the session has — a responder who does not know a command exists cannot Tab to it.

import { keyHelpRows } from './format.js';
import type { Mode } from './keymap.js';
import { paletteFor } from './palette.js';

export function helpRows(mode: Mode, readOnly = false): string[] {
  const commands = paletteFor(mode, readOnly).map(
    (c) => `  ${`:${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(34)} ${c.description}`,
  );
  return [...keyHelpRows(mode, readOnly), 'Palette commands (: then Tab completes, ↑ recalls):', ...commands];
}
