// The engine-independent hunt: start the query, poll its state with backoff until it ends, page
// the results into a sink as they come, and cancel it when the signal aborts. Lake and Athena
// differ only behind HuntEngine (lake.ts, athena.ts). A failed call is retried a few times when
// it may pass on a retry (throttling, a 5xx, the network), so one 500 mid-paging costs a retry,
// not the hunt; what was sunk before a fatal error stays sunk, and the outcome says where it stopped.

import { backoffMs } from '../cloudtrail/errors.js';
import type { HuntEngineName } from './cost.js';
import type { HuntRow } from './rows.js';

export type HuntState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed-out';

export interface HuntStatus {
  state: HuntState;
  /** The engine's own word (FINISHED, SUCCEEDED, …). */
  raw: string;
  bytesScanned?: number;
  message?: string;
}

export interface HuntPage {
  rows: HuntRow[];
  next?: string;
}

export interface HuntEngine {
  name: HuntEngineName;
  start(sql: string): Promise<string>;
  status(queryId: string): Promise<HuntStatus>;
  page(queryId: string, next: string | undefined): Promise<HuntPage>;
  cancel(queryId: string): Promise<void>;
}

export interface HuntProgress {
  state: HuntState;
  rows: number;
  bytesScanned?: number;
}

export interface HuntOptions {
  engine: HuntEngine;
  sql: string;
  signal?: AbortSignal;
  /** Each page of rows, in order; the hunt waits for it (the journal's pace is the hunt's). */
  sink: (rows: HuntRow[], firstRow: number) => Promise<void>;
  onProgress?: (p: HuntProgress) => void;
  /** First poll delay and the cap (ms); the delay grows 1.5× a poll. */
  pollMs?: number;
  maxPollMs?: number;
  /** Give up polling after this long (ms); the query is cancelled. Default 30 min. */
  deadlineMs?: number;
  /** Attempts per call for errors a retry may fix. */
  attempts?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type HuntStage = 'starting' | 'polling' | 'paging' | 'done';

export interface HuntOutcome {
  queryId?: string;
  state: HuntState;
  bytesScanned?: number;
  rows: number;
  pages: number;
  /** Where it stopped, when it did not finish (cancel, failure). */
  stoppedAt?: HuntStage;
  error?: string;
}

export class HuntAborted extends Error {}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HuntAborted('cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new HuntAborted('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const RETRYABLE_NAMES =
  /Throttl|TooManyRequests|InternalServer|InternalFailure|ServiceUnavailable|TimeoutError|RequestTimeout/;

/** Whether a retry may fix it: throttling, a 5xx, or the network. */
export function isRetryable(e: unknown): boolean {
  const x = (e && typeof e === 'object' ? e : {}) as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = x.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (typeof x.name === 'string' && RETRYABLE_NAMES.test(x.name)) return true;
  return typeof x.code === 'string' && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)$/.test(x.code);
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
  return String(e);
}

const TERMINAL = new Set<HuntState>(['succeeded', 'failed', 'cancelled', 'timed-out']);

export async function runHunt(o: HuntOptions): Promise<HuntOutcome> {
  const sleep = o.sleep ?? sleepFor;
  const attempts = o.attempts ?? 4;
  const pollMs = o.pollMs ?? 500;
  const maxPollMs = o.maxPollMs ?? 5_000;
  const deadline = Date.now() + (o.deadlineMs ?? 30 * 60_000);
  const out: HuntOutcome = { state: 'queued', rows: 0, pages: 0 };
  let stage: HuntStage = 'starting';
  const retry = async <T>(f: () => Promise<T>): Promise<T> => {
    for (let i = 1; ; i++) {
      if (o.signal?.aborted) throw new HuntAborted('cancelled');
      try {
        return await f();
      } catch (e) {
        if (i >= attempts || !isRetryable(e)) throw e;
        await sleep(backoffMs(i - 1, 200, 5_000), o.signal);
      }
    }
  };
  const progress = () =>
    o.onProgress?.({
      state: out.state,
      rows: out.rows,
      ...(out.bytesScanned !== undefined ? { bytesScanned: out.bytesScanned } : {}),
    });
  try {
    if (o.signal?.aborted) throw new HuntAborted('cancelled');
    // No retry of the start: a retried StartQuery after a lost answer would run the scan twice.
    out.queryId = await o.engine.start(o.sql);
    stage = 'polling';
    progress();
    let delay = pollMs;
    for (;;) {
      const s = await retry(() => o.engine.status(out.queryId!));
      out.state = s.state;
      if (s.bytesScanned !== undefined) out.bytesScanned = s.bytesScanned;
      progress();
      if (TERMINAL.has(s.state)) {
        if (s.state !== 'succeeded') {
          out.stoppedAt = stage;
          if (s.message) out.error = s.message;
          return out;
        }
        break;
      }
      if (Date.now() > deadline) {
        await o.engine.cancel(out.queryId).catch(() => undefined);
        out.state = 'timed-out';
        out.stoppedAt = stage;
        out.error = 'the query ran past firebreak’s deadline and was cancelled';
        return out;
      }
      await sleep(delay, o.signal);
      delay = Math.min(maxPollMs, Math.round(delay * 1.5));
    }
    stage = 'paging';
    let next: string | undefined;
    do {
      const token = next;
      const page = await retry(() => o.engine.page(out.queryId!, token));
      if (page.rows.length) await o.sink(page.rows, out.rows + 1);
      out.rows += page.rows.length;
      out.pages++;
      progress();
      next = page.next;
      if (next && o.signal?.aborted) throw new HuntAborted('cancelled');
    } while (next);
    stage = 'done';
    return out;
  } catch (e) {
    out.stoppedAt = stage;
    if (e instanceof HuntAborted || o.signal?.aborted) {
      // Cancelling a finished query is refused (Lake's InactiveQueryException): nothing to stop.
      if (out.queryId && stage === 'polling') await o.engine.cancel(out.queryId).catch(() => undefined);
      out.state = 'cancelled';
      return out;
    }
    out.state = 'failed';
    out.error = errorText(e);
    return out;
  }
}
