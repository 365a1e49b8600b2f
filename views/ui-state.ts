// UI state: focus, cursors, filters, the open dialog. Kept apart from the incident store because
// it changes on every key press and must not make incident selectors re-run;
// none of it is journaled — it is how the responder looks, not what happened.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ArmTarget } from '../store/action-session.js';
import type { BundlePlan, BundleStep } from '../store/action-bundle.js';

export const PANES = ['severity', 'timeline', 'events', 'actions'] as const;
export type PaneId = (typeof PANES)[number];
export type ListPane = 'timeline' | 'events';

export type Dialog =
  | { kind: 'help'; top: number }
  | { kind: 'quit' }
  | { kind: 'severity'; sel: number }
  | { kind: 'phase'; sel: number }
  | { kind: 'role'; sel: number; stage: 'role' | 'person'; text: string }
  | { kind: 'note'; text: string }
  /** `hist`: the history entry shown (↑/↓), `draft`: what was typed before walking the history. */
  | { kind: 'palette'; text: string; sel: number; hist?: number; draft?: string }
  | { kind: 'filter'; pane: ListPane; text: string }
  | { kind: 'jump'; text: string }
  /**
   * `events`: the event keys a detection (or pin) links to; Tab / Shift-Tab picks one (`eventSel`,
   * default the first) and Enter jumps to it.
   */
  | {
      kind: 'detail';
      pane: ListPane;
      title: string;
      lines: string[];
      top: number;
      events?: string[];
      eventSel?: number;
      /** A record shown as a folded field tree (views/field-tree.ts) instead of `lines`. */
      tree?: FieldTree;
    }
  | { kind: 'clocks'; top: number }
  | { kind: 'metrics'; top: number }
  /** `:shared`: the merged shared incident (views/shared-view.ts); `top` is clamped when drawn. */
  | { kind: 'shared'; top: number }
  | { kind: 'runbook'; id: string; sel: number }
  | PlanDialog
  | BundleDialog
  | ArmDialog;

/**
 * The cross-plane bundle (store/action-bundle.ts): every step's plan, one typed confirmation (the
 * role's name), then each step's outcome as it runs. `steps` is the plan's steps as they stand.
 */
export interface BundleDialog {
  kind: 'bundle';
  plan: BundlePlan;
  steps: readonly BundleStep[];
  stage: 'review' | 'typing' | 'running' | 'done';
  text: string;
  top: number;
}

/**
 * One planned action, shown before anything runs. Stages: review the plan (d dry run, y confirm);
 * `typing` the target's id for a destructive action; `override` the commander's reason.
 * `busy` says what is in flight (keys wait for it), `override` holds the reason once given.
 */
export interface PlanDialog {
  kind: 'plan';
  actionId: string;
  stage: 'review' | 'typing' | 'override';
  text: string;
  override?: string;
  busy?: string;
  top: number;
}

export interface ArmDialog {
  kind: 'arm';
  text: string;
  /** Undefined while the account id is being resolved. */
  targets?: ArmTarget[];
  error?: string;
}

export interface FieldTree {
  value: unknown;
  /** Paths (FieldRow.path) flipped from their default fold. */
  toggled: string[];
  /** Selected row. */
  sel: number;
  /** Every branch open (`o`); `toggled` flips from that. */
  all?: boolean;
}

export interface ListCursor {
  /** Selected row index in the (filtered) list. */
  sel: number;
  /** Keep the selection on the newest row as rows arrive. */
  follow: boolean;
}

export interface Message {
  text: string;
  kind: 'info' | 'error';
}

export interface UiState {
  focus: PaneId;
  dialog: Dialog | undefined;
  cursors: Record<ListPane, ListCursor>;
  filters: Record<ListPane, string>;
  /** Selected row of the actions pane (offered actions, then the incident's actions so far). */
  actionSel: number;
  message: Message | undefined;
  /** Review mode: the seq the panes show the incident as of; undefined = the end. */
  asOf: number | undefined;
  /** The runbook chosen with `:runbook ID` (else the one in progress or suggested). */
  runbook?: string;
  /** The focused pane has the whole body (z). */
  zoom: boolean;
  /** Palette lines run this session, oldest first (↑ recalls them; failed ones too, to fix them). */
  paletteHistory: string[];
  /** The timeline lists every step of each action (f), instead of one row per action. */
  everyStep?: boolean;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Partial<UiState> = {}): UiStore {
  return createStore<UiState>()(() => ({
    focus: 'events',
    dialog: undefined,
    cursors: { timeline: { sel: 0, follow: true }, events: { sel: 0, follow: true } },
    filters: { timeline: '', events: '' },
    actionSel: 0,
    message: undefined,
    asOf: undefined,
    paletteHistory: [],
    zoom: false,
    ...initial,
  }));
}
