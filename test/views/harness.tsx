// The cockpit under test: a real journal in a temp dir, the real store and UI store, <App> rendered
// by ink-testing-library at a chosen terminal size, keys written by name, and frames awaited by
// predicate (ink-testing-library frames arrive on a later macrotask; never sleep a fixed time).

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { vi, type Mock } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import type { Journal } from '../../src/journal/journal.js';
import type { AnyRecord } from '../../src/journal/records.js';
import { readRecordAt } from '../../src/journal/scan.js';
import { newIncident, openIncident } from '../../store/open.js';
import type { IncidentStore } from '../../store/store.js';
import { App } from '../../views/App.js';
import type { CockpitDeps } from '../../views/context.js';
import type { Mode } from '../../views/keymap.js';
import { MIN_COLS, MIN_ROWS } from '../../views/layout.js';
import { COLOUR, type Theme } from '../../views/theme.js';
import { createUiStore, type UiStore } from '../../views/ui-state.js';

export const OPENED = {
  incidentId: 'INC-2026-042',
  title: 'Anomalous reads from prod-data by the CI role',
  codename: 'EMBER QUARTZ',
  mode: 'live' as const,
};

export const CI_ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-deployer/i-0abc123def4567890';

/** 2026-04-20 14:40:00 UTC: when the journal's clock starts (record times). */
export const T0 = Date.UTC(2026, 3, 20, 14, 40, 0);

/** A deterministic, well-formed v4 UUID for event n. */
export function uuid(n: number): string {
  return `7f3c9a2e-51d4-4b8e-9c1a-${n.toString(16).padStart(12, '0')}`;
}

export function keyOf(n: number): string {
  return `cloudtrail:${uuid(n)}`;
}

/** Event n happened at 14:30:00 + n seconds: every row has its own time on screen. */
export function eventTimeOf(n: number): number {
  return Date.UTC(2026, 3, 20, 14, 30, 0) + n * 1000;
}

/**
 * A CloudTrail S3 data event as the CloudTrail source normalises it. Every 50th one is a
 * PutBucketPolicy (so a filter has something to narrow to); the rest are GetObject reads.
 */
export function cloudTrailEvent(n: number, over: Partial<IncidentEvent> = {}): IncidentEvent {
  const eventTime = new Date(eventTimeOf(n)).toISOString();
  // CloudTrail delivers minutes late: discovered 7 minutes after it happened.
  const discoveredAt = new Date(eventTimeOf(n) + 7 * 60_000).toISOString();
  const policy = n % 50 === 0;
  const action = policy ? 'PutBucketPolicy' : 'GetObject';
  const key = `exports/customers-${n}.csv`;
  return {
    source: 'cloudtrail',
    id: uuid(n),
    eventTime,
    discoveredAt,
    actor: CI_ROLE,
    action,
    targets: [policy ? 'arn:aws:s3:::prod-data' : `arn:aws:s3:::prod-data/${key}`],
    region: 'us-east-1',
    sourceIp: '203.0.113.7',
    userAgent: '[aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64]',
    outcome: 'success',
    raw: {
      eventVersion: '1.09',
      eventTime,
      eventSource: 's3.amazonaws.com',
      eventName: action,
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: '[aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64]',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROA3EXAMPLEROLEID:i-0abc123def4567890',
        arn: CI_ROLE,
        accountId: '123456789012',
      },
      requestParameters: policy
        ? { bucketName: 'prod-data', policy: '{"Statement":[]}' }
        : { bucketName: 'prod-data', key },
      readOnly: !policy,
      eventID: uuid(n),
      eventType: 'AwsApiCall',
      managementEvent: policy,
      recipientAccountId: '123456789012',
    },
    ...over,
  };
}

export function events(n: number, from = 0): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  for (let i = from; i < from + n; i++) out.push(cloudTrailEvent(i));
  return out;
}

