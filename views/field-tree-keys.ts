// Keys of the full-record view (a folded field tree, views/field-tree.ts): move, fold, copy.
// The rows are derived for the same width the frame draws with, so the selection the responder
// sees is the row a key acts on.

import { fieldRows, pathLabel, valueAt } from './field-tree.js';
import { say, setUi, type KeyContext } from './key-effects.js';
import type { Dialog, FieldTree } from './ui-state.js';

type Detail = Extract<Dialog, { kind: 'detail' }>;

/** Text width inside the detail frame (border and padding take 4 columns, the `>` marker 1). */
export function treeWidth(cols: number): number {
  return cols - 5;
}

/**
 * OSC 52 payloads past this are refused by common terminals (xterm's default limit is about
 * 100 kB of base64: https://invisible-island.net/xterm/manpage/xterm.html#VT100-Widget-Resources:maxStringParse),
 * so a bigger value is refused here with a message rather than silently dropped there.
 */
export const MAX_COPY_BYTES = 74_000;

/** Handles a key in a tree detail: true if it was the tree's key. */
export function fieldTreeKey(
  name: string,
  input: string,
  d: Detail & { tree: FieldTree },
  ctx: KeyContext,
  page: number,
): boolean {
  const t = d.tree;
  const toggled = new Set(t.toggled);
  const rows = fieldRows(t.value, toggled, treeWidth(ctx.layout.cols), t.all);
  const last = Math.max(0, rows.length - 1);
  const moves: Record<string, number> = {
    down: t.sel + 1,
    j: t.sel + 1,
    up: t.sel - 1,
    k: t.sel - 1,
    pagedown: t.sel + page,
    pageup: t.sel - page,
    g: 0,
    home: 0,
    G: last,
    end: last,
  };
  const to = moves[name] ?? (input === 'G' ? last : undefined);
  if (to !== undefined) {
    setTree(ctx, d, { ...t, sel: clamp(to, last) }, page);
    return true;
  }
  const row = rows[Math.min(t.sel, last)];
  if (!row) return false;
  if (input === 'o') {
    // Open (or fold back) everything, keeping the selection on the same field.
    const all = !t.all;
    const after = fieldRows(t.value, new Set(), treeWidth(ctx.layout.cols), all);
    const sel = Math.max(
      0,
      after.findIndex((r) => r.path === row.path),
    );
    setTree(ctx, { ...d, top: Math.min(d.top, sel) }, { ...t, all, toggled: [], sel }, page);
    return true;
  }
  if (name === 'enter' || name === 'space' || input === ' ') {
    if (!row.foldable) return true;
    if (toggled.has(row.path)) toggled.delete(row.path);
    else toggled.add(row.path);
    // Keep the selection on the row that was toggled (its first line, when a long value wraps).
    const after = fieldRows(t.value, toggled, treeWidth(ctx.layout.cols), t.all);
    const sel = Math.max(
      0,
      after.findIndex((r) => r.path === row.path),
    );
    // Opening scrolls what it revealed into view (as far as the opened row stays on screen).
    const added = after.length - rows.length;
    const top = added > 0 ? Math.max(d.top, Math.min(sel, sel + added - page + 1)) : d.top;
    setTree(ctx, { ...d, top }, { ...t, toggled: [...toggled], sel }, page);
    return true;
  }
  if (input === 'y') {
    const copy = ctx.deps.copy;
    const what = pathLabel(t.value, row.keys);
    if (!copy) {
      say(ctx, 'copy needs a terminal (OSC 52)', 'error');
      return true;
    }
    const text = valueAt(t.value, row.keys) ?? '';
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_COPY_BYTES) {
      say(ctx, `${what} is ${bytes} bytes — too long for the terminal clipboard (limit ${MAX_COPY_BYTES})`, 'error');
      return true;
    }
    copy(text);
    say(ctx, `copied ${what} (${bytes} bytes) to the clipboard (OSC 52)`);
    return true;
  }
  return false;
}

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(max, n));
}

/** New tree state, with the frame scrolled so the selected row shows. */
function setTree(ctx: KeyContext, d: Detail, tree: FieldTree, page: number): void {
  const top = tree.sel < d.top ? tree.sel : tree.sel >= d.top + page ? tree.sel - page + 1 : d.top;
  setUi(ctx, { dialog: { ...d, tree, top } });
}
