// Live CloudTrail for one Region through the LookupEvents (Event history) API.
//
// Each cycle asks for [start − lookBack, now], walks every page, and hands the events it has not
// seen before to the sink in one batch. The window overlaps the previous one on purpose: CloudTrail
// delivers ~5 min late (up to 15), and not in order, so a cursor at "newest event seen" would miss
// late arrivals. Dedupe is by EventId; ids are forgotten once they are
// older than any window can reach, so memory stays bounded over a long incident.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
//
// Every attempt, page and retry waits on the shared per-(account, region) limiter, just before it
// goes on the wire. Build the client with createCloudTrailClient (SDK maxAttempts 1): this poller
// owns backoff, so throttling shows in the status instead of hiding in SDK retries.

import {
  LookupEventsCommand,
  type CloudTrailClient,
  type Event,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { IncidentEvent } from '../../domain/event.js';
import { backoffMs, classifyLookupError, formatDelay, type ClassifiedError } from './errors.js';
import { systemClock, type Clock, type LookupBudget } from './limiter.js';
import { normaliseCloudTrailRecord } from './normalise.js';

export type PollerState = 'starting' | 'ok' | 'throttled' | 'error' | 'stopped';

export interface CloudTrailPollerStatus {
  region: string;
  state: PollerState;
  /** When the last cycle finished successfully (UTC ISO). */
  lastPollAt: string | undefined;
  /** The newest eventTime delivered so far (UTC ISO). */
  lastEventTime: string | undefined;
  /** Events delivered to the sink. */
  events: number;
  /** Items seen again in an overlapping window and dropped. */
  duplicates: number;
  /** Items whose CloudTrailEvent was not a CloudTrail record; skipped, never thrown. */
  malformed: number;
  /** LookupEvents attempts sent, retries included. */
  requests: number;
  message: string;
}

export interface CloudTrailPollerOptions {
  client: CloudTrailClient;
  region: string;
  /** Shared by every LookupEvents caller of this account and Region: see limiterFor() / accountBudget(). */
  limiter: LookupBudget;
  /** Only for messages ("run aws sso login --profile X"). */
  profile?: string;
  /** Overlap re-polled every cycle for late deliveries (default 15 min, CloudTrail's worst case). */
  lookBackMs?: number;
  intervalMs?: number;
  sink: (events: IncidentEvent[]) => Promise<unknown>;
  onStatus?: (status: CloudTrailPollerStatus) => void;
  now?: () => number;
  /** Sleeps between cycles and retries; defaults to real time. */
  clock?: Clock;
  random?: () => number;
  /** MaxResults per page, ≤ 50 (the API maximum and default). */
  pageSize?: number;
  throttleBackoff?: { baseMs: number; maxMs: number };
  errorBackoff?: { baseMs: number; maxMs: number };
}

const MINUTE = 60_000;
/** LookupEvents only reaches back 90 days. */
const MAX_AGE_MS = 90 * 24 * 60 * MINUTE;
/** Ids are kept this much longer than the window needs, for clock skew between us and AWS. */
const FORGET_MARGIN_MS = 5 * MINUTE;

class CycleFailed extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(classified.message);
  }
}

export class CloudTrailPoller {
  private readonly o: CloudTrailPollerOptions;
  private readonly lookBackMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly clock: Clock;
  private readonly status: CloudTrailPollerStatus;
  /** EventId → eventTime (ms) of everything delivered, or skipped as malformed, in reach of a window. */
  private readonly seen = new Map<string, number>();
  private sessionStart: number | undefined;
  private lastOkStart: number | undefined;
  private consecutiveErrors = 0;
  /** Malformed items of the running cycle, counted and remembered only once the cycle succeeds. */
  private pendingMalformed: { id: string | undefined; time: number }[] = [];
  private lastMalformedReason: string | undefined;
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private cycle: Promise<boolean> | undefined;

