// The palette's reporting commands: drafts written next to the journal (`:update`, `:postmortem`),
// the post-mortem fields and action items (`:pm`, `:item`, `:item-done`), custody hand-offs
// (`:custody`) and recording an update as sent (`:update-send`). Parsing is pure (palette.ts calls
// it); performing calls the store (store/report-drafts.ts writes the drafts) and reports on the footer.
//
// `:update` writes the draft beside the journal and, when $VISUAL / $EDITOR is set, opens it there
// (app/editor.ts hands the terminal over and takes it back); otherwise it is edited in another
// pane. Either way `:update-send` records the edited file as sent: editing is not sending.

import { AUDIENCES, isAudience, type Audience } from '../src/reports/facts.js';
import type { RecordData } from '../src/journal/records.js';
import { sendNewestUpdate, writePostmortemDraft, writeUpdateDraft } from '../store/report-drafts.js';
import { run, say, type KeyContext } from './key-effects.js';
import type { PaletteCommand } from './palette.js';

type PmField = RecordData<'postmortem.updated'>['field'];
const PM_FIELDS: Record<string, PmField> = {
  summary: 'summary',
  impact: 'impact',
  'root-cause': 'rootCause',
  why: 'why',
  'went-well': 'wentWell',
  'went-badly': 'wentBadly',
  lessons: 'lessons',
};

export const REPORT_PALETTE: readonly PaletteCommand[] = [
  // Drafts only write a file beside the journal, so they work in review too.
  {
    name: 'update',
    args: '<internal|leadership|legal|customers>',
    description: 'write the incident update draft next to the journal',
  },
  {
    name: 'update-send',
    args: '<audience>',
    description: 'record the (edited) newest update draft as sent',
    writes: true,
  },
  { name: 'postmortem', args: '', description: 'write the post-mortem draft next to the journal' },
  {
    name: 'pm',
    args: `<${Object.keys(PM_FIELDS).join('|')}> <text>`,
    description: 'write a post-mortem field (why: the next of the five whys)',
    writes: true,
  },
  { name: 'item', args: '<owner> <YYYY-MM-DD> <text>', description: 'add a post-mortem action item', writes: true },
  { name: 'item-done', args: '<AI-n>', description: 'mark an action item done', writes: true },
  {
    name: 'custody',
    args: '<EV-nnn> <to> [reason]',
    description: 'hand an evidence artifact to someone (chain of custody)',
    writes: true,
  },
];

export const REPORT_ARG_WORDS: Record<string, readonly string[]> = {
  update: AUDIENCES,
  'update-send': AUDIENCES,
  pm: Object.keys(PM_FIELDS),
};

export type ReportIntent =
  | { cmd: 'update' | 'update-send'; audience: Audience }
  | { cmd: 'postmortem' }
  | { cmd: 'pm'; field: PmField; text: string }
  | { cmd: 'item'; owner: string; due: string; text: string }
  | { cmd: 'item-done'; itemId: string }
  | { cmd: 'custody'; evidenceId: string; to: string; reason?: string };

export function isReportCommand(name: string): boolean {
  return REPORT_PALETTE.some((c) => c.name === name);
}

function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

export function parseReportCommand(
  name: string,
  rest: string,
  usage: string,
): { kind: 'report'; report: ReportIntent } | { error: string } {
  const [a = '', b = '', ...more] = rest.split(/\s+/);
  const tail = (n: number) => rest.split(/\s+/).slice(n).join(' ').trim();
  const ok = (report: ReportIntent) => ({ kind: 'report' as const, report });
  switch (name) {
    case 'update':
    case 'update-send':
      return isAudience(a.toLowerCase())
        ? ok({ cmd: name, audience: a.toLowerCase() as Audience })
        : { error: `${usage} (${AUDIENCES.join(', ')})` };
    case 'postmortem':
      return ok({ cmd: 'postmortem' });
    case 'pm': {
      const field = PM_FIELDS[a.toLowerCase()];
      return field && tail(1) ? ok({ cmd: 'pm', field, text: tail(1) }) : { error: usage };
    }
    case 'item':
      if (!a || !isDay(b) || !more.length) return { error: `${usage} — e.g. item bob 2026-05-01 Rotate the CI keys` };
      return ok({ cmd: 'item', owner: a, due: b, text: tail(2) });
    case 'item-done':
      return a ? ok({ cmd: 'item-done', itemId: a.toUpperCase() }) : { error: usage };
    default:
      return a && b
        ? ok({ cmd: 'custody', evidenceId: a.toUpperCase(), to: b, ...(tail(2) ? { reason: tail(2) } : {}) })
        : { error: usage };
  }
}

