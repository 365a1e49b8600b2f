// Keys inside a dialog: pickers, text fields, scrolling overlays, the palette. A dialog takes
// every key while it is open; Esc closes any of them.

import { PHASES, phaseName } from '../src/domain/phases.js';
import { ROLES, roleName } from '../src/domain/roles.js';
import { SEVERITIES, severityInfo } from '../src/domain/severity.js';
import { helpRows } from './help-rows.js';
import { complete, parseCommand, parseTime, type Intent } from './palette.js';
import type { Dialog, ListPane } from './ui-state.js';
import { performReport } from './report-commands.js';
import { paletteExtra } from './palette-context.js';
import { openMetrics } from './metrics-view.js';
import { openShared, sharedLines } from './shared-view.js';
import { handleCommsDialogKey, performComms } from './comms-keys.js';
import { performApproval } from './approval-keys.js';
import { cancelDryRun, planAction, planDialogKey, stopEvidence } from './action-keys.js';
import { bundleDialogKey } from './bundle-keys.js';
import { metricsLines } from './metrics-view.js';
import { armByName, armDialogKey, disarm } from './arm-keys.js';
import { fieldTreeKey } from './field-tree-keys.js';
import { cancelHunt, huntFromPalette } from './hunt-keys.js';
import {
  editText,
  footerProgress,
  jumpToEvent,
  isList,
  pinSelected,
  run,
  say,
  seqAtTime,
  setUi,
  type KeyContext,
} from './key-effects.js';

function close(ctx: KeyContext): void {
  setUi(ctx, { dialog: undefined });
}

function pick(name: string, input: string, sel: number, n: number): { sel: number; chosen?: number } | undefined {
  if (name === 'down' || name === 'j') return { sel: (sel + 1) % n };
  if (name === 'up' || name === 'k') return { sel: (sel + n - 1) % n };
  if (name === 'enter') return { sel, chosen: sel };
  const d = /^[0-9]$/.exec(input) ? Number(input) : NaN;
  if (!Number.isNaN(d)) return d < n ? { sel: d, chosen: d } : { sel };
  return undefined;
}

/** Rows a full-body dialog shows: its border, title and footer take 4 (DialogView's `inner`). */
function dialogPage(ctx: KeyContext): number {
  return Math.max(1, ctx.layout.body - 4);
}

/** A scrolling overlay's next top row for a key (clamped to [0, max]); -1 closes; undefined ignores. */
function scroll(name: string, top: number, page: number, max: number): number | undefined {
  const next: Record<string, number> = {
    down: top + 1,
    j: top + 1,
    up: top - 1,
    k: top - 1,
    pagedown: top + page,
    space: top + page,
    pageup: top - page,
    g: 0,
    home: 0,
    G: max,
    end: max,
    enter: -1,
    q: -1,
    '?': -1,
  };
  const t = next[name];
  if (t === undefined || t === -1) return t;
  return Math.max(0, Math.min(max, t));
}

