// LookupEvents allows 2 requests/s per account AND Region, shared by everything that calls it —
// every poller, every page, and other tools (API_LookupEvents). One limiter
// per (account or profile, region) therefore gates every request firebreak sends there.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
//
// It is a token bucket of capacity 1, i.e. requests are spaced 1/rate apart: a bigger bucket lets
// a burst plus the refill exceed the rate inside one second (capacity 2 at 2/s lets 3 through in
// [0 s, 0.5 s]). Waiters are served strictly first-come first-served, so a poller walking 40 pages
// cannot starve another one. `marginMs` widens the spacing a little because AWS counts requests
// when they arrive, and network jitter can bunch two evenly spaced sends together.

import { setTimeout as sleepMs } from 'node:timers/promises';

/** Time, injectable so the limiter and poller are tested without real sleeps. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepMs(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};

export interface LimiterOptions {
  /** Requests per second; AWS allows 2 for LookupEvents. */
  ratePerSec?: number;
  /** Extra spacing per request, for network jitter (default 50 ms: 2 req/s becomes ~1.8). */
  marginMs?: number;
  clock?: Clock;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class RateLimiter {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly queue: Waiter[] = [];
  /** When the next token is available (epoch ms); ≤ now means one is ready. */
  private nextAt = -Infinity;
  private timerRunning = false;
  /** Requests granted so far, for status lines and tests. */
  granted = 0;

  constructor(opts: LimiterOptions = {}) {
    const rate = opts.ratePerSec ?? 2;
    if (!(rate > 0)) throw new Error(`ratePerSec must be positive, got ${rate}`);
    this.intervalMs = 1000 / rate + (opts.marginMs ?? 50);
    this.clock = opts.clock ?? systemClock;
  }

  /** Waiting requests (not yet granted). */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when the caller may send one request. Call it before EVERY attempt, retries included. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  private pump(): void {
    if (this.timerRunning) return;
    while (this.queue.length > 0) {
      const now = this.clock.now();
      if (now < this.nextAt) {
        this.timerRunning = true;
        void this.clock.sleep(this.nextAt - now).then(() => {
          this.timerRunning = false;
          this.pump();
        });
        return;
      }
      const w = this.queue.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.nextAt = now + this.intervalMs;
      this.granted++;
      w.resolve();
    }
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

const registry = new Map<string, RateLimiter>();

/**
 * The one limiter for an (account or profile, region). Two profiles for the same account share
 * AWS's quota but not this limiter, so callers should pass the account id when they know it.
 */
export function limiterFor(accountOrProfile: string, region: string, opts?: LimiterOptions): RateLimiter {
  const key = `${accountOrProfile}\u0000${region}`;
  let l = registry.get(key);
  if (!l) {
    l = new RateLimiter(opts);
    registry.set(key, l);
  }
  return l;
}

/** Forgets every limiter (tests, or after the session's profile changes). */
export function clearLimiters(): void {
  registry.clear();
}
