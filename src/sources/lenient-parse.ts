// Parses a record leniently: a field the schema reads but the record got wrong (a number where
// a string belongs, an object for a list) costs that field only, and says so as a warning on the
// event — the record is evidence, and its other fields still tell the story. Only the fields the
// event cannot exist without (its id, time, name) refuse the record.

import type { z } from 'zod';

/** At most this many warnings on one event, each cut to WARNING_MAX characters (paths are attacker-made). */
export const MAX_WARNINGS = 10;
export const WARNING_MAX = 300;

export type LenientResult<T> = { ok: true; data: T; warnings: string[] } | { ok: false; reason: string };

type Segment = PropertyKey;

function pathText(path: readonly Segment[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || 'record'
  );
}

/** A copy of `value` with the member at `path` removed (array members filtered out); shares the rest. */
function without(value: unknown, path: readonly Segment[]): unknown {
  if (path.length === 0 || !value || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const i = Number(head);
    if (rest.length === 0) return value.filter((_, k) => k !== i);
    return value.map((v, k) => (k === i ? without(v, rest) : v));
  }
  const o = { ...(value as Record<PropertyKey, unknown>) };
  if (rest.length === 0) delete o[head as string];
  else o[head as string] = without(o[head as string], rest);
  return o;
}

function memberAt(value: unknown, path: readonly Segment[]): unknown {
  let v = value;
  for (const p of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

/**
 * Parses `value` with `schema`; each issue under a top-level key not in `required` removes the
 * offending member and becomes a warning, and the parse is tried again.
 */
export function parseLeniently<S extends z.ZodType>(
  schema: S,
  value: unknown,
  required: ReadonlySet<string>,
  kind: string,
): LenientResult<z.infer<S>> {
  let current = value;
  const warnings: string[] = [];
  // Each round removes one member, so this ends; the bound keeps a hostile record cheap.
  for (let round = 0; round < 64; round++) {
    const r = schema.safeParse(current);
    if (r.success) return { ok: true, data: r.data, warnings };
    const issues = r.error.issues;
    const fatal = issues.find((i) => i.path.length === 0 || required.has(String(i.path[0])));
    if (fatal) return { ok: false, reason: `not a ${kind}: ${pathText(fatal.path)}: ${fatal.message}` };
    // One member a round: removing an array member shifts the indexes the other issues name.
    const first = issues[0]!;
    // A required member missing inside an optional one: the optional one goes.
    let at = first.path;
    while (at.length > 1 && memberAt(current, at) === undefined) at = at.slice(0, -1);
    current = without(current, at);
    if (warnings.length < MAX_WARNINGS)
      warnings.push(`${pathText(first.path)}: ${first.message} — ignored`.slice(0, WARNING_MAX));
  }
  return { ok: false, reason: `not a ${kind}: too many malformed fields` };
}
