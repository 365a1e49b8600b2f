// The one key registry. Every binding is data here: the dispatcher matches keys against it, and
// the `?` help overlay, the footer hints and the README key table are all generated from it, so
// a key cannot exist without being documented (k9s and lazygit do the same; lazygit generates
// https://github.com/jesseduffield/lazygit/blob/master/docs/keybindings/Keybindings_en.md).

import type { Key } from 'ink';

/** Where a binding applies. Dispatch order: dialog > focused pane > global. */
export type Scope = 'global' | 'list' | 'events' | 'timeline' | 'actions' | 'drill' | 'review' | 'dialog' | 'runbook';
/** Session modes: live incident, tabletop drill, read-only review. */
export type Mode = 'live' | 'drill' | 'review';

export interface Binding {
  id: string;
  /** Canonical key names (see keyName): 'j', 'down', 'pagedown', 'shift-tab', 'ctrl-c', 'space' … */
  keys: readonly string[];
  description: string;
  scope: Scope;
  /** Footer label; bindings without one appear only in the help overlay. */
  hint?: string;
  /** Changes the cloud (or enables changing it). Absent in review and in `live --read-only` sessions. */
  dangerous?: boolean;
  /** Records something in the journal: absent in review mode. */
  writes?: boolean;
  /** Only in these modes (default: all). */
  modes?: readonly Mode[];
}

