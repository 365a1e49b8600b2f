// The drill's simulated clock: sim time = anchor + real time elapsed since the anchor × speed.
// Every change (pause, resume, speed, jump) re-anchors, so changing speed never makes the sim
// time jump. Real time and timers are injected so tests step time by hand and never sleep.

/** Speeds the cockpit cycles through: half speed for a slow debrief, 60× to get to the action. */
export const DRILL_SPEEDS = [0.5, 1, 2, 5, 10, 60] as const;

/** Beyond this one real second spans more than an hour of incident; nobody can follow that. */
export const MAX_SPEED = 3600;

/** Timers, injectable: the real ones by default, a hand-stepped fake in tests. */
export interface Scheduler {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface SimClockOptions {
  /** Sim time (epoch ms) the clock shows at creation. */
  startMs: number;
  speed?: number;
  paused?: boolean;
  /** Real time in ms; `Date.now` by default. Only differences are used. */
  now?: () => number;
}

export function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED) {
    throw new RangeError(`drill speed must be > 0 and ≤ ${MAX_SPEED}×, got ${speed}`);
  }
  return speed;
}

export class SimClock {
  private readonly realNow: () => number;
  private realAnchor: number;
  private simAnchor: number;
  private _speed: number;
  private _paused: boolean;

  constructor(opts: SimClockOptions) {
    this.realNow = opts.now ?? Date.now;
    this.realAnchor = this.realNow();
    this.simAnchor = opts.startMs;
    this._speed = checkSpeed(opts.speed ?? 1);
    this._paused = opts.paused ?? false;
  }

  /** Current sim time, epoch ms. */
  now(): number {
    if (this._paused) return this.simAnchor;
    return this.simAnchor + (this.realNow() - this.realAnchor) * this._speed;
  }

  get speed(): number {
    return this._speed;
  }

  get paused(): boolean {
    return this._paused;
  }

  private reanchor(): void {
    this.simAnchor = this.now();
    this.realAnchor = this.realNow();
  }

  pause(): void {
    if (this._paused) return;
    this.reanchor();
    this._paused = true;
  }

  resume(): void {
    if (!this._paused) return;
    // Re-anchoring real time here is what makes the paused interval not count.
    this.realAnchor = this.realNow();
    this._paused = false;
  }

  setSpeed(speed: number): void {
    checkSpeed(speed);
    this.reanchor();
    this._speed = speed;
  }

  /** Jumps forward to `simMs` (skip); never backwards — delivered items stay delivered. */
  advanceTo(simMs: number): void {
    this.reanchor();
    this.simAnchor = Math.max(this.simAnchor, simMs);
  }
}

/** The next speed up or down from the current one in DRILL_SPEEDS (clamped at the ends). */
export function stepSpeed(current: number, direction: 1 | -1): number {
  const speeds: readonly number[] = DRILL_SPEEDS;
  if (direction > 0) return speeds.find((s) => s > current) ?? speeds[speeds.length - 1]!;
  return [...speeds].reverse().find((s) => s < current) ?? speeds[0]!;
}
