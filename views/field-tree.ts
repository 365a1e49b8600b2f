// The full-record view as a folded field tree: one row per field, `▸`/`▾` on objects and arrays,
// long values cut to the width until opened (then wrapped under their key). Pure: the dialog keeps
// only the record, the paths the responder flipped and the selected row; rows are derived here
// for the width, so a resize re-flows and the key handler counts the same rows the frame shows.
//
// Default folding: the first three levels open (the journal record, its data, the event), anything
// deeper folded — so a CloudTrail event shows its fields with `raw` folded, and `raw` opens onto
// the record as AWS logged it with userIdentity and requestParameters folded.

import { wrapLines } from './format.js';

export interface FieldRow {
  /** The keys from the root (array indexes as strings); [] for the root. */
  keys: string[];
  /** The row's identity in the toggled set: the keys as JSON (a key may itself hold `.` or `[`). */
  path: string;
  text: string;
  /** An object or array (Enter folds and unfolds it), or a leaf too long for one row. */
  foldable: boolean;
}

/** Rows past this many fields of one container are summarised, so a hostile 1M-key object stays cheap. */
export const MAX_CHILDREN = 500;
const OPEN_DEPTH = 3;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** `data.event.raw.resources[0].ARN`: a path as the responder reads it (the copy message). */
export function dottedPath(keys: readonly string[], arrays: readonly boolean[] = []): string {
  return keys.map((k, i) => (arrays[i] ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A leaf as the responder reads it: strings bare (escapes are neutralised when drawn), the rest as JSON. */
function leafText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v) ?? String(v);
}

function summary(v: Record<string, unknown> | unknown[]): string {
  const n = Array.isArray(v) ? v.length : Object.keys(v).length;
  if (Array.isArray(v)) return `[${n} item${n === 1 ? '' : 's'}]`;
  return `{${n} field${n === 1 ? '' : 's'}}`;
}

/** Nesting drawn at most (deeper branches say so; y still copies them whole). */
export const MAX_DEPTH = 32;

/** Whether the row at `path` (at `depth`) is open: its default, flipped if the responder toggled it. */
function isOpen(path: string, depth: number, toggled: ReadonlySet<string>, all: boolean): boolean {
  return (all || depth < OPEN_DEPTH) !== toggled.has(path);
}

/**
 * The visible rows of `value` for a frame `width` columns wide; `all` opens every branch and long
 * value (the `o` key), `toggled` then flips from that.
 */
export function fieldRows(value: unknown, toggled: ReadonlySet<string>, width: number, all = false): FieldRow[] {
  const w = Math.max(20, width);
  const out: FieldRow[] = [];
  const walk = (v: unknown, key: string, keys: string[], depth: number): void => {
    const path = JSON.stringify(keys);
    const indent = '  '.repeat(Math.max(0, depth - 1));
    const label = depth === 0 ? '' : `${key}: `;
    if (isContainer(v)) {
      const open = isOpen(path, depth, toggled, all) && depth <= MAX_DEPTH;
      if (depth > 0)
        out.push({ keys, path, text: `${indent}${open ? '▾' : '▸'} ${key} ${summary(v)}`, foldable: true });
      if (!open) return;
      const array = Array.isArray(v);
      const count = array ? v.length : Object.keys(v).length;
      const names = array
        ? Array.from({ length: Math.min(count, MAX_CHILDREN) }, (_, i) => String(i))
        : Object.keys(v).slice(0, MAX_CHILDREN);
      for (const k of names) {
        walk((v as Record<string, unknown>)[k], array ? `[${k}]` : k, [...keys, k], depth + 1);
      }
      if (count > MAX_CHILDREN) {
        out.push({
          keys,
          path,
          text: `${'  '.repeat(depth)}… ${count - MAX_CHILDREN} more (y copies the whole ${array ? 'array' : 'object'})`,
          foldable: false,
        });
      }
      return;
    }
    const line = `${indent}  ${label}${leafText(v)}`;
    if (line.length <= w) {
      out.push({ keys, path, text: line, foldable: false });
      return;
    }
    // A long leaf (a policy document, a user agent): cut with a marker, wrapped once opened.
    if (all === toggled.has(path)) {
      out.push({ keys, path, text: `${line.slice(0, w - 2)} …`, foldable: true });
      return;
    }
    for (const l of wrapLines([line], w)) out.push({ keys, path, text: l, foldable: true });
  };
  walk(value, '', [], 0);
  return out;
}

/** The value at `keys`, for copying: a leaf as its text, a container as indented JSON. */
export function valueAt(value: unknown, keys: readonly string[]): string | undefined {
  let v: unknown = value;
  for (const k of keys) {
    if (!isContainer(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return isContainer(v) ? JSON.stringify(v, null, 2) : leafText(v);
}

/** The dotted path of `keys` in `value` (array indexes bracketed). */
export function pathLabel(value: unknown, keys: readonly string[]): string {
  const arrays: boolean[] = [];
  let v: unknown = value;
  for (const k of keys) {
    arrays.push(Array.isArray(v));
    v = isContainer(v) ? (v as Record<string, unknown>)[k] : undefined;
  }
  return dottedPath(keys, arrays) || 'the record';
}