function journalFile(ctx: KeyContext): string | undefined {
  const f = ctx.deps.store.getState().meta.file;
  if (!f) say(ctx, 'no journal file: drafts are written next to it', 'error');
  return f;
}

/** Reports the written draft, then hands it to $EDITOR when the cockpit has one (app/editor.ts). */
function afterDraft(ctx: KeyContext, written: Promise<string>, then: string, edit?: { next: string }): void {
  written.then(
    async (path) => {
      const open = edit && ctx.deps.editFile;
      if (!open) return say(ctx, `${then}: ${path}`);
      const r = await open(path);
      say(ctx, r.ok ? `${r.message} — ${edit.next}` : r.message, r.ok ? 'info' : 'error');
    },
    (e: unknown) => say(ctx, e instanceof Error ? e.message : String(e), 'error'),
  );
}

export function performReport(r: ReportIntent, ctx: KeyContext): void {
  const actions = ctx.deps.store.getState().actions;
  const state = ctx.deps.store.getState().state;
  switch (r.cmd) {
    case 'update': {
      const file = journalFile(ctx);
      if (!file) return;
      return afterDraft(
        ctx,
        writeUpdateDraft(ctx.deps.store, file, r.audience, ctx.deps.now()),
        `${r.audience} draft written — edit it, then :update-send ${r.audience}`,
        {
          next: `:update-send ${r.audience} records it as sent`,
        },
      );
    }
    case 'update-send': {
      const file = journalFile(ctx);
      if (!file) return;
      const audience = r.audience;
      return run(ctx, () => sendNewestUpdate(ctx.deps.store, file, audience), `${audience} update recorded as sent`);
    }
    case 'postmortem': {
      const file = journalFile(ctx);
      if (!file) return;
      return afterDraft(ctx, writePostmortemDraft(ctx.deps.store, file, ctx.deps.now()), 'post-mortem draft written');
    }
    case 'pm':
      return run(
        ctx,
        () => actions.updatePostmortem({ field: r.field, text: r.text }),
        r.field === 'why'
          ? `why #${state.postmortem.filter((c) => c.value.field === 'why').length + 1}`
          : `post-mortem ${r.field}`,
      );
    case 'item':
      return run(
        ctx,
        () => actions.addActionItem({ text: r.text, owner: r.owner, due: r.due }),
        (itemId) => `${itemId} for ${r.owner}, due ${r.due}`,
      );
    case 'item-done':
      return run(ctx, () => actions.updateActionItem({ itemId: r.itemId, status: 'done' }), `${r.itemId} done`);
    case 'custody': {
      const ev = state.evidence.find((e) => e.evidenceId === r.evidenceId);
      if (!ev)
        return say(
          ctx,
          `no evidence ${r.evidenceId} (${state.evidence.map((e) => e.evidenceId).join(', ') || 'none recorded yet'})`,
          'error',
        );
      const from = state.custody.filter((c) => c.evidenceId === r.evidenceId).at(-1)?.to ?? ev.collector;
      return run(
        ctx,
        () =>
          actions.transferCustody({
            evidenceId: r.evidenceId,
            from,
            to: r.to,
            ...(r.reason ? { reason: r.reason } : {}),
          }),
        `custody of ${r.evidenceId}: ${from} → ${r.to}`,
      );
    }
  }
}