export function handleDialogKey(name: string, input: string, d: Dialog, ctx: KeyContext): void {
  const actions = ctx.deps.store.getState().actions;
  // Once a confirmation is on its way the action will run: Esc no longer cancels anything.
  if (name === 'escape' && d.kind === 'plan' && d.busy === 'confirming …') return;
  if (name === 'escape' && d.kind === 'plan' && d.busy && cancelDryRun(ctx, d)) return;
  // A running bundle keeps its screen: it is the only place that says which steps are in place.
  if (name === 'escape' && d.kind === 'bundle' && d.stage === 'running') return;
  if (name === 'escape') return close(ctx);
  switch (d.kind) {
    case 'quit':
      if (input === 'y' || input === 'Y' || name === 'ctrl-c') return ctx.deps.quit();
      return close(ctx);
    case 'detail':
      if (d.tree) {
        if (fieldTreeKey(name, input, { ...d, tree: d.tree }, ctx, dialogPage(ctx))) return;
        if (name === 'q') return close(ctx);
        return;
      }
      if (d.events?.length && (name === 'tab' || name === 'shift-tab')) {
        const n = d.events.length;
        const sel = ((d.eventSel ?? (name === 'tab' ? -1 : 0)) + (name === 'tab' ? 1 : -1) + n) % n;
        // Scroll so the picked event's line is on screen.
        const line = d.lines.findIndex((l) => l.includes(`(${d.events![sel]!})`));
        const page = dialogPage(ctx);
        const top = line < 0 || (line >= d.top && line < d.top + page) ? d.top : Math.max(0, line - page + 1);
        return setUi(ctx, { dialog: { ...d, eventSel: sel, top } });
      }
      if (name === 'enter' && d.events?.length) {
        const sel = d.eventSel ?? 0;
        if (jumpToEvent(ctx, d.events[sel]!))
          return say(ctx, `event ${sel + 1} of ${d.events.length} linked to this entry`);
        return say(ctx, 'the linked event is not in view (review: step forward to it)', 'error');
      }
    // falls through: a detail view scrolls like the help
    case 'help': {
      const page = dialogPage(ctx);
      const total = d.kind === 'help' ? helpRows(ctx.deps.mode, ctx.deps.readOnly).length : d.lines.length;
      const top = scroll(name, d.top, page, Math.max(0, total - page));
      if (top === undefined) return;
      if (top === -1) return close(ctx);
      return setUi(ctx, { dialog: { ...d, top } });
    }
    case 'severity': {
      const r = pick(name, input, d.sel, SEVERITIES.length);
      if (!r) return;
      if (r.chosen === undefined) return setUi(ctx, { dialog: { ...d, sel: r.sel } });
      close(ctx);
      const info = severityInfo(r.chosen as 0 | 1 | 2 | 3);
      return run(ctx, () => actions.setSeverity(info.level), `severity ${info.code} ${info.name}`);
    }
    case 'phase': {
      const r = pick(name, input, d.sel, PHASES.length);
      if (!r) return;
      if (r.chosen === undefined) return setUi(ctx, { dialog: { ...d, sel: r.sel } });
      close(ctx);
      const p = PHASES[r.chosen]!;
      return run(ctx, () => actions.setPhase(p.id), `phase ${p.name}`);
    }
    case 'role': {
      if (d.stage === 'role') {
        const r = pick(name, input, d.sel, ROLES.length);
        if (!r) return;
        return setUi(ctx, {
          dialog: r.chosen === undefined ? { ...d, sel: r.sel } : { ...d, sel: r.chosen, stage: 'person' },
        });
      }
      if (name === 'enter') {
        const role = ROLES[d.sel]!;
        const person = d.text.trim();
        if (!person) return say(ctx, 'type who takes the role, then Enter', 'error');
        close(ctx);
        return run(ctx, () => actions.assignRole(role.id, person), `${roleName(role.id)}: ${person}`);
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'note': {
      if (name === 'enter') {
        if (!d.text.trim()) return close(ctx);
        close(ctx);
        return run(ctx, () => actions.addNote(d.text), 'note added');
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'filter': {
      const ui = ctx.deps.ui.getState();
      if (name === 'enter') return close(ctx);
      const t = editText(d.text, name, input);
      if (t === undefined) return;
      // The filter applies as it is typed; the cursor goes back to following the newest match.
      setUi(ctx, {
        dialog: { ...d, text: t },
        filters: { ...ui.filters, [d.pane]: t },
        cursors: { ...ui.cursors, [d.pane]: { sel: 0, follow: true } },
      });
      return;
    }
    case 'jump': {
      if (name === 'enter') {
        const s = ctx.deps.store.getState().state;
        const base = s.recordTimes.at(0) ?? Date.now();
        const at = parseTime(d.text, base);
        if (at === undefined) return say(ctx, 'type a time as HH:MM, HH:MM:SS or an ISO time (UTC)', 'error');
        close(ctx);
        const seq = seqAtTime(ctx, at);
        return setUi(ctx, { asOf: seq >= s.seq ? undefined : seq });
      }
      const t = editText(d.text, name, input);
      if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
      return;
    }
    case 'clocks':
    case 'runbook':
      return handleCommsDialogKey(name, d, ctx);
    case 'shared': {
      if (name === 'q' || name === 'enter') return setUi(ctx, { dialog: undefined });
      const merged = ctx.deps.shared?.();
      const total = merged ? sharedLines(merged, ctx.layout.cols - 4).length : 0;
      const max = Math.max(0, total - Math.max(1, ctx.layout.body - 4));
      const step: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, pagedown: 10, pageup: -10 };
      if (step[name] !== undefined)
        setUi(ctx, { dialog: { ...d, top: Math.max(0, Math.min(max, Math.min(d.top, max) + step[name])) } });
      return;
    }
    case 'metrics': {
      if (name === 'q' || name === 'enter' || name === 'M') return setUi(ctx, { dialog: undefined });
      const s = ctx.deps.store.getState().state;
      const total = metricsLines(s, new Date(ctx.deps.now()), ctx.layout.cols - 4).length;
      const max = Math.max(0, total - Math.max(1, ctx.layout.body - 4));
      const step: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, pagedown: 10, pageup: -10 };
      if (step[name] !== undefined)
        setUi(ctx, { dialog: { ...d, top: Math.max(0, Math.min(max, d.top + step[name])) } });
      return;
    }
    case 'plan':
      return planDialogKey(name, input, d, ctx);
    case 'bundle':
      return bundleDialogKey(name, input, d, ctx);
    case 'arm':
      return armDialogKey(name, input, d, ctx);
    case 'palette':
      return paletteKey(name, input, d, ctx);
  }
}

const HISTORY_MAX = 200;

/**
 * The palette: Tab completes, ↑/↓ walk this session's history (what was being typed comes back
 * after the newest entry), Enter runs. Every line run goes to the history; a failed one closes
 * the palette with its error on the footer, so the next `:` starts clean and ↑ brings it back.
 */
function paletteKey(name: string, input: string, d: Extract<Dialog, { kind: 'palette' }>, ctx: KeyContext): void {
  const { deps } = ctx;
  const history = deps.ui.getState().paletteHistory;
  if (name === 'tab')
    return setUi(ctx, {
      dialog: { ...d, text: complete(d.text, deps.mode, deps.readOnly, paletteExtra(deps)), hist: undefined },
    });
  if (name === 'up' || name === 'down') {
    if (!history.length) return;
    const at = d.hist ?? history.length;
    const next = name === 'up' ? Math.max(0, at - 1) : at + 1;
    if (next >= history.length) {
      const { hist: _h, draft, ...rest } = d;
      return setUi(ctx, { dialog: { ...rest, text: draft ?? d.text } });
    }
    return setUi(ctx, {
      dialog: { ...d, text: history[next]!, hist: next, draft: d.hist === undefined ? d.text : d.draft },
    });
  }
  if (name === 'enter') {
    const line = d.text.trim();
    if (!line) return close(ctx);
    const kept = history.at(-1) === line ? history : [...history, line].slice(-HISTORY_MAX);
    setUi(ctx, { paletteHistory: kept, dialog: undefined });
    const intent = parseCommand(line, deps.mode, deps.now(), deps.readOnly);
    if ('error' in intent) return say(ctx, `:${line} — ${intent.error} (↑ in the palette brings it back)`, 'error');
    return perform(intent, ctx);
  }
  const t = editText(d.text, name, input);
  if (t !== undefined) setUi(ctx, { dialog: { ...d, text: t } });
}

/**
 * Cockpits with an import running, and how to stop it (`:cancel`): one at a time, so two
 * summaries never interleave.
 */
const importing = new WeakMap<object, AbortController>();

/**
 * `:import`: runs in the background (the cockpit stays live), its progress on the footer; the
 * outcome lands there too.
 */
function importFiles(ctx: KeyContext, paths: string[]): void {
  const { deps } = ctx;
  const doImport = deps.importFiles;
  if (!doImport) return say(ctx, 'import is not available in this session', 'error');
  if (importing.has(deps)) return say(ctx, 'an import is already running — :cancel stops it', 'error');
  const abort = new AbortController();
  importing.set(deps, abort);
  const what = paths.length === 1 ? paths[0]! : `${paths.length} paths`;
  say(ctx, `importing ${what} … (:cancel stops it)`);
  const progress = footerProgress(ctx, () => !abort.signal.aborted && importing.has(deps));
  doImport(paths, {
    signal: abort.signal,
    onProgress: (line) => progress.report(`${line} (:cancel stops it)`),
  })
    .then(
      (r) => say(ctx, r.summary, r.ok ? 'info' : 'error'),
      (e: unknown) => say(ctx, `import failed: ${e instanceof Error ? e.message : String(e)}`, 'error'),
    )
    .finally(() => {
      progress.done();
      importing.delete(deps);
    });
}

/** `:cancel`: stops the running import after its current record, else the hunt, else the evidence action. */
function cancelImport(ctx: KeyContext): void {
  const c = importing.get(ctx.deps);
  if (!c && cancelHunt(ctx)) return;
  if (!c) {
    if (stopEvidence(ctx)) return;
    return say(ctx, 'no import, hunt or evidence action is running', 'error');
  }
  c.abort();
  say(ctx, 'stopping the import after the current record …');
}

function perform(intent: Intent, ctx: KeyContext): void {
  const { deps } = ctx;
  const actions = deps.store.getState().actions;
  const ui = deps.ui.getState();
  switch (intent.kind) {
    case 'severity': {
      const info = severityInfo(intent.level);
      return run(ctx, () => actions.setSeverity(intent.level, intent.reason), `severity ${info.code} ${info.name}`);
    }
    case 'phase':
      return run(ctx, () => actions.setPhase(intent.phase, intent.reason), `phase ${phaseName(intent.phase)}`);
    case 'role':
      return run(
        ctx,
        () => actions.assignRole(intent.role, intent.person),
        `${roleName(intent.role)}: ${intent.person}`,
      );
    case 'note':
      return run(ctx, () => actions.addNote(intent.text), 'note added');
    case 'time': {
      const iso = new Date(intent.at).toISOString();
      return run(
        ctx,
        () => actions.updateIncident({ [intent.field]: iso }),
        `${intent.field.replace('At', '')} at ${iso}`,
      );
    }
    case 'filter': {
      const pane: ListPane = isList(ui.focus) ? ui.focus : 'events';
      return setUi(ctx, { filters: { ...ui.filters, [pane]: intent.text } });
    }
    case 'pin':
      return pinSelected(ctx, intent.comment);
    case 'import':
      return importFiles(ctx, intent.paths);
    case 'cancel':
      return cancelImport(ctx);
    case 'hunt':
      return huntFromPalette(ctx, intent);
    case 'rules': {
      const load = deps.loadRules;
      if (!load) return say(ctx, 'rules can be loaded in a live session only', 'error');
      say(ctx, `loading Sigma rules from ${intent.dir} …`);
      load(intent.dir).then(
        (r) => say(ctx, r.summary, r.ok ? 'info' : 'error'),
        (e: unknown) => say(ctx, `rules not loaded: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
      return;
    }
    case 'speed':
      deps.drill?.setSpeed(intent.x);
      return say(ctx, `drill clock ×${intent.x}`);
    case 'pause':
      deps.drill?.pause();
      return say(ctx, 'drill paused');
    case 'resume':
      deps.drill?.resume();
      return say(ctx, 'drill running');
    case 'goto': {
      const total = deps.store.getState().state.seq;
      return setUi(ctx, { asOf: intent.seq >= total ? undefined : intent.seq });
    }
    case 'goto-time': {
      const seq = seqAtTime(ctx, intent.at);
      return setUi(ctx, { asOf: seq >= deps.store.getState().state.seq ? undefined : seq });
    }
    case 'report':
      return performReport(intent.report, ctx);
    case 'arm':
      return armByName(ctx, intent.name);
    case 'disarm':
      return disarm(ctx, intent.name);
    case 'act': {
      const { kind, id, account, cluster } = intent.target;
      // An evidence target is named by its id; the upload reads the file from the label (its path).
      const ev =
        kind === 'evidence' ? deps.store.getState().state.evidence.find((e) => e.evidenceId === id) : undefined;
      if (kind === 'evidence' && !ev)
        return say(ctx, `no evidence ${id} in this incident (export --evidence lists them)`, 'error');
      return planAction(ctx, intent.actionId, {
        kind,
        id,
        label: ev ? ev.path : `${kind} ${id}`,
        ...(account ? { account } : {}),
        ...(cluster ? { cluster } : {}),
        ...(intent.since ? { since: intent.since } : {}),
      });
    }
    case 'exfil':
      return run(
        ctx,
        () => actions.flagExfiltration(intent.active, intent.reason),
        `exfiltration flagged ${intent.active ? 'ACTIVE' : 'stopped'}`,
      );
    case 'metrics':
      return openMetrics(ctx);
    case 'shared':
      if (!deps.shared)
        return say(ctx, 'not a shared incident: start the cockpit with --share s3://bucket/prefix', 'error');
      return openShared(ctx);
    case 'help':
      return setUi(ctx, { dialog: { kind: 'help', top: 0 } });
    case 'quit':
      return setUi(ctx, { dialog: { kind: 'quit' } });
    case 'comms':
      return performComms(intent, ctx);
    case 'approval':
      return performApproval(intent, ctx);
  }
}
