// Mounts the cockpit full screen: alternate screen, incremental rendering (−95 % bytes written)
// and a 60 fps cap (https://github.com/vadimdemedes/ink/blob/master/readme.md#incrementalrendering).
// Resolves when the responder quits.

import { render } from 'ink';
import { App } from '../views/App.js';
import type { CockpitDeps } from '../views/context.js';
import type { Mode } from '../views/keymap.js';
import { themeFromEnv } from '../views/theme.js';
import { createUiStore } from '../views/ui-state.js';
import { editorCommand, runEditor, type EditResult } from './editor.js';
import type { IncidentStore } from '../store/store.js';

export interface RunOptions {
  store: IncidentStore;
  mode: Mode;
  now: () => number;
  drill?: CockpitDeps['drill'];
  sources?: CockpitDeps['sources'];
  readEvent?: CockpitDeps['readEvent'];
  importFiles?: CockpitDeps['importFiles'];
  hunt?: CockpitDeps['hunt'];
  shared?: CockpitDeps['shared'];
  loadRules?: CockpitDeps['loadRules'];
  scoreDrill?: CockpitDeps['scoreDrill'];
  openAction?: CockpitDeps['openAction'];
  actions?: CockpitDeps['actions'];
  readOnly?: boolean;
  prod?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export async function runCockpit(o: RunOptions): Promise<void> {
  const ui = createUiStore();
  let quit: () => void = () => {};
  const deps: CockpitDeps = {
    store: o.store,
    ui,
    theme: themeFromEnv(),
    mode: o.mode,
    now: o.now,
    quit: () => quit(),
    ...(o.drill ? { drill: o.drill } : {}),
    ...(o.sources ? { sources: o.sources } : {}),
    ...(o.readEvent ? { readEvent: o.readEvent } : {}),
    ...(o.importFiles ? { importFiles: o.importFiles } : {}),
    ...(o.hunt ? { hunt: o.hunt } : {}),
    ...(o.shared ? { shared: o.shared } : {}),
    ...(o.loadRules ? { loadRules: o.loadRules } : {}),
    ...(o.scoreDrill ? { scoreDrill: o.scoreDrill } : {}),
    ...(o.openAction ? { openAction: o.openAction } : {}),
    ...(o.actions ? { actions: o.actions } : {}),
    ...(o.readOnly ? { readOnly: true } : {}),
    ...(o.prod ? { prod: o.prod } : {}),
  };
  const out = o.stdout ?? process.stdout;
  // OSC 52 (clipboard write): base64, so the value cannot end the sequence or inject another;
  // tmux passes it on with `set-clipboard on` (https://github.com/tmux/tmux/wiki/Clipboard).
  if (out.isTTY) deps.copy = (text) => void out.write(`\x1b]52;c;${Buffer.from(text).toString('base64')}\x07`);
  // $EDITOR hand-off (app/editor.ts): a request unmounts the cockpit; the loop below runs the
  // editor and mounts the cockpit again. Only with a real terminal and an editor configured.
  let editing: { path: string; done: (r: EditResult) => void } | undefined;
  let unmount: () => void = () => {};
  const editor = editorCommand();
  const tty = (o.stdin ?? process.stdin).isTTY && (o.stdout ?? process.stdout).isTTY;
  if (editor && tty) {
    deps.editFile = (path) =>
      new Promise<EditResult>((done) => {
        if (editing) return done({ ok: false, message: 'an editor is already open' });
        editing = { path, done };
        unmount();
      });
  }
  // An arming that ran out is journaled as expired (store/arming.ts); the runner refuses on the
  // time alone, so this only puts the end on the record and the timeline. A failed write shows
  // as journal health in the header.
  const expiry =
    o.mode !== 'review' && o.actions && !o.readOnly
      ? setInterval(
          () =>
            void o.store
              .getState()
              .actions.expireArmings()
              .catch(() => undefined),
          1000,
        )
      : undefined;
  expiry?.unref();
  try {
    await mountLoop();
  } finally {
    if (expiry) clearInterval(expiry);
  }

  async function mountLoop(): Promise<void> {
    for (;;) {
      const instance = render(<App deps={deps} />, {
        alternateScreen: true,
        incrementalRendering: true,
        maxFps: 60,
        exitOnCtrlC: false,
        patchConsole: false,
        ...(o.stdin ? { stdin: o.stdin } : {}),
        ...(o.stdout ? { stdout: o.stdout } : {}),
      });
      unmount = () => instance.unmount();
      quit = () => {
        editing = undefined;
        instance.unmount();
      };
      await instance.waitUntilExit();
      const e = editing;
      if (!e) return;
      e.done(await runEditor(editor!, e.path));
      editing = undefined;
    }
  }
}