export const BINDINGS: readonly Binding[] = [
  { id: 'app.help', keys: ['?'], description: 'Show every key binding', scope: 'global', hint: 'help' },
  {
    id: 'app.quit',
    keys: ['q', 'ctrl-c'],
    description: 'Quit (asks for confirmation; the journal is already on disk)',
    scope: 'global',
    hint: 'quit',
  },
  { id: 'app.palette', keys: [':'], description: 'Command palette with completion', scope: 'global', hint: 'cmd' },
  {
    id: 'app.back',
    keys: ['escape'],
    description: 'Close the dialog, detail or filter; cancel a plan being made; stop running evidence work',
    scope: 'global',
  },
  { id: 'focus.next', keys: ['tab'], description: 'Focus the next pane', scope: 'global' },
  { id: 'focus.prev', keys: ['shift-tab'], description: 'Focus the previous pane', scope: 'global' },
  { id: 'focus.severity', keys: ['1'], description: 'Focus the severity pane', scope: 'global' },
  { id: 'focus.timeline', keys: ['2'], description: 'Focus the timeline', scope: 'global' },
  { id: 'focus.events', keys: ['3'], description: 'Focus the live events', scope: 'global' },
  { id: 'focus.actions', keys: ['4'], description: 'Focus the actions pane', scope: 'global' },
  {
    id: 'view.zoom',
    keys: ['z'],
    description: 'Zoom: the focused pane takes the whole screen (z again: all panes)',
    scope: 'global',
  },
  {
    id: 'incident.severity',
    keys: ['s'],
    description: 'Set the severity',
    scope: 'global',
    hint: 'severity',
    writes: true,
  },
  {
    id: 'incident.phase',
    keys: ['p'],
    description: 'Set the phase (lifecycle)',
    scope: 'global',
    hint: 'phase',
    writes: true,
  },
  {
    id: 'incident.note',
    keys: ['n'],
    description: 'Add a note to the timeline',
    scope: 'global',
    hint: 'note',
    writes: true,
  },
  {
    id: 'incident.role',
    keys: ['r'],
    description: 'Assign a role (IC, scribe, comms …)',
    scope: 'global',
    hint: 'role',
    writes: true,
  },
  {
    id: 'comms.clocks',
    keys: ['c'],
    description: 'Regulatory clocks and the update cadence: due times (UTC), decisions',
    scope: 'global',
  },
  {
    id: 'incident.metrics',
    keys: ['M'],
    description: 'Metrics: time to detect / contain / recover, time in each phase, roles and hand-offs',
    scope: 'global',
  },
  { id: 'runbook.open', keys: ['b'], description: 'Runbook checklist (:runbook ID chooses another)', scope: 'global' },
  {
    id: 'session.arm',
    keys: ['A'],
    description: 'Arm the session for destructive actions (type the account id or cluster name back)',
    scope: 'global',
    hint: 'arm',
    writes: true,
    dangerous: true,
    modes: ['live', 'drill'],
  },
  { id: 'list.down', keys: ['j', 'down'], description: 'Move down', scope: 'list' },
  { id: 'list.up', keys: ['k', 'up'], description: 'Move up', scope: 'list' },
  { id: 'list.pageDown', keys: ['pagedown', 'ctrl-f'], description: 'Page down', scope: 'list' },
  { id: 'list.pageUp', keys: ['pageup', 'ctrl-b'], description: 'Page up', scope: 'list' },
  { id: 'list.top', keys: ['g', 'home'], description: 'Go to the first row', scope: 'list' },
  { id: 'list.bottom', keys: ['G', 'end'], description: 'Go to the last row (and follow new rows)', scope: 'list' },
  { id: 'list.detail', keys: ['enter'], description: 'Open the selected row in detail', scope: 'list', hint: 'detail' },
  { id: 'list.filter', keys: ['/'], description: 'Filter the list (Esc clears)', scope: 'list', hint: 'filter' },
  {
    id: 'events.pin',
    keys: ['m'],
    description: 'Pin the selected event to the timeline',
    scope: 'events',
    hint: 'pin',
    writes: true,
  },
  {
    id: 'timeline.steps',
    keys: ['f'],
    description: 'Timeline: one row per action (its latest step), or every step',
    scope: 'timeline',
    hint: 'steps',
  },
  { id: 'actions.down', keys: ['j', 'down'], description: 'Next action (offered, then done so far)', scope: 'actions' },
  { id: 'actions.up', keys: ['k', 'up'], description: 'Previous action', scope: 'actions' },
  {
    id: 'actions.open',
    keys: ['enter'],
    description: 'Plan the highlighted action, or show a past one',
    scope: 'actions',
    hint: 'plan',
    writes: true,
  },
  // Each offered action's own key (ActionDef.key) plans it directly; `actionKey` matches those.
  {
    id: 'actions.byKey',
    keys: ['ACTION-KEY'],
    description: 'Plan an offered action by its own key (shown as [k] beside it)',
    scope: 'actions',
    writes: true,
  },
  {
    id: 'actions.bundle',
    keys: ['X'],
    description:
      "Cross-plane bundle on the pod: capture it, preserve its AWS role's CloudTrail, quarantine it, deny-all + revoke the role",
    scope: 'actions',
    hint: 'bundle',
    writes: true,
    dangerous: true,
  },
  {
    id: 'actions.reverify',
    keys: ['v'],
    description: 'Read back a past action again (settles one left in doubt by a crash)',
    scope: 'actions',
    hint: 'verify',
    writes: true,
  },
  {
    id: 'actions.complete',
    keys: ['C'],
    description: 'Complete a PARTIAL action: the same plan, only the calls still missing',
    scope: 'actions',
    hint: 'complete',
    writes: true,
    dangerous: true,
  },
  {
    id: 'actions.undo',
    keys: ['u'],
    description: 'Plan the undo of a past action',
    scope: 'actions',
    hint: 'undo',
    writes: true,
    dangerous: true,
  },
  {
    id: 'drill.pause',
    keys: ['space'],
    description: 'Pause or resume the drill clock',
    scope: 'drill',
    hint: 'pause',
    modes: ['drill'],
  },
  {
    id: 'drill.faster',
    keys: ['+'],
    description: 'Speed the drill clock up',
    scope: 'drill',
    hint: 'faster',
    modes: ['drill'],
  },
  { id: 'drill.slower', keys: ['-'], description: 'Slow the drill clock down', scope: 'drill', modes: ['drill'] },
  {
    id: 'drill.skip',
    keys: ['N'],
    description: 'Skip to the next scripted drill item',
    scope: 'drill',
    hint: 'next',
    modes: ['drill'],
  },
  { id: 'runbook.down', keys: ['j', 'down'], description: 'Runbook: next step', scope: 'runbook' },
  { id: 'runbook.up', keys: ['k', 'up'], description: 'Runbook: previous step', scope: 'runbook' },
  {
    id: 'runbook.done',
    keys: ['x'],
    description: 'Runbook: mark the step done (again: reopen it)',
    scope: 'runbook',
    writes: true,
  },
  {
    id: 'runbook.skip',
    keys: ['s'],
    description: 'Runbook: skip the step (again: reopen it)',
    scope: 'runbook',
    writes: true,
  },
  {
    id: 'runbook.action',
    keys: ['enter'],
    description: 'Runbook: open the step’s action for the selected target',
    scope: 'runbook',
  },
  {
    id: 'dialog.choose',
    keys: ['enter'],
    description: 'Choose the highlighted item / submit the text',
    scope: 'dialog',
  },
  {
    id: 'dialog.move',
    keys: ['down', 'up'],
    description: 'Move the highlight in a picker (or type its number)',
    scope: 'dialog',
  },
  { id: 'dialog.complete', keys: ['tab'], description: 'Complete the command in the palette', scope: 'dialog' },
  {
    id: 'dialog.yes',
    keys: ['y'],
    description: 'Yes, in a confirmation (any other key is no); in a plan: confirm it',
    scope: 'dialog',
  },
  {
    id: 'plan.dryRun',
    keys: ['d'],
    description: 'Plan: dry run (server-side where the API has one)',
    scope: 'dialog',
    writes: true,
  },
  {
    id: 'plan.override',
    keys: ['o'],
    description: 'Plan: incident commander overrides the evidence guardrail, with a reason',
    scope: 'dialog',
    writes: true,
    dangerous: true,
  },
  {
    id: 'plan.capture',
    keys: ['CAPTURE-KEY'],
    description: 'Plan: when evidence must come first, plan the capture action (its key is shown)',
    scope: 'dialog',
    writes: true,
  },
  {
    id: 'review.next',
    keys: [']'],
    description: 'Review: step to the next record',
    scope: 'review',
    hint: 'step',
    modes: ['review'],
  },
  {
    id: 'review.prev',
    keys: ['['],
    description: 'Review: step to the previous record',
    scope: 'review',
    modes: ['review'],
  },
  {
    id: 'review.nextMark',
    keys: ['}'],
    description: 'Review: next detection, decision or action',
    scope: 'review',
    modes: ['review'],
  },
  {
    id: 'review.prevMark',
    keys: ['{'],
    description: 'Review: previous detection, decision or action',
    scope: 'review',
    modes: ['review'],
  },
  {
    id: 'review.jump',
    keys: ['t'],
    description: 'Review: jump to a time (UTC)',
    scope: 'review',
    hint: 'time',
    modes: ['review'],
  },
  {
    id: 'review.end',
    keys: ['E'],
    description: 'Review: go to the end of the journal',
    scope: 'review',
    modes: ['review'],
  },
];

