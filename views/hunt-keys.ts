// `:hunt`: a hunt on CloudTrail Lake or Athena through CockpitDeps.hunt (the cockpit does no I/O:
// the session's composition root builds the clients). The pivot's value defaults to the selected
// event's (its access key, its actor, its role session, its source IP) and the window to the day
// before that event until now. It runs in the background with its state and rows on the footer,
// one at a time; `:cancel` cancels the query.

import type { Pivot, PivotKind } from '../src/sources/hunt/queries.js';
import type { EventRow } from '../store/state.js';
import type { HuntIntent } from './palette-hunt.js';
import { footerProgress, say, selectedEvent, type KeyContext } from './key-effects.js';

const hunting = new WeakMap<object, AbortController>();

/** Before the selected event, how far back a hunt without --since looks. */
export const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;

/** The selected event's value for a pivot, or why there is none. */
export function pivotValue(kind: PivotKind, ev: EventRow | undefined): string | { error: string } {
  if (!ev) return { error: 'select an event, or give the value (:hunt key AKIA…)' };
  switch (kind) {
    case 'access-key':
      return ev.accessKeyId ?? { error: 'the selected event has no access key' };
    case 'source-ip':
      return ev.sourceIp || { error: 'the selected event has no source IP' };
    case 'principal':
      return ev.actor.startsWith('arn:') ? ev.actor : { error: 'the selected event names no principal ARN' };
    case 'session': {
      const m = /:assumed-role\/[^/]+\/([^/]+)$/.exec(ev.actor);
      return m ? m[1]! : { error: 'the selected event is not a role session' };
    }
  }
}

export function huntFromPalette(ctx: KeyContext, intent: HuntIntent): void {
  const { deps } = ctx;
  const doHunt = deps.hunt;
  if (!doHunt) return say(ctx, 'hunting is not available in this session', 'error');
  if (hunting.has(deps)) return say(ctx, 'a hunt is already running — :cancel stops it', 'error');
  const ev = selectedEvent(ctx);
  let pivot: Pivot | undefined;
  if (intent.pivot) {
    const v = intent.pivot.value ?? pivotValue(intent.pivot.kind, ev);
    if (typeof v !== 'string') return say(ctx, `:hunt — ${v.error}`, 'error');
    pivot = { kind: intent.pivot.kind, value: v };
  }
  const sinceMs = intent.sinceMs ?? (pivot && ev && !intent.unbounded ? ev.eventTime - DEFAULT_LOOKBACK_MS : undefined);
  const untilMs = intent.untilMs ?? (sinceMs !== undefined ? deps.now() : undefined);
  const abort = new AbortController();
  hunting.set(deps, abort);
  say(ctx, `hunting ${pivot ? `${pivot.kind} ${pivot.value}` : 'with SQL'} … (:cancel stops it)`);
  const progress = footerProgress(ctx, () => !abort.signal.aborted && hunting.has(deps));
  doHunt(
    {
      ...(pivot ? { pivot } : { sql: intent.sql! }),
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(untilMs !== undefined ? { untilMs } : {}),
      ...(intent.engine ? { engine: intent.engine } : {}),
      ...(intent.unbounded ? { allowUnbounded: true } : {}),
    },
    {
      signal: abort.signal,
      onProgress: (line) => progress.report(`${line} (:cancel stops it)`),
    },
  )
    .then(
      (r) => say(ctx, r.summary, r.ok ? 'info' : 'error'),
      (e: unknown) => say(ctx, `hunt not run: ${e instanceof Error ? e.message : String(e)}`, 'error'),
    )
    .finally(() => {
      progress.done();
      hunting.delete(deps);
    });
}

/** `:cancel` with a hunt running: cancels its query. False when no hunt is running. */
export function cancelHunt(ctx: KeyContext): boolean {
  const c = hunting.get(ctx.deps);
  if (!c) return false;
  c.abort();
  say(ctx, 'cancelling the hunt …');
  return true;
}
