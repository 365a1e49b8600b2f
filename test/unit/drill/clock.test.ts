// The simulated clock, stepped by a fake real-time source.

import { describe, expect, it } from 'vitest';
import { DRILL_SPEEDS, SimClock, stepSpeed } from '../../../src/sources/drill/clock.js';
import { fakeTime } from './helpers.js';

const T0 = Date.UTC(2026, 3, 20, 14, 15);

describe('SimClock', () => {
  it('sim time = start + real elapsed × speed', () => {
    const real = fakeTime();
    const c = new SimClock({ startMs: T0, speed: 2, now: real.now });
    expect(c.now()).toBe(T0);
    real.advance(1500);
    expect(c.now()).toBe(T0 + 3000);
  });

  it('pause freezes sim time; the paused interval does not count after resume', () => {
    const real = fakeTime();
    const c = new SimClock({ startMs: T0, now: real.now });
    real.advance(1000);
    c.pause();
    real.advance(60_000);
    expect(c.now()).toBe(T0 + 1000);
    expect(c.paused).toBe(true);
    c.resume();
    real.advance(500);
    expect(c.now()).toBe(T0 + 1500);
  });

  it('changing speed never makes sim time jump', () => {
    const real = fakeTime();
    const c = new SimClock({ startMs: T0, now: real.now });
    real.advance(10_000);
    c.setSpeed(60);
    expect(c.now()).toBe(T0 + 10_000);
    real.advance(1000);
    expect(c.now()).toBe(T0 + 70_000);
    c.setSpeed(0.5);
    real.advance(1000);
    expect(c.now()).toBe(T0 + 70_500);
  });

  it('a clock can start paused, and a speed change while paused applies after resume', () => {
    const real = fakeTime();
    const c = new SimClock({ startMs: T0, paused: true, now: real.now });
    real.advance(5000);
    c.setSpeed(10);
    expect(c.now()).toBe(T0);
    c.resume();
    real.advance(100);
    expect(c.now()).toBe(T0 + 1000);
  });

  it('advanceTo jumps forward only', () => {
    const real = fakeTime();
    const c = new SimClock({ startMs: T0, now: real.now });
    c.advanceTo(T0 + 300_000);
    expect(c.now()).toBe(T0 + 300_000);
    c.advanceTo(T0);
    expect(c.now()).toBe(T0 + 300_000);
    real.advance(1000);
    expect(c.now()).toBe(T0 + 301_000);
  });

  it('refuses a speed that is not a positive finite number up to 3600×', () => {
    const c = new SimClock({ startMs: T0 });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 3601])
      expect(() => c.setSpeed(bad)).toThrow(RangeError);
    expect(() => new SimClock({ startMs: T0, speed: 0 })).toThrow(RangeError);
    expect(c.speed).toBe(1);
  });

  it('stepSpeed walks the preset speeds and stops at the ends', () => {
    expect(DRILL_SPEEDS).toEqual([0.5, 1, 2, 5, 10, 60]);
    expect(stepSpeed(1, 1)).toBe(2);
    expect(stepSpeed(10, 1)).toBe(60);
    expect(stepSpeed(60, 1)).toBe(60);
    expect(stepSpeed(1, -1)).toBe(0.5);
    expect(stepSpeed(0.5, -1)).toBe(0.5);
    expect(stepSpeed(3, 1)).toBe(5);
    expect(stepSpeed(3, -1)).toBe(2);
  });
});
