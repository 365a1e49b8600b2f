// How components reach the stores: one context, small hooks (STYLE.md habit 6). Selectors must
// return primitives or stable references (zustand 5 re-renders forever on a fresh array).

import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { IncidentStore, StoreShape, Commands } from '../store/store.js';
import type { Mode } from './keymap.js';
import type { Theme } from './theme.js';
import type { UiState, UiStore } from './ui-state.js';

/** What the cockpit can ask of a running drill (the header shows it; keys drive it). */
export interface DrillControl {
  status(): { simTime: number; speed: number; paused: boolean; delivered: number; total: number; finished: boolean; error?: string };
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
  /** Reads an event's full journal record (with raw) for the detail view. */
  readEvent?: (offset: number, length: number) => Promise<unknown>;
  quit: () => void;
}

const Ctx = createContext<CockpitDeps | null>(null);

export function CockpitProvider({ deps, children }: { deps: CockpitDeps; children: ReactNode }) {
  return <Ctx.Provider value={deps}>{children}</Ctx.Provider>;
}

export function useDeps(): CockpitDeps {
  const d = useContext(Ctx);
  if (!d) throw new Error('cockpit components must be rendered inside CockpitProvider');
  return d;
}

export function useIncident<T>(selector: (s: StoreShape) => T): T {
  return useStore(useDeps().store, selector);
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useDeps().ui, selector);
}

export function useActions(): Commands {
  return useDeps().store.getState().actions;
}
