// End-to-end harness: the BUILT cli (bin/firebreak.js → dist/bundle/cli.js, or dist/app/cli.js when
// there is no current bundle) in a real pseudo-terminal
// (node-pty), its output parsed by a real terminal emulator (@xterm/headless, as gemini-cli's
// test-utils/render.tsx does), so tests see what a responder sees: the alternate screen, cursor
// moves, resizes, titles. Tests write a key and wait for the frame that shows its effect; there
// are no sleeps here: a sleep is either too short on a loaded machine or wasted time.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IPty } from '@lydell/node-pty';
import type { Terminal as XTerm } from '@xterm/headless';
import { cliIsStale } from '../helpers/built-cli.js';

// Both packages are CommonJS; require them rather than rely on the ESM interop guessing exports.
const require = createRequire(import.meta.url);
const pty = require('@lydell/node-pty') as typeof import('@lydell/node-pty');
const { Terminal } = require('@xterm/headless') as typeof import('@xterm/headless');

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'firebreak.js');
const CLI = join(ROOT, 'dist', 'app', 'cli.js');

/** Generous: two cores shared with other test files and processes. */
export const WAIT_MS = 20_000;

let buildChecked = false;
/** The e2e tests run what a user runs: the compiled cli. They never build it themselves. */
export function assertBuilt(): void {
  if (buildChecked) return;
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: the e2e tests drive the built cli. Run "npx tsc -p tsconfig.json" (or "npm run build") first.`,
    );
  }
  if (cliIsStale()) {
    process.stderr.write(
      `warning: ${CLI} is older than the sources; the e2e tests are running a stale build (run "npx tsc -p tsconfig.json").\n`,
    );
  }
  buildChecked = true;
}

/** A temp HOME with XDG_STATE_HOME inside it, so nothing touches the real home. */
export interface Sandbox {
  dir: string;
  env: Record<string, string>;
  remove(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'fb-e2e-'));
  const state = join(dir, 'state');
  mkdirSync(state);
  return {
    dir,
    // A minimal environment on purpose: no CI (Ink renders differently under CI), no NODE_ENV=test,
    // no NO_COLOR/FORCE_COLOR leaking in from the runner.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TERM: 'xterm-256color',
      HOME: dir,
      XDG_STATE_HOME: state,
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the cli without a terminal (verify, export, --list …) and collects its output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): { code: number | null; stdout: string; stderr: string } {
  assertBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env,
    cwd: cwd ?? env.HOME ?? ROOT,
    encoding: 'utf8',
    timeout: WAIT_MS,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KEYS: Record<string, string> = {
  enter: '\r',
  escape: '\x1b',
  esc: '\x1b',
  tab: '\t',
  'shift-tab': '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  space: ' ',
  'ctrl-c': '\x03',
  'ctrl-u': '\x15',
  'ctrl-f': '\x06',
  'ctrl-b': '\x02',
};

export type Condition = string | RegExp | ((screen: string) => boolean);

export interface ExitStatus {
  code: number;
  signal: number | undefined;
}

function describeCondition(c: Condition): string {
  return typeof c === 'function' ? c.name || 'a predicate' : typeof c === 'string' ? JSON.stringify(c) : String(c);
}

function matches(c: Condition, screen: string): boolean {
  return typeof c === 'function' ? c(screen) : typeof c === 'string' ? screen.includes(c) : c.test(screen);
}

/** Every session not yet cleaned up by kill() (running or not: the emulator still needs disposing). */
const open = new Set<TerminalSession>();

export class TerminalSession {
  readonly term: XTerm;
  private readonly proc: IPty;
  private raw = '';
  private exitStatus: ExitStatus | undefined;
  private readonly exited: Promise<ExitStatus>;
  private readonly listeners = new Set<() => void>();
  /** Every title the program set (OSC 0/2), as xterm applied it. */
  readonly titles: string[] = [];
  /** Every OSC 0/1/2 payload the program sent, before xterm acted on it. */
  readonly titleOscs: string[] = [];
  /** Lines scrolled off the top while the alternate screen was active (a frame taller than the terminal). */
  altScrolls = 0;
  /** Inside a synchronized update (a frame half written). */
  private inFrame = false;

  constructor(
    readonly args: string[],
    readonly env: Record<string, string>,
    cols: number,
    rows: number,
  ) {
    assertBuilt();
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    this.term.onTitleChange((t) => this.titles.push(t));
    for (const ident of [0, 1, 2]) {
      this.term.parser.registerOscHandler(ident, (data) => {
        this.titleOscs.push(`${ident};${data}`);
        return false; // let xterm handle it as usual, so onTitleChange still sees it
      });
    }
    // xterm also fires onScroll when it switches buffers; only a scroll that happens while the
    // alternate screen was already showing counts (measured: `\e[?1049h` fires one, ydisp 0).
    let lastType = this.term.buffer.active.type;
    this.term.onScroll(() => {
      const type = this.term.buffer.active.type;
      if (type === 'alternate' && lastType === 'alternate') this.altScrolls++;
      lastType = type;
    });
    this.term.buffer.onBufferChange((b) => {
      lastType = b.type;
    });
    // Ink wraps each frame in DEC mode 2026 (synchronized output): the screen is only a whole
    // frame outside it. A pty delivers a big frame in several chunks, so a check in between would
    // read the top of the new frame over the bottom of the old one.
    // https://gist.github.com/christianparpart/d8a62cc1ab659194337d73e399004036
    for (const final of ['h', 'l']) {
      this.term.parser.registerCsiHandler({ prefix: '?', final }, (params) => {
        if (params.includes(2026)) this.inFrame = final === 'h';
        return false; // xterm handles the mode as usual
      });
    }
    this.term.onWriteParsed(() => this.notify());
    this.proc = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: env.HOME ?? ROOT,
      env,
    });
    this.proc.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    // Answers to the program's queries (cursor position, device attributes) go back, as a real terminal's do.
    this.term.onData((d) => {
      if (!this.exitStatus) this.proc.write(d);
    });
    this.exited = new Promise((res) => {
      this.proc.onExit(({ exitCode, signal }) => {
        this.exitStatus = { code: exitCode, signal: signal || undefined };
        res(this.exitStatus);
        this.notify();
      });
    });
    open.add(this);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Everything the program wrote to the terminal, raw. */
  output(): string {
    return this.raw;
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** The visible rows, right-trimmed. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return out;
  }

  /** The visible buffer as text: one line per row, right-trimmed. */
  screen(): string {
    return this.lines().join('\n');
  }

  row(i: number): string {
    return this.lines().at(i) ?? '';
  }

  /** Parses everything received so far (xterm parses writes asynchronously). */
  flush(): Promise<void> {
    return new Promise((res) => this.term.write('', res));
  }

  /**
   * Waits until the screen satisfies `cond`, checking after every parsed write and every 50 ms.
   * On timeout (or if the program exits first) it throws with the last screen in the message.
   */
  async waitFor(cond: Condition, timeoutMs = WAIT_MS, what = describeCondition(cond)): Promise<string> {
    await this.flush();
    return new Promise<string>((res, rej) => {
      const check = (): void => {
        if (this.inFrame && !this.exitStatus) return;
        const s = this.screen();
        if (matches(cond, s)) return done(() => res(s));
        if (this.exitStatus) {
          // The last bytes may still be queued in the parser: one more look after a flush.
          void this.flush().then(() => {
            const s2 = this.screen();
            if (matches(cond, s2)) done(() => res(s2));
            else
              done(() =>
                rej(
                  this.failure(
                    `the program exited (code ${this.exitStatus?.code}, signal ${this.exitStatus?.signal ?? '-'}) while waiting for ${what}`,
                  ),
                ),
              );
          });
        }
      };
      const timer = setInterval(check, 50);
      const deadline = setTimeout(
        () => done(() => rej(this.failure(`timed out after ${timeoutMs} ms waiting for ${what}`))),
        timeoutMs,
      );
      const done = (f: () => void): void => {
        clearInterval(timer);
        clearTimeout(deadline);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits until the screen no longer equals `before` (the effect of the last key). */
  waitForChange(before: string, timeoutMs = WAIT_MS, what = 'the screen to change'): Promise<string> {
    return this.waitFor((s) => s !== before, timeoutMs, what);
  }

  private failure(msg: string): Error {
    return new Error(
      `${msg}\n(args: ${this.args.join(' ')}; ${this.cols}x${this.rows})\n--- last screen ---\n${this.screen()}\n--- end ---`,
    );
  }

  /** One key by name (enter, escape, tab, up, down, pagedown, pageup, ctrl-c, …) or literal text as one chunk. */
  press(key: string): void {
    if (this.exitStatus) throw this.failure(`cannot press ${JSON.stringify(key)}: the program has exited`);
    this.proc.write(KEYS[key] ?? key);
  }

  /** Text typed (or pasted) as one chunk. */
  type(text: string): void {
    if (this.exitStatus) throw this.failure(`cannot type ${JSON.stringify(text)}: the program has exited`);
    this.proc.write(text);
  }

  /** Resizes the terminal (emulator and pty, as a window resize does: the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  get exitedStatus(): ExitStatus | undefined {
    return this.exitStatus;
  }

  /** Resolves when the program exits, with everything it wrote parsed. */
  async exit(timeoutMs = WAIT_MS): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(
        () => rej(this.failure(`timed out after ${timeoutMs} ms waiting for the program to exit`)),
        timeoutMs,
      );
    });
    try {
      const status = await Promise.race([this.exited, timeout]);
      await this.flush();
      return status;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Cleanup: kills the program if it is still running, and waits (briefly) until it is gone. */
  async kill(): Promise<void> {
    if (!this.exitStatus) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // already gone
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((res) => (timer = setTimeout(res, 5_000)))]);
      clearTimeout(timer);
    }
    open.delete(this);
    this.term.dispose();
  }
}

export interface SpawnOptions {
  cols?: number;
  rows?: number;
  env: Record<string, string>;
}

/** Starts `firebreak ARGS…` in a new pseudo-terminal of the given size (default 120x40). */
export function spawnCli(args: string[], o: SpawnOptions): TerminalSession {
  return new TerminalSession(args, o.env, o.cols ?? 120, o.rows ?? 40);
}

/** For afterEach: kills every session a test left running. */
export async function killAll(): Promise<void> {
  await Promise.all([...open].map((s) => s.kill()));
}

/** Arms the session as a responder does: A, the account id or cluster name typed back, Enter. */
export async function armAs(t: TerminalSession, name: string): Promise<void> {
  t.press('A');
  await t.waitFor(name);
  t.type(name);
  // Typed text lands before Enter is sent (a chunk with both would read as a paste, which never submits).
  await t.waitFor(`arm: ${name}`);
  t.press('enter');
  await t.waitFor((s) => s.split('\n')[0]!.includes('ARMED'), undefined, 'ARMED on the header');
}

/** `:` and a command typed, then Enter once the palette shows it (typed text lands before Enter). */
export async function runPalette(t: TerminalSession, text: string): Promise<void> {
  t.press(':');
  await t.waitFor('Tab completes');
  t.type(text);
  await t.waitFor(`: ${text}`);
  t.press('enter');
}

/** q, y at "Quit firebreak?": the cockpit must exit cleanly (code 0, no signal). */
export async function quitCockpit(t: TerminalSession, timeoutMs?: number): Promise<void> {
  t.press('q');
  await t.waitFor('Quit firebreak?');
  t.press('y');
  const r = await t.exit(timeoutMs);
  if (r.code !== 0 || r.signal !== undefined) throw new Error(`the cockpit did not exit cleanly: ${JSON.stringify(r)}`);
}
