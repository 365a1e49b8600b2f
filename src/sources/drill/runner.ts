// Plays a scenario into the cockpit: as the sim clock passes each item's delivery time the item
// goes to the sink — events batched into one ingest per tick (one journal group-commit, not one
// fsync per event), then detections and injects in order. Each item exactly once: an item counts
// as delivered only when the sink's promise resolves, and ids already in a re-opened journal are
// skipped. A sink failure (journal unsafe) stops the drill and is reported, never retried
// silently: a drill that keeps playing while nothing is recorded would measure nothing.

import type { IncidentEvent } from '../../domain/event.js';
import { realScheduler, SimClock, type Scheduler } from './clock.js';
import { isoUtc, type Scenario } from './compile.js';
import type { DetectionData, DrillItem } from './items.js';

/** What the runner needs from the store; the composition root adapts the store's commands. */
export interface DrillSink {
  ingest(events: IncidentEvent[]): Promise<unknown>;
  detect(d: DetectionData): Promise<unknown>;
  inject(id: string, text: string, simTime: string): Promise<unknown>;
}

export type DrillState = 'idle' | 'running' | 'finished' | 'stopped' | 'failed';

export interface DrillStatus {
  state: DrillState;
  /** Sim time: UTC ISO to the whole second (what the header shows), and exact epoch ms. */
  simTime: string;
  simMs: number;
  speed: number;
  paused: boolean;
  delivered: number;
  total: number;
  finished: boolean;
  /** Sim time of the next undelivered item, if any. */
  nextAt?: string;
  error?: string;
}

export interface DrillRunnerOptions {
  scenario: Scenario;
  sink: DrillSink;
  /** Required: a sink failure must reach the responder. */
  onError: (err: Error) => void;
  /** After every delivery and every control change (not on each tick: poll `status()` for time). */
  onChange?: (status: DrillStatus) => void;
  /** Item ids already in the journal (see `deliveredItemId`); skipped, and the clock resumes after them. */
  delivered?: Iterable<string>;
  speed?: number;
  startPaused?: boolean;
  now?: () => number;
  scheduler?: Scheduler;
}

/** 10 Hz: fine enough that nothing waits visibly, coarse enough not to churn the store. */
export const TICK_MS = 100;

export class DrillRunner {
  readonly clock: SimClock;
  private readonly scenario: Scenario;
  private readonly sink: DrillSink;
  private readonly scheduler: Scheduler;
  private readonly done = new Set<string>();
  /** Index of the first undelivered item; everything before it is delivered. */
  private next = 0;
  private timer: unknown;
  private flight: Promise<void> | undefined;
  private state: DrillState = 'idle';
  private error: string | undefined;

  constructor(private readonly opts: DrillRunnerOptions) {
    this.scenario = opts.scenario;
    this.sink = opts.sink;
    this.scheduler = opts.scheduler ?? realScheduler;
    const ids = new Set(opts.delivered ?? []);
    let resumeAt = opts.scenario.startMs;
    for (const item of opts.scenario.items) {
      if (!ids.has(item.id)) continue;
      this.done.add(item.id);
      resumeAt = Math.max(resumeAt, item.deliverAt);
    }
    this.advanceNext();
    // A re-opened drill continues where its journal stopped, not from the scenario's start.
    this.clock = new SimClock({
      startMs: resumeAt,
      speed: opts.speed ?? 1,
      paused: true,
      ...(opts.now ? { now: opts.now } : {}),
    });
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    if (!this.opts.startPaused) this.clock.resume();
    if (this.next >= this.scenario.items.length) return this.finish();
    this.timer = this.scheduler.setInterval(() => void this.tick(), TICK_MS);
    this.changed();
  }

  /** Stops for good and waits for an in-flight delivery, so the journal can be closed after. */
  async stop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'running') this.state = 'stopped';
    this.clearTimer();
    this.clock.pause();
    await this.flight;
    this.changed();
  }

  pause(): void {
    this.clock.pause();
    this.changed();
  }

  resume(): void {
    this.clock.resume();
    this.changed();
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.changed();
  }

  /**
   * Jumps the clock to the next undelivered item and delivers everything due then (works while
   * paused: the facilitator skips dead air). Resolves with that item's sim time, or undefined
   * when there is nothing left or the drill is not running.
   */
  async skipToNext(): Promise<string | undefined> {
    const item = this.scenario.items[this.next];
    if (this.state !== 'running' || !item) return undefined;
    this.clock.advanceTo(item.deliverAt);
    await this.flight;
    await this.tick();
    return isoUtc(item.deliverAt);
  }

  status(): DrillStatus {
    const simMs = this.clock.now();
    const nextItem = this.scenario.items[this.next];
    return {
      state: this.state,
      simTime: isoUtc(Math.floor(simMs / 1000) * 1000),
      simMs,
      speed: this.clock.speed,
      paused: this.clock.paused,
      delivered: this.done.size,
      total: this.scenario.items.length,
      finished: this.done.size === this.scenario.items.length,
      ...(nextItem ? { nextAt: isoUtc(nextItem.deliverAt) } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /**
   * Runs one delivery pass; a pass already in flight is joined, never overlapped. The interval
   * calls this; tests call it directly to await a pass.
   */
  tick(): Promise<void> {
    this.flight ??= this.deliverDue().finally(() => (this.flight = undefined));
    return this.flight;
  }

  private async deliverDue(): Promise<void> {
    if (this.state !== 'running') return;
    const now = this.clock.now();
    const due: DrillItem[] = [];
    for (let i = this.next; i < this.scenario.items.length; i++) {
      const item = this.scenario.items[i]!;
      if (item.deliverAt > now) break;
      if (!this.done.has(item.id)) due.push(item);
    }
    if (due.length === 0) return;
    try {
      const events = due.filter((d) => d.kind === 'event');
      if (events.length) {
        await this.sink.ingest(events.map((d) => d.event));
        for (const d of events) this.done.add(d.id);
      }
      for (const d of due) {
        if (this.state !== 'running') break;
        if (d.kind === 'detection') await this.sink.detect(d.detection);
        else if (d.kind === 'inject') await this.sink.inject(d.injectId, d.text, d.simTime);
        else continue;
        this.done.add(d.id);
      }
    } catch (e) {
      return this.fail(e);
    } finally {
      this.advanceNext();
    }
    if (this.state !== 'running') return;
    if (this.next >= this.scenario.items.length) return this.finish();
    this.changed();
  }

  private advanceNext(): void {
    while (this.next < this.scenario.items.length && this.done.has(this.scenario.items[this.next]!.id)) this.next++;
  }

  private finish(): void {
    this.state = 'finished';
    this.clearTimer();
    this.changed();
  }

  private fail(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    this.state = 'failed';
    this.error = err.message;
    this.clearTimer();
    this.clock.pause();
    this.changed();
    this.opts.onError(err);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.scheduler.clearInterval(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    this.opts.onChange?.(this.status());
  }
}