/** Removes Ink's SGR styling (ESC [ … m) and nothing else, so any other ESC stays visible. */
export function stripSgr(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

export function linesOf(frame: string): string[] {
  return frame.split('\n');
}

/** The widest line of a frame in terminal cells (after removing styling). */
export function widest(frame: string): number {
  return Math.max(0, ...linesOf(stripSgr(frame)).map((l) => stringWidth(l)));
}

const KEYS: Record<string, string> = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  'shift-tab': '\u001b[Z',
  pagedown: '\u001b[6~',
  pageup: '\u001b[5~',
  home: '\u001b[H',
  end: '\u001b[F',
  backspace: '\u007f',
  'ctrl-c': '\u0003',
};

/** A tiny scratch space per test: temp dir and the journals opened in it. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'fb-views-'));
  private journals: Journal[] = [];

  file(name = 'incident.jsonl'): string {
    return join(this.dir, name);
  }

  track(j: Journal | undefined): void {
    if (j) this.journals.push(j);
  }

  async closeJournals(): Promise<void> {
    for (const j of this.journals.splice(0)) await j.close().catch(() => undefined);
  }

  async cleanup(): Promise<void> {
    await this.closeJournals();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A settable record clock for the journal (record `ts`), so review can jump to known times. */
export class Clock {
  constructor(public ms = T0) {}
  set(ms: number): void {
    this.ms = ms;
  }
  readonly now = (): Date => new Date(this.ms);
}

/** Creates a journal with `events` ingested (in one group commit) and returns the store. */
export async function createJournal(
  scratch: Scratch,
  opts: { events?: number | IncidentEvent[]; clock?: Clock; name?: string } = {},
): Promise<{ file: string; store: IncidentStore; journal: Journal; clock: Clock }> {
  const clock = opts.clock ?? new Clock();
  const file = scratch.file(opts.name);
  const { store, journal } = await newIncident(file, OPENED, { actor: 'alice', now: clock.now });
  scratch.track(journal);
  const evs = typeof opts.events === 'number' ? events(opts.events) : (opts.events ?? []);
  if (evs.length) {
    clock.set(clock.ms + 1000);
    await store.getState().actions.ingestEvents(evs);
  }
  return { file, store, journal: journal!, clock };
}

/** Polls `cond` (a file, a spy) until it holds; never a fixed sleep. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

export function readJournal(file: string): AnyRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AnyRecord);
}

export function recordsOf<T extends AnyRecord['type']>(file: string, type: T): Extract<AnyRecord, { type: T }>[] {
  return readJournal(file).filter((r): r is Extract<AnyRecord, { type: T }> => r.type === type);
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}

export interface MountOptions {
  cols?: number;
  rows?: number;
  mode?: Mode;
  theme?: Theme;
  /** The cockpit's "now" (SLA countdowns); fixed so frames are deterministic. */
  now?: number;
  /** Containment and evidence actions (test/views/stand-in-actions.ts). */
  actions?: CockpitDeps['actions'];
  readOnly?: boolean;
  prod?: string;
  /** The terminal clipboard (OSC 52 in the real cockpit). */
  copy?: (text: string) => void;
  /** Live sources' health for the header. */
  sources?: CockpitDeps['sources'];
  shared?: CockpitDeps['shared'];
}