  constructor(opts: CloudTrailPollerOptions) {
    this.o = opts;
    this.lookBackMs = opts.lookBackMs ?? 15 * MINUTE;
    this.intervalMs = opts.intervalMs ?? 30_000;
    this.clock = opts.clock ?? systemClock;
    this.now = opts.now ?? (() => this.clock.now());
    this.status = {
      region: opts.region,
      state: 'starting',
      lastPollAt: undefined,
      lastEventTime: undefined,
      events: 0,
      duplicates: 0,
      malformed: 0,
      requests: 0,
      message: 'starting',
    };
  }

  getStatus(): CloudTrailPollerStatus {
    return { ...this.status };
  }

  /** Polls every intervalMs until stop(). Never throws; problems show in the status. */
  start(): void {
    if (this.running) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.sessionStart ??= this.now();
    this.setStatus({ state: 'starting', message: 'starting' });
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.cycle;
    this.running = undefined;
    this.setStatus({ state: 'stopped', message: 'stopped' });
  }

  /** One cycle now; resolves true if it succeeded. Concurrent calls share the running cycle. */
  pollOnce(): Promise<boolean> {
    if (this.abort.signal.aborted && !this.running) this.abort = new AbortController();
    this.sessionStart ??= this.now();
    this.cycle ??= this.runCycle().finally(() => (this.cycle = undefined));
    return this.cycle;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const started = this.now();
      const ok = await this.pollOnce();
      if (signal.aborted) return;
      let wait = Math.max(0, started + this.intervalMs - this.now());
      if (!ok) {
        const b = this.o.errorBackoff ?? { baseMs: 5_000, maxMs: 5 * MINUTE };
        wait = Math.max(wait, backoffMs(this.consecutiveErrors - 1, b.baseMs, b.maxMs, this.o.random));
        this.setStatus({ message: `${this.status.message}; retrying in ${formatDelay(wait)}` });
      }
      try {
        await this.clock.sleep(wait, signal);
      } catch {
        return;
      }
    }
  }

  private async runCycle(): Promise<boolean> {
    const cycleStart = this.now();
    const from = Math.min(
      cycleStart,
      Math.max((this.lastOkStart ?? this.sessionStart!) - this.lookBackMs, cycleStart - MAX_AGE_MS),
    );
    try {
      const items = await this.fetchAll(from, cycleStart);
      const fresh = this.parse(items, new Date(cycleStart).toISOString());
      // Marked seen only after the sink took them: if it fails, the next window brings them back.
      if (fresh.length > 0) await this.o.sink(fresh.map((f) => f.event));
      for (const f of fresh) this.seen.set(f.event.id, f.time);
      for (const f of this.pendingMalformed) if (f.id) this.seen.set(f.id, f.time);
      this.status.malformed += this.pendingMalformed.length;
      this.pendingMalformed = [];
      this.forgetBefore(from - FORGET_MARGIN_MS);
      this.lastOkStart = cycleStart;
      this.consecutiveErrors = 0;
      const newest = fresh.reduce((m, f) => Math.max(m, f.time), -Infinity);
      const last = this.status.lastEventTime ? Date.parse(this.status.lastEventTime) : -Infinity;
      this.status.events += fresh.length;
      this.setStatus({
        state: 'ok',
        lastPollAt: new Date(this.now()).toISOString(),
        ...(newest > last ? { lastEventTime: new Date(newest).toISOString() } : {}),
        message: this.okMessage(fresh.length),
      });
      return true;
    } catch (err) {
      this.pendingMalformed = [];
      if (this.abort.signal.aborted) return false;
      this.consecutiveErrors++;
      const message =
        err instanceof CycleFailed
          ? err.classified.message
          : `sink failed: ${err instanceof Error ? err.message : String(err)}`;
      this.setStatus({ state: 'error', message });
      return false;
    }
  }

  private okMessage(n: number): string {
    const m = this.status.malformed;
    return `${n} new event${n === 1 ? '' : 's'}${m ? `; ${m} malformed record${m === 1 ? '' : 's'} skipped${this.lastMalformedReason ? ` (${this.lastMalformedReason})` : ''}` : ''}`;
  }

  /** All pages of one window. Every page repeats the exact first-page parameters, as AWS requires. */
  private async fetchAll(from: number, to: number): Promise<Event[]> {
    const base = { StartTime: new Date(from), EndTime: new Date(to), MaxResults: Math.min(50, this.o.pageSize ?? 50) };
    const items: Event[] = [];
    let token: string | undefined;
    do {
      const out = await this.send(token ? { ...base, NextToken: token } : { ...base });
      items.push(...(out.Events ?? []));
      // A repeated token would loop forever (the paginator's stopOnSameToken guard).
      token = out.NextToken && out.NextToken !== token ? out.NextToken : undefined;
    } while (token);
    return items;
  }

  /** One page: limiter before every attempt; throttling is retried here with backoff, the rest fails the cycle. */
  private async send(input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput> {
    const signal = this.abort.signal;
    const b = this.o.throttleBackoff ?? { baseMs: 1_000, maxMs: 30_000 };
    for (let attempt = 0; ; attempt++) {
      const cmd = new LookupEventsCommand(input);
      // The limiter waits at the last step before the wire, after signing: AWS counts requests
      // as they arrive, and waiting earlier lets credential resolution and signing (slow under
      // load) bunch requests that were granted 500 ms apart. The signature stays valid for
      // 5 min, far longer than any realistic queue at 2 req/s.
      cmd.middlewareStack.add(
        (next) => async (args) => {
          await this.o.limiter.acquire(signal);
          this.status.requests++;
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'firebreakLookupEventsLimiter' },
      );
      try {
        return await this.o.client.send(cmd, { abortSignal: signal });
      } catch (err) {
        if (signal.aborted) throw err;
        const c = classifyLookupError(err, { region: this.o.region, profile: this.o.profile });
        if (c.kind !== 'throttled') throw new CycleFailed(c);
        const wait = backoffMs(attempt, b.baseMs, b.maxMs, this.o.random);
        this.setStatus({ state: 'throttled', message: `throttled, retrying in ${formatDelay(wait)}` });
        await this.clock.sleep(wait, signal);
      }
    }
  }

  /** New, well-formed events of this window; malformed items are counted once per EventId. */
  private parse(items: Event[], discoveredAt: string): { event: IncidentEvent; time: number }[] {
    const out: { event: IncidentEvent; time: number }[] = [];
    const inBatch = new Set<string>();
    for (const item of items) {
      const itemTime = item.EventTime?.getTime() ?? this.now();
      const result = parseItem(item, discoveredAt);
      if (!result.ok) {
        const id = item.EventId;
        if (id && (this.seen.has(id) || inBatch.has(id))) continue;
        if (id) inBatch.add(id);
        this.pendingMalformed.push({ id, time: itemTime });
        this.lastMalformedReason = result.reason;
        continue;
      }
      const { event } = result;
      if (this.seen.has(event.id) || inBatch.has(event.id)) {
        this.status.duplicates++;
        continue;
      }
      inBatch.add(event.id);
      out.push({ event, time: Date.parse(event.eventTime) });
    }
    return out;
  }

  private forgetBefore(t: number): void {
    for (const [id, time] of this.seen) if (time < t) this.seen.delete(id);
  }

  /** Ids remembered for dedupe (bounded by the window; exposed for tests and the debug pane). */
  get rememberedIds(): number {
    return this.seen.size;
  }

  private setStatus(patch: Partial<CloudTrailPollerStatus>): void {
    Object.assign(this.status, patch);
    this.o.onStatus?.({ ...this.status });
  }
}

function parseItem(
  item: Event,
  discoveredAt: string,
): { ok: true; event: IncidentEvent } | { ok: false; reason: string } {
  if (typeof item.CloudTrailEvent !== 'string') return { ok: false, reason: 'item without CloudTrailEvent' };
  let raw: unknown;
  try {
    raw = JSON.parse(item.CloudTrailEvent);
  } catch {
    return { ok: false, reason: 'CloudTrailEvent is not JSON' };
  }
  return normaliseCloudTrailRecord(raw, discoveredAt);
}
