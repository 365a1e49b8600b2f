// Handing the terminal to $VISUAL / $EDITOR and back. Ink has no suspend, so the cockpit is
// unmounted (it restores the terminal: raw mode off, alternate screen left), the editor runs with
// the real TTY, and the cockpit is mounted again on the same stores — nothing the responder set up
// is lost. The editor is spawned, not run synchronously: the event loop keeps running, so live
// sources keep polling and the journal keeps committing while the draft is being edited.

import { spawn } from 'node:child_process';

/**
 * Whether $EDITOR is npm's default rather than the user's: npm exports its `editor` config as
 * EDITOR to every script it runs (set-envs.js in @npmcli/config, https://github.com/npm/cli),
 * and that config defaults to $EDITOR, else $VISUAL, else `vi` (notepad.exe on Windows). So under
 * `npm start` with neither set, EDITOR=vi appears from nowhere. A user whose own EDITOR is `vi`
 * is told the draft's path instead, which is the safe side of the same guess.
 */
export function isNpmDefaultEditor(env: NodeJS.ProcessEnv): boolean {
  const underNpm = Boolean(env.npm_lifecycle_event || env.npm_execpath);
  const e = (env.EDITOR ?? '').trim();
  return underNpm && !env.VISUAL?.trim() && (e === 'vi' || /(^|[\\/])notepad\.exe$/i.test(e));
}

/**
 * The editor command ($VISUAL, then $EDITOR), split into program and arguments ("code -w");
 * undefined when the user set neither (npm's injected default does not count).
 */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const e = (env.VISUAL || (isNpmDefaultEditor(env) ? '' : env.EDITOR) || '').trim();
  return e ? e.split(/\s+/) : undefined;
}

export interface EditResult {
  ok: boolean;
  message: string;
}

/** Runs the editor on `path` with the terminal; resolves when it exits. */
export function runEditor(cmd: readonly string[], path: string): Promise<EditResult> {
  return new Promise((resolve) => {
    const [prog, ...args] = cmd;
    const child = spawn(prog!, [...args, path], { stdio: 'inherit' });
    child.on('error', (e) => resolve({ ok: false, message: `could not start ${prog}: ${e.message} (set $EDITOR)` }));
    child.on('exit', (code, signal) =>
      resolve(
        code === 0
          ? { ok: true, message: `edited ${path}` }
          : {
              ok: false,
              message: `${prog} ${signal ? `was killed (${signal})` : `exited ${code}`}: ${path} kept as it is`,
            },
      ),
    );
  });
}
