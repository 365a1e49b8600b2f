// Plays a scenario into the cockpit: as the sim clock passes each item's delivery time the item
// goes to the sink — events batched into one ingest per tick (one journal group-commit, not one
// fsync per event), then detections and injects in order. Each item exactly once: an item counts
// as delivered only when the sink's promise resolves, and ids already in a re-opened journal are
// skipped. A sink failure (journal unsafe) stops the drill and is reported, never retried
// silently: a drill that keeps playing while nothing is recorded would measure nothing.

import type { IncidentEvent } from '../../domain/event.js';
import { realScheduler, SimClock, type Scheduler } from './clock.js';
import { isoUtc, type Scenario } from './compile.js';
import { eventItemId, type DetectionData, type DrillItem } from './items.js';

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
  /** Sim ms of quiet the clock jumped over (skipQuietMs), in all and the last jump. */
  skippedMs: number;
  lastSkip?: { fromMs: number; toMs: number };
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
  /**
   * The resumed journal's last record time (epoch ms): the clock never starts before it, or the
   * team's own records (a quarantine at 14:50) would sit after what the drill shows next.
   */
  resumeAtMs?: number;
  /**
   * A fresh drill starts this much sim time before its first item, not at the scenario's start:
   * at ×1 the bundled drill's first event came after 5 real minutes of an empty screen.
   */
  leadInMs?: number;
  /**
   * Real ms of nothing due beyond which the clock jumps ahead to `leadInMs` before the next item
   * (status().lastSkip says it did). Undefined: never skips.
   */
  skipQuietMs?: number;
  speed?: number;
  startPaused?: boolean;
  now?: () => number;
  scheduler?: Scheduler;
  /**
   * The world's reaction (the drill's simulated cloud, src/sources/drill/reactions.ts): the events
   * as they land now — refused (failure) or gone (never reached the service). It decides the
   * scenario's branches (`when: blocked/allowed`).
   */
  react?: (events: IncidentEvent[]) => IncidentEvent[];
  /** A resumed journal's outcome for an event key already delivered (how its branches were decided). */
  journaledOutcome?: (key: string) => IncidentEvent['outcome'] | undefined;
}

/** 10 Hz: fine enough that nothing waits visibly, coarse enough not to churn the store. */
export const TICK_MS = 100;

export class DrillRunner {
  readonly clock: SimClock;
  private readonly scenario: Scenario;
  private readonly sink: DrillSink;
  private readonly scheduler: Scheduler;
  private readonly done = new Set<string>();
  /** Scripted events containment stopped (refused or dropped): what `when: blocked` hangs on. */
  private readonly blocked = new Set<string>();
  /** Branch events whose condition was not met: that path of the story did not happen. */
  private readonly absent = new Set<string>();
  /** Index of the first undelivered item; everything before it is delivered. */
  private next = 0;
  private timer: unknown;
  private flight: Promise<void> | undefined;
  private state: DrillState = 'idle';
  private error: string | undefined;
  private readonly realNow: () => number;
  /** Real time: when start() ran, when the current pause began, and the pauses so far. */
  private startedReal: number | undefined;
  private pausedSince: number | undefined;
  private pausedReal = 0;
  private pauses = 0;
  private skippedMs = 0;
  private lastSkip: { fromMs: number; toMs: number } | undefined;

  constructor(private readonly opts: DrillRunnerOptions) {
    this.scenario = opts.scenario;
    this.sink = opts.sink;
    this.realNow = opts.now ?? Date.now;
    this.scheduler = opts.scheduler ?? realScheduler;
    const ids = new Set(opts.delivered ?? []);
    let resumeAt = opts.scenario.startMs;
    for (const item of opts.scenario.items) {
      if (!ids.has(item.id)) continue;
      this.done.add(item.id);
      if (item.kind === 'event' && item.event.outcome !== 'failure' && opts.journaledOutcome?.(item.id) === 'failure')
        this.blocked.add(item.id);
      resumeAt = Math.max(resumeAt, item.deliverAt);
    }
    const first = opts.scenario.items.find((i) => !ids.has(i.id));
    if (ids.size === 0 && first && opts.leadInMs !== undefined)
      resumeAt = Math.max(resumeAt, first.deliverAt - opts.leadInMs);
    if (opts.resumeAtMs !== undefined && Number.isFinite(opts.resumeAtMs))
      resumeAt = Math.max(resumeAt, opts.resumeAtMs);
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
    this.startedReal = this.realNow();
    if (!this.opts.startPaused) this.clock.resume();
    else ((this.pausedSince = this.startedReal), this.pauses++);
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
    if (!this.clock.paused && this.state === 'running') ((this.pausedSince = this.realNow()), this.pauses++);
    this.clock.pause();
    this.changed();
  }

