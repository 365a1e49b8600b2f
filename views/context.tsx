// How components reach the stores: one context, small hooks. Selectors must
// return primitives or stable references (zustand 5 re-renders forever on a fresh array).

import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { MergedIncident } from '../store/merged.js';
import type { IncidentStore, StoreShape, Commands } from '../store/store.js';
import type { ActionSession } from '../store/action-session.js';
import type { Mode } from './keymap.js';
import type { RecordData } from '../src/journal/records.js';
import type { Pivot } from '../src/sources/hunt/queries.js';
import type { Theme } from './theme.js';
import type { UiState, UiStore } from './ui-state.js';

/** What the cockpit can ask of a running drill (the header shows it; keys drive it). */
export interface DrillControl {
  status(): {
    simTime: number;
    speed: number;
    paused: boolean;
    delivered: number;
    total: number;
    finished: boolean;
    /** Sim ms of quiet the drill clock skipped. */
    skippedMs?: number;
    error?: string;
  };
  pause(): void;
  resume(): void;
  setSpeed(x: number): void;
  skipToNext(): void;
  subscribe(listener: () => void): () => void;
}

/** One live source's health, as the header shows it ("CT us-east-1 ok", "k8s pods reconnecting in 4s"). */
export interface SourceHealth {
  name: string;
  state: 'starting' | 'ok' | 'degraded' | 'error' | 'stopped';
  message?: string;
}

export interface SourcesControl {
  health(): SourceHealth[];
  subscribe(listener: () => void): () => void;
}

export interface CockpitDeps {
  store: IncidentStore;
  ui: UiStore;
  theme: Theme;
  mode: Mode;
  /** Current time for SLA countdowns: wall clock live, the simulated clock in a drill. */
  now: () => number;
  drill?: DrillControl;
  /** Live sources (CloudTrail pollers, Kubernetes watches). */
  sources?: SourcesControl;
  /** A shared incident (live --share): the merged incident as the last sync left it. */
  shared?: () => MergedIncident;
  /** Reads an event's full journal record (with raw) for the detail view. */
  readEvent?: (offset: number, length: number) => Promise<unknown>;
  /**
   * `:import PATH...`: imports evidence files into the open journal (through this store, which
   * holds its lock) and answers with a one-line summary; ok is false when some input was bad.
   */
  importFiles?: (
    paths: string[],
    run?: { signal?: AbortSignal; onProgress?: (line: string) => void },
  ) => Promise<{ summary: string; ok: boolean }>;
  /**
   * `:hunt`: a hunt on CloudTrail Lake or Athena into the open journal through this store (rows
   * go in through the ingest path, then a hunt.ran record); answers with the summary line. The
   * engine defaults to the session's; ok is false when the query did not succeed.
   */
  hunt?: (
    req: {
      pivot?: Pivot;
      sql?: string;
      sinceMs?: number;
      untilMs?: number;
      engine?: 'lake' | 'athena';
      allowUnbounded?: boolean;
    },
    run?: { signal?: AbortSignal; onProgress?: (line: string) => void },
  ) => Promise<{ summary: string; ok: boolean }>;
  /** `:rules DIR`: loads Sigma rules into the running detector; the summary names what was not loaded. */
  loadRules?: (dir: string) => Promise<{ summary: string; ok: boolean }>;
  /**
   * Opens an action (src/actions/registry.ts id) for the selected target — the actions UI's entry
   * point, used by runbook steps. Absent: the runbook says which action and target to use.
   */
  openAction?: (actionId: string) => void;
  /** Drills: scores the drill so far, journals it (drill.scored) and returns it (`:score`). */
  scoreDrill?: () => Promise<RecordData<'drill.scored'>>;
  /** Containment and evidence actions (absent in review). */
  actions?: ActionSession;
  /** `live --read-only`: destructive actions and arming do not exist in this session. */
  readOnly?: boolean;
  /** Why this session reaches production (a context or profile matching the pattern); the header shows PROD. */
  prod?: string;
  /** Opens a file in $VISUAL / $EDITOR with the terminal, the cockpit coming back after (absent: no editor or no TTY). */
  editFile?: (path: string) => Promise<{ ok: boolean; message: string }>;
  /** Puts text on the terminal's clipboard (OSC 52); absent without a terminal. */
  copy?: (text: string) => void;
  quit: () => void;
}

const Ctx = createContext<{ deps: CockpitDeps; view: StoreApi<StoreShape> } | null>(null);

/** At most one repaint per this many ms from incident changes (a live feed), the first at once. */
export const REPAINT_MS = 100;

/**
 * The incident store as the views see it: change notifications coalesced (leading edge, then at
 * most one per REPAINT_MS). A feed of 1,000 events/s otherwise repaints on every batch and starves
 * the event loop (bench/live-feed.js); a lone change — the responder's own command — still paints
 * at once. The journal and the store itself are not delayed, only the repaint.
 */
export function coalesced<T>(store: StoreApi<T>, ms = REPAINT_MS): StoreApi<T> & { flush(): void } {
  const pending = new Set<() => void>();
  return {
    ...store,
    subscribe(listener) {
      let last = 0;
      let timer: NodeJS.Timeout | undefined;
      const fire = () => {
        clearTimeout(timer);
        timer = undefined;
        pending.delete(fire);
        last = Date.now();
        listener(store.getState(), store.getState());
      };
      const unsub = store.subscribe(() => {
        if (timer) return;
        const wait = last + ms - Date.now();
        if (wait <= 0) fire();
        else {
          timer = setTimeout(fire, wait);
          pending.add(fire);
        }
      });
      return () => {
        clearTimeout(timer);
        pending.delete(fire);
        unsub();
      };
    },
    /** Paints what is pending now: a key press must see the incident as it is. */
    flush() {
      for (const f of [...pending]) f();
    },
  };
}

export function CockpitProvider({ deps, children }: { deps: CockpitDeps; children: ReactNode }) {
  const value = useMemo(() => ({ deps, view: coalesced(deps.store) }), [deps]);
  // Whatever the responder does (a key, a command's outcome message) shows the current incident.
  useEffect(() => deps.ui.subscribe(() => value.view.flush()), [deps, value]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

function useCtx() {
  const c = useContext(Ctx);
  if (!c) throw new Error('cockpit components must be rendered inside CockpitProvider');
  return c;
}

export function useDeps(): CockpitDeps {
  return useCtx().deps;
}

export function useIncident<T>(selector: (s: StoreShape) => T): T {
  return useStore(useCtx().view, selector);
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useDeps().ui, selector);
}

export function useActions(): Commands {
  return useDeps().store.getState().actions;
}
