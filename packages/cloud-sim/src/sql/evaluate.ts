// Runs a parsed statement of the subset (parse.ts) over CloudTrail records as JSON objects. Column
// names match case-insensitively (Trino folds unquoted identifiers; Athena's CloudTrail table is
// all lower case, Lake's columns are camelCase), dotted paths reach into structs, and a missing
// field is NULL. Times compare as times when both sides read as one, so Lake's
// '2026-04-20 12:00:00' and Athena's ISO strings bound the same window.

import type { Expr, Literal, Operand, Select } from './parse.js';

type Rec = Record<string, unknown>;

/** The value at a path, matching each key case-insensitively; undefined when absent. */
export function resolvePath(rec: unknown, path: readonly string[]): unknown {
  let cur: unknown = rec;
  for (const part of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    const o = cur as Rec;
    if (Object.hasOwn(o, part)) cur = o[part];
    else {
      const key = Object.keys(o).find((k) => k.toLowerCase() === part.toLowerCase());
      cur = key === undefined ? undefined : o[key];
    }
  }
  return cur;
}

const TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function asTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !TIME.test(v)) return undefined;
  const iso = v.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function value(rec: unknown, o: Operand): unknown {
  return 'lit' in o ? o.lit : resolvePath(rec, o.path);
}

function isNull(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Three-way compare, or undefined when SQL would say NULL (either side null, or no common type). */
function compare(a: unknown, b: unknown): number | undefined {
  if (isNull(a) || isNull(b)) return undefined;
  const ta = asTime(a);
  const tb = asTime(b);
  if (ta !== undefined && tb !== undefined) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b) ? 0 : 1;
  if (typeof a === 'object' || typeof b === 'object') return undefined;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern)
    re += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  return new RegExp(`^${re}$`);
}

function test(rec: unknown, e: Expr): boolean {
  if ('and' in e) return e.and.every((x) => test(rec, x));
  if ('or' in e) return e.or.some((x) => test(rec, x));
  if ('not' in e) return !test(rec, e.not);
  if ('isNull' in e) return isNull(value(rec, e.isNull)) !== e.negate;
  if ('like' in e) {
    const v = value(rec, e.like);
    if (isNull(v) || typeof v === 'object') return false;
    return likeRegex(e.pattern).test(String(v)) !== e.negate;
  }
  if ('in' in e) {
    const v = value(rec, e.in);
    if (isNull(v)) return false;
    return e.values.some((x: Literal) => compare(v, x) === 0) !== e.negate;
  }
  const c = compare(value(rec, e.a), value(rec, e.b));
  if (c === undefined) return false;
  switch (e.cmp) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

export interface Table {
  /** The result columns: the selected ones, or every top-level key (`SELECT *`). */
  columns: string[];
  /** One array of raw values per row, in column order (formatting is the engine's). */
  rows: unknown[][];
}

/** WHERE, ORDER BY, LIMIT and the projection over the records. */
export function evaluate(q: Select, records: readonly unknown[], allColumns: readonly string[]): Table {
  let rows = q.where ? records.filter((r) => test(r, q.where!)) : [...records];
  if (q.orderBy.length) {
    rows = rows.sort((x, y) => {
      for (const o of q.orderBy) {
        const a = resolvePath(x, o.path);
        const b = resolvePath(y, o.path);
        // NULLS LAST, as Trino orders by default.
        const c = isNull(a) ? (isNull(b) ? 0 : 1) : isNull(b) ? -1 : (compare(a, b) ?? 0) * (o.desc ? -1 : 1);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  const items = q.items ?? allColumns.map((c) => ({ path: [c], name: c }));
  return { columns: items.map((i) => i.name), rows: rows.map((r) => items.map((i) => resolvePath(r, i.path))) };
}

/** A struct or map as Trino prints one in a varchar result: `{k=v, k2=v2}`. */
export function trinoText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(trinoText).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v as Rec)
      .map(([k, x]) => `${k}=${x === null || x === undefined ? 'null' : trinoText(x)}`)
      .join(', ')}}`;
  return String(v);
}