export interface Cockpit {
  deps: CockpitDeps;
  ui: UiStore;
  quit: Mock<() => void>;
  /** The last frame with Ink's styling removed ('' before the first frame). */
  frame(): string;
  /** The last frame as written, styling included. */
  rawFrame(): string;
  /** Every frame written since the terminal took its current size (raw). */
  framesAtSize(): string[];
  /** Writes keys in order, each as its own chunk: named keys ('down', 'enter' …) or literal text. */
  press(...keys: string[]): void;
  /** Writes `text` as ONE chunk (paste, key repeat). */
  write(text: string): void;
  /** Resolves with the first (stripped) frame that satisfies `pred`; fails with the last frame. */
  waitFor(pred: (frame: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  /** Shorthand: waits until the frame contains every one of `texts`. */
  waitForText(...texts: string[]): Promise<string>;
  resize(cols: number, rows: number): Promise<string>;
  size(): { cols: number; rows: number };
  unmount(): void;
}

/** Renders the cockpit over `store` at `cols`x`rows`; waits for the first frame at that size. */
export async function mount(store: IncidentStore, file: string, o: MountOptions = {}): Promise<Cockpit> {
  const quit = vi.fn<() => void>();
  const ui = createUiStore();
  const fixedNow = o.now ?? T0 + 60_000;
  const deps: CockpitDeps = {
    store,
    ui,
    theme: o.theme ?? COLOUR,
    mode: o.mode ?? 'live',
    now: () => fixedNow,
    quit,
    readEvent: (offset, length) => readRecordAt(file, offset, length),
    ...(o.actions ? { actions: o.actions } : {}),
    ...(o.readOnly ? { readOnly: true } : {}),
    ...(o.prod ? { prod: o.prod } : {}),
    ...(o.copy ? { copy: o.copy } : {}),
    ...(o.sources ? { sources: o.sources } : {}),
    ...(o.shared ? { shared: o.shared } : {}),
  };
  const r = render(<App deps={deps} />);
  let cols = o.cols ?? 80;
  let rows = o.rows ?? 24;
  let sizedFrom = 0;

  const frame = () => stripSgr(r.lastFrame() ?? '');
  async function waitFor(pred: (f: string) => boolean, what = 'the expected frame', timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (pred(f)) return f;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 2));
    }
  }
  async function resize(width: number, height: number): Promise<string> {
    cols = width;
    rows = height;
    // ink-testing-library's stdout has a fixed `columns` getter and no `rows`:
    // https://github.com/vadimdemedes/ink-testing-library/blob/master/source/index.ts
    Object.defineProperty(r.stdout, 'columns', { configurable: true, get: () => cols });
    Object.defineProperty(r.stdout, 'rows', { configurable: true, get: () => rows });
    sizedFrom = r.frames.length;
    r.stdout.emit('resize');
    // The first frame written after the resize; callers assert its geometry themselves.
    const tooSmall = width < MIN_COLS || height < MIN_ROWS;
    return waitFor(
      (f) => r.frames.length > sizedFrom && f.includes(tooSmall ? 'needs at least' : 'INC-2026-042'),
      `a ${width}x${height} frame`,
    );
  }
  const c: Cockpit = {
    deps,
    ui,
    quit,
    frame,
    rawFrame: () => r.lastFrame() ?? '',
    framesAtSize: () => r.frames.slice(sizedFrom),
    press: (...keys) => {
      for (const k of keys) r.stdin.write(KEYS[k] ?? k);
    },
    write: (text) => r.stdin.write(text),
    waitFor,
    waitForText: (...texts) =>
      waitFor((f) => texts.every((t) => f.includes(t)), texts.map((t) => JSON.stringify(t)).join(' and ')),
    resize,
    size: () => ({ cols, rows }),
    unmount: () => {
      r.unmount();
      r.cleanup();
    },
  };
  await resize(cols, rows);
  return c;
}

/** Opens a journal read-only (review), as `firebreak review` does. */
export async function openForReview(file: string): Promise<IncidentStore> {
  const { store } = await openIncident(file, { readOnly: true });
  return store;
}

/** The lines of one pane in the stacked (narrow) layout: from its title to the next pane's. */
export function paneLines(frame: string, n: 1 | 2 | 3 | 4): string[] {
  const lines = linesOf(frame);
  const title = new RegExp(`^[▌ ]${n} `);
  const start = lines.findIndex((l) => title.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^[▌ ][1-4] [A-Z]/.test(l));
  return lines.slice(start + 1, end < 0 ? lines.length - 1 : end);
}

/** The row holding the selection marker (>) in a pane of the stacked layout, or undefined. */
export function selectedRow(frame: string, n: 2 | 3): string | undefined {
  return paneLines(frame, n).find((l) => l.startsWith('>'));
}
