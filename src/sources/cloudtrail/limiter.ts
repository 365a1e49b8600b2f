// LookupEvents allows 2 requests/s per account AND Region, shared by everything that calls it —
// every poller, every page, every preservation and other tools (API_LookupEvents). One limiter
// per (account id, Region) therefore gates every request firebreak sends there: keyed by the
// account, never by the profile, because two profiles (or a profile and the action session's
// credentials) reach the same account and so the same quota.
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

/** What every LookupEvents caller waits on before each attempt: a RateLimiter, or accountBudget(). */
export interface LookupBudget {
  /** Resolves when the caller may send one request; rejects with an AbortError when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export class RateLimiter implements LookupBudget {
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

/** An AWS account id: 12 digits (what STS GetCallerIdentity answers). */
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The one limiter for an (account, Region). Only an account id keys it: a profile name would give
 * two limiters for one quota (the pollers' 'default' and the actions' account once sent 3–4
 * LookupEvents in one second between them).
 */
export function limiterFor(account: string, region: string, opts?: LimiterOptions): RateLimiter {
  if (!ACCOUNT_ID.test(account))
    throw new Error(`the LookupEvents budget is per AWS account: "${account}" is not a 12-digit account id`);
  const key = `${account}\u0000${region}`;
  let l = registry.get(key);
  if (!l) {
    l = new RateLimiter(opts);
    registry.set(key, l);
  }
  return l;
}

/**
 * The shared limiter of an account that is learned later (a poller knows its profile, not its
 * account, until STS answers). Each acquire waits for the account, then for its slot in
 * limiterFor(account, region); a failed look-up rejects that acquire (the caller's cycle fails
 * with the reason) and is asked again on the next one.
 */
export function accountBudget(account: () => Promise<string>, region: string): LookupBudget {
  return {
    async acquire(signal) {
      const id = await account();
      if (signal?.aborted) throw abortError(signal);
      return limiterFor(id, region).acquire(signal);
    },
  };
}

/** Forgets every limiter (tests, or after the session's profile changes). */
export function clearLimiters(): void {
  registry.clear();
}
