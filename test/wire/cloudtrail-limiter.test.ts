import { afterEach, describe, expect, it } from 'vitest';
import {
  accountBudget,
  clearLimiters,
  limiterFor,
  RateLimiter,
  type Clock,
} from '../../src/sources/cloudtrail/limiter.js';

/** A clock that only moves when told to; sleepers wake in deadline order. */
class ManualClock implements Clock {
  t = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = { at: this.t + ms, resolve };
      this.sleepers.push(s);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((x) => x !== s);
        reject(signal.reason);
      });
    });
  }
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const s = this.sleepers[0];
      if (!s || s.at > target) break;
      this.sleepers.shift();
      this.t = s.at;
      s.resolve();
      await flush();
    }
    this.t = target;
    await flush();
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function track(
  limiter: RateLimiter,
  clock: ManualClock,
  n: number,
  tag = '',
): { grants: { who: string; at: number }[]; all: Promise<void>[] } {
  const grants: { who: string; at: number }[] = [];
  const all = Array.from({ length: n }, (_, i) =>
    limiter.acquire().then(() => void grants.push({ who: `${tag}${i}`, at: clock.now() })),
  );
  return { grants, all };
}

afterEach(() => clearLimiters());

describe('RateLimiter (injected clock)', () => {
  it('spaces requests 1/rate apart and serves waiters first-come first-served', async () => {
    const clock = new ManualClock();
    const l = new RateLimiter({ ratePerSec: 2, marginMs: 0, clock });
    const { grants } = track(l, clock, 5);
    await clock.advance(0);
    expect(grants).toEqual([{ who: '0', at: 0 }]);
    await clock.advance(2000);
    expect(grants).toEqual([0, 500, 1000, 1500, 2000].map((at, i) => ({ who: String(i), at })));
    expect(l.granted).toBe(5);
  });

  it('interleaves two callers fairly, in arrival order', async () => {
    const clock = new ManualClock();
    const l = new RateLimiter({ ratePerSec: 2, marginMs: 0, clock });
    const grants: string[] = [];
    const a = (async () => {
      for (let i = 0; i < 3; i++) {
        await l.acquire();
        grants.push(`a${i}`);
      }
    })();
    const b = (async () => {
      for (let i = 0; i < 3; i++) {
        await l.acquire();
        grants.push(`b${i}`);
      }
    })();
    await clock.advance(3000);
    await Promise.all([a, b]);
    expect(grants).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('never grants more than the rate in any 1 s window, whatever the arrival pattern', async () => {
    const clock = new ManualClock();
    const l = new RateLimiter({ ratePerSec: 2, marginMs: 0, clock });
    const at: number[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let step = 0; step < 60; step++) {
      const burst = Math.floor(rnd() * 4);
      for (let i = 0; i < burst; i++) void l.acquire().then(() => void at.push(clock.now()));
      await clock.advance(Math.floor(rnd() * 700));
    }
    await clock.advance(120_000);
    expect(at.length).toBeGreaterThan(50);
    for (let i = 2; i < at.length; i++) expect(at[i]! - at[i - 2]!).toBeGreaterThanOrEqual(1000);
  });

  it('adds the jitter margin to the spacing', async () => {
    const clock = new ManualClock();
    const l = new RateLimiter({ ratePerSec: 2, clock });
    const { grants } = track(l, clock, 3);
    await clock.advance(2000);
    expect(grants.map((g) => g.at)).toEqual([0, 550, 1100]);
  });

  it('drops an aborted waiter without holding up the queue', async () => {
    const clock = new ManualClock();
    const l = new RateLimiter({ ratePerSec: 2, marginMs: 0, clock });
    const order: string[] = [];
    await l.acquire();
    const ac = new AbortController();
    const cancelled = l.acquire(ac.signal).then(
      () => order.push('cancelled'),
      () => order.push('aborted'),
    );
    const next = l.acquire().then(() => order.push('next'));
    ac.abort();
    await cancelled;
    expect(l.pending).toBe(1);
    await clock.advance(500);
    await next;
    expect(order).toEqual(['aborted', 'next']);
    expect(clock.now()).toBe(500);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const l = new RateLimiter({ clock: new ManualClock() });
    const ac = new AbortController();
    ac.abort();
    await expect(l.acquire(ac.signal)).rejects.toBeDefined();
  });

  it('limiterFor shares one limiter per (account, region)', () => {
    const a = limiterFor('123456789012', 'us-east-1');
    expect(limiterFor('123456789012', 'us-east-1')).toBe(a);
    expect(limiterFor('123456789012', 'eu-west-1')).not.toBe(a);
    expect(limiterFor('210987654321', 'us-east-1')).not.toBe(a);
  });

  it('limiterFor is keyed by account only: a profile name is refused, not given a second budget', () => {
    expect(() => limiterFor('default', 'us-east-1')).toThrow(/12-digit account id/);
  });

  it('accountBudget waits on the same limiter as limiterFor once the account is known', async () => {
    const shared = limiterFor('123456789012', 'us-east-1');
    let asked = 0;
    const budget = accountBudget(async () => (asked++, '123456789012'), 'us-east-1');
    await budget.acquire();
    expect(shared.granted).toBe(1);
    expect(asked).toBe(1);
  });

  it('accountBudget rejects the acquire when the account look-up fails, and asks again next time', async () => {
    let n = 0;
    const budget = accountBudget(async () => {
      if (n++ === 0) throw new Error('ExpiredToken');
      return '123456789012';
    }, 'eu-west-1');
    await expect(budget.acquire()).rejects.toThrow('ExpiredToken');
    await budget.acquire();
    expect(limiterFor('123456789012', 'eu-west-1').granted).toBe(1);
  });
});