/** Placeholder keys of bindings whose real keys come from the action definitions. */
const PLACEHOLDER_KEYS = new Set(['ACTION-KEY', 'CAPTURE-KEY']);

/**
 * The bindings that exist in a session: review drops everything that writes or is dangerous; a
 * `--read-only` live session drops the dangerous ones (k9s: not even registered).
 */
export function bindingsFor(mode: Mode, readOnly = false): Binding[] {
  return BINDINGS.filter(
    (b) =>
      (!b.modes || b.modes.includes(mode)) &&
      !(mode === 'review' && (b.writes || b.dangerous)) &&
      !(readOnly && b.dangerous),
  );
}

/** Is `id` bound (in this session) to the key `name`? For dialogs, which know their own scope. */
export function isKey(name: string, id: string, mode: Mode, readOnly = false): boolean {
  return bindingsFor(mode, readOnly).some((b) => b.id === id && b.keys.includes(name));
}

/**
 * Keys an action's own key may never shadow when the actions pane is focused: leaving the pane,
 * help, quit and the palette must always work.
 */
export function reservedKey(name: string): boolean {
  return BINDINGS.some(
    (b) =>
      (b.id.startsWith('app.') || b.id.startsWith('focus.') || b.scope === 'actions') &&
      b.keys.includes(name) &&
      !PLACEHOLDER_KEYS.has(name),
  );
}

/**
 * Canonical name of one key press from Ink's useInput. Letters keep their case ('G' ≠ 'g');
 * named keys are lower-case words. Ctrl-letter arrives as the letter with key.ctrl set.
 */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageDown) return 'pagedown';
  if (key.pageUp) return 'pageup';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** Finds the binding for a key in the given scopes, first scope first. */
export function lookup(name: string, scopes: readonly Scope[], mode: Mode, readOnly = false): Binding | undefined {
  if (PLACEHOLDER_KEYS.has(name)) return undefined;
  const available = bindingsFor(mode, readOnly);
  for (const scope of scopes) {
    const b = available.find((x) => x.scope === scope && x.keys.includes(name));
    if (b) return b;
  }
  return undefined;
}

const KEY_LABELS: Record<string, string> = {
  down: '↓',
  up: '↑',
  pagedown: 'PgDn',
  pageup: 'PgUp',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  'ACTION-KEY': '(its key)',
  'CAPTURE-KEY': '(its key)',
  tab: 'Tab',
  'shift-tab': 'Shift-Tab',
  space: 'Space',
  'ctrl-f': 'Ctrl-F',
  'ctrl-b': 'Ctrl-B',
  'ctrl-c': 'Ctrl-C',
};

export function keyLabel(name: string): string {
  return KEY_LABELS[name] ?? name;
}

const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  list: 'Lists (timeline, events)',
  events: 'Live events',
  timeline: 'Timeline',
  actions: 'Actions pane',
  drill: 'Drill',
  review: 'Review',
  dialog: 'Dialogs',
  runbook: 'Runbook checklist',
};

export function scopeTitle(s: Scope): string {
  return SCOPE_TITLES[s];
}

/** The README's key table (between the keys markers); a test fails when the README is stale. */
export function keyTableMarkdown(): string {
  const rows = ['| keys | what it does | where | notes |', '|---|---|---|---|'];
  for (const b of BINDINGS) {
    const keys = b.keys.map((k) => `\`${keyLabel(k).replace('|', '\\|')}\``).join(' ');
    const notes = [
      b.writes ? 'recorded in the journal; absent in review' : '',
      b.dangerous ? 'dangerous: confirmed, absent read-only' : '',
      b.modes ? `${b.modes.join('/')} only` : '',
    ]
      .filter(Boolean)
      .join('; ');
    rows.push(`| ${keys} | ${b.description} | ${SCOPE_TITLES[b.scope]} | ${notes} |`);
  }
  return rows.join('\n');
}
