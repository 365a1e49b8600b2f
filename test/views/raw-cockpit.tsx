// The real App mounted on a fake TTY (bench/tty.js), recording every byte Ink writes: what the
// terminal would receive, escape sequences included. ink-testing-library's frames strip those,
// so tests about bytes on the wire (injection, secrets) mount this way.

import { render } from 'ink';
import { FakeStdin, FakeStdout } from '../../bench/tty.js';
import { readRecordAt } from '../../src/journal/scan.js';
import type { IncidentStore } from '../../store/store.js';
import { App } from '../../views/App.js';
import { COLOUR } from '../../views/theme.js';
import { createUiStore } from '../../views/ui-state.js';

export interface RawCockpit {
  stdin: FakeStdin;
  /** Everything written to the terminal so far. */
  written(): string;
  unmount(): void;
}

export function mountRaw(
  store: IncidentStore,
  file: string,
  o: { cols: number; rows: number; now: number },
): RawCockpit {
  const stdout = new FakeStdout(o.cols, o.rows);
  const stdin = new FakeStdin();
  let written = '';
  stdout.onWrite = (text: string) => {
    written += text;
  };
  const inst = render(
    <App
      deps={{
        store,
        ui: createUiStore({ focus: 'events' }),
        theme: COLOUR,
        mode: 'live',
        now: () => o.now,
        quit: () => {},
        readEvent: (offset, length) => readRecordAt(file, offset, length),
      }}
    />,
    {
      stdout: stdout as never,
      stdin: stdin as never,
      interactive: true,
      patchConsole: false,
      exitOnCtrlC: false,
      maxFps: 1000,
    },
  );
  return { stdin, written: () => written, unmount: () => inst.unmount() };
}