  resume(): void {
    if (this.pausedSince !== undefined) this.pausedReal += this.realNow() - this.pausedSince;
    this.pausedSince = undefined;
    this.clock.resume();
    this.changed();
  }

  /**
   * Real time since start, the part of it spent paused, and how many pauses: the drill clock
   * stands still while paused, so a scorecard that showed only drill minutes would hide them.
   */
  timing(): { wallMs: number; pausedMs: number; pauses: number } {
    const now = this.realNow();
    const open = this.pausedSince !== undefined ? now - this.pausedSince : 0;
    return {
      wallMs: this.startedReal === undefined ? 0 : now - this.startedReal,
      pausedMs: this.pausedReal + open,
      pauses: this.pauses,
    };
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
      skippedMs: this.skippedMs,
      ...(this.lastSkip ? { lastSkip: { ...this.lastSkip } } : {}),
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
    if (due.length === 0) return this.skipQuiet(now);
    try {
      await this.deliverEvents(due.filter((d) => d.kind === 'event'));
      for (const d of due) {
        if (this.state !== 'running') break;
        if (d.kind === 'detection') {
          // A detection on activity that never happened as scripted — every event it names was
          // refused, never got out, or belongs to a branch not taken — is not raised: an engine
          // would not have seen what it describes ("a new session was minted" for a refused
          // AssumeRole).
          if (!d.detection.eventKeys.every((k) => this.blocked.has(k) || this.absent.has(k)))
            await this.sink.detect(d.detection);
        } else if (d.kind === 'inject') await this.sink.inject(d.injectId, d.text, d.simTime);
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

  /**
   * Delivers due events in waves: a branch waits until the event it hangs on has landed (in an
   * earlier wave of the same pass, when the clock jumped over both); one whose condition is not
   * met is done without being delivered — that path of the story did not happen.
   */
  private async deliverEvents(events: Extract<DrillItem, { kind: 'event' }>[]): Promise<void> {
    let pending = events;
    while (pending.length) {
      const decided = (d: (typeof events)[number]): boolean => {
        const on = d.when && ('blocked' in d.when ? d.when.blocked : d.when.allowed);
        return on === undefined || this.done.has(on);
      };
      const wave = pending.filter(decided);
      // A branch on an event that is not due yet cannot happen (compile orders them): drop it.
      const now = wave.length ? wave : pending;
      pending = wave.length ? pending.filter((d) => !decided(d)) : [];
      const go = now.filter((d) => {
        if (!d.when) return true;
        if (!wave.length) return false;
        return 'blocked' in d.when ? this.blocked.has(d.when.blocked) : !this.blocked.has(d.when.allowed);
      });
      const scripted = go.map((d) => d.event);
      const landed = this.opts.react ? this.opts.react(scripted) : scripted;
      const byKey = new Map(landed.map((e) => [eventItemId(e), e]));
      for (const d of go) {
        const got = byKey.get(d.id);
        if (!got || (got.outcome === 'failure' && d.event.outcome !== 'failure')) this.blocked.add(d.id);
      }
      if (landed.length) await this.sink.ingest(landed);
      for (const d of now) {
        this.done.add(d.id);
        if (!go.includes(d)) this.absent.add(d.id);
      }
    }
  }

  /** Jumps a quiet stretch: more than skipQuietMs of real time until the next item is due. */
  private skipQuiet(now: number): void {
    const item = this.scenario.items[this.next];
    const quiet = this.opts.skipQuietMs;
    if (!item || quiet === undefined || this.clock.paused) return;
    const to = item.deliverAt - (this.opts.leadInMs ?? 0);
    if ((item.deliverAt - now) / this.clock.speed <= quiet || to <= now) return;
    this.clock.advanceTo(to);
    this.skippedMs += to - now;
    this.lastSkip = { fromMs: now, toMs: to };
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
