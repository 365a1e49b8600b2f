// Sigma search identifiers → predicates over one raw record. A map is AND over its fields, a list
// of maps is OR over them; a field's list of values is OR (AND with `|all`). Plain strings match
// the whole value, case-insensitively, with `*` / `?` wildcards and `\` escapes, as Sigma defines
// them; `null` matches a field that is absent or null. Dotted names walk into the nested record
// (`requestParameters.bucketName`, `objectRef.resource`) and through arrays (any element may match).
// A field that holds an object (SigmaHQ's `requestParameters|contains: 'Suspended'`) matches when
// any value inside it does. `|fieldref` compares with another field of the same record.
// Anything we cannot evaluate as the specification says — an unknown modifier, a keyword search
// with no field, base64 — throws SigmaUnsupported with the construct's name, so the loader can
// report the rule instead of running a weaker version of it.
// https://github.com/SigmaHQ/sigma-specification/blob/main/specification/sigma-rules-specification.md#detection
// https://github.com/SigmaHQ/sigma-specification/blob/main/appendix/sigma-modifiers-appendix.md

export class SigmaUnsupported extends Error {}

export type Predicate = (record: unknown) => boolean;

/** Where a field's values are found in a record (a logsource may add places to look). */
export type FieldResolver = (record: unknown, field: string) => unknown[];

const MAX_VALUES = 10_000;

/**
 * The values at a dotted `field`: at each level the longest run of segments that is an own key
 * wins ("annotations.authorization.k8s.io/decision" finds the key "authorization.k8s.io/decision"),
 * arrays on the way are walked element by element. Own properties only: `__proto__` is data.
 */
export function valuesAt(record: unknown, field: string): unknown[] {
  const out: unknown[] = [];
  const walk = (cur: unknown, segs: readonly string[]): void => {
    if (out.length >= MAX_VALUES) return;
    if (segs.length === 0) {
      if (Array.isArray(cur)) for (const x of cur) out.push(x);
      else out.push(cur);
      return;
    }
    if (Array.isArray(cur)) {
      for (const x of cur) walk(x, segs);
      return;
    }
    if (cur === null || typeof cur !== 'object') return;
    for (let i = segs.length; i >= 1; i--) {
      const key = segs.slice(0, i).join('.');
      if (Object.prototype.hasOwnProperty.call(cur, key)) {
        walk((cur as Record<string, unknown>)[key], segs.slice(i));
        return;
      }
    }
  };
  walk(record, field.split('.'));
  return out;
}

const SUPPORTED = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'cidr',
  'exists',
  'fieldref',
  'cased',
  'gt',
  'gte',
  'lt',
  'lte',
  'i',
  'm',
  's',
]);

/** Sigma's wildcard string → an anchored regular-expression body. `\*`, `\?`, `\\` are literal. */
export function wildcardBody(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && (s[i + 1] === '*' || s[i + 1] === '?' || s[i + 1] === '\\')) {
      out += `\\${s[i + 1]}`;
      i++;
    } else if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** An IPv4 or IPv6 address as a bigint and its width, or undefined. */
function ipBits(ip: string): { n: bigint; bits: 32 | 128 } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((x) => x > 255)) return undefined;
    return { n: parts.reduce((a, x) => (a << 8n) | BigInt(x), 0n), bits: 32 };
  }
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || !ip.includes(':')) return undefined;
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  let h = groups(head);
  let t = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const last = (tail === undefined ? h : t).at(-1);
  if (last?.includes('.')) {
    const v = ipBits(last);
    if (!v || v.bits !== 32) return undefined;
    const two = [(v.n >> 16n).toString(16), (v.n & 0xffffn).toString(16)];
    if (tail === undefined) h = [...h.slice(0, -1), ...two];
    else t = [...t.slice(0, -1), ...two];
  }
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { n: all.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function cidrTest(cidr: string): (v: string) => boolean {
  const [addr = '', len] = cidr.split('/');
  const base = ipBits(addr);
  const prefix = len === undefined ? base?.bits : Number(len);
  if (!base || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > base.bits)
    throw new SigmaUnsupported(`"${cidr}" is not a CIDR range`);
  const shift = BigInt(base.bits - prefix);
  return (v) => {
    const ip = ipBits(v);
    return !!ip && ip.bits === base.bits && ip.n >> shift === base.n >> shift;
  };
}

/** A JavaScript RegExp from a Sigma `|re` value: a leading `(?i)`/`(?s)`/`(?m)` becomes a flag. */
function sigmaRegExp(src: string, mods: ReadonlySet<string>): RegExp {
  let flags = '';
  if (mods.has('i')) flags += 'i';
  if (mods.has('m')) flags += 'm';
  if (mods.has('s')) flags += 's';
  let body = src;
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new SigmaUnsupported(`a regular expression JavaScript cannot compile (${(e as Error).message})`);
  }
}

type ValueTest = (v: unknown) => boolean;

function valueTest(value: unknown, mods: ReadonlySet<string>): ValueTest {
  if (mods.has('cidr')) {
    if (typeof value !== 'string') throw new SigmaUnsupported('|cidr with a value that is not a string');
    const t = cidrTest(value);
    return (v) => typeof v === 'string' && t(v);
  }
  if (mods.has('re')) {
    if (typeof value !== 'string') throw new SigmaUnsupported('|re with a value that is not a string');
    const re = sigmaRegExp(value, mods);
    return (v) => {
      const s = scalarText(v);
      return s !== undefined && re.test(s);
    };
  }
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (!mods.has(op)) continue;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new SigmaUnsupported(`|${op} with a value that is not a number`);
    return (v) => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(x)) return false;
      return op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : x <= n;
    };
  }
  if (typeof value === 'boolean') {
    return (v) => v === value || (typeof v === 'string' && v.toLowerCase() === String(value));
  }
  const text = scalarText(value);
  if (text === undefined)
    throw new SigmaUnsupported(`a value of type ${Array.isArray(value) ? 'list in a list' : typeof value}`);
  // A lone "*" (SigmaHQ's stand-in for "exists" before |exists): any present, non-null value.
  if (text === '*' && !mods.has('contains') && !mods.has('startswith') && !mods.has('endswith'))
    return (v) => v !== null && v !== undefined;
  let body = typeof value === 'number' ? String(value).replace(/[.+]/g, '\\$&') : wildcardBody(text);
  if (mods.has('contains')) body = `.*${body}.*`;
  else if (mods.has('startswith')) body = `${body}.*`;
  else if (mods.has('endswith')) body = `.*${body}`;
  const re = new RegExp(`^${body}$`, mods.has('cased') ? 's' : 'is');
  return (v) => {
    const s = scalarText(v);
    return s !== undefined && re.test(s);
  };
}

const MAX_LEAVES = 1000;

/** Every scalar inside an object or array, depth-first, bounded. */
function leaves(x: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (y: unknown, depth: number): void => {
    if (out.length >= MAX_LEAVES || depth > 16) return;
    if (y !== null && typeof y === 'object') {
      for (const v of Array.isArray(y) ? y : Object.values(y)) walk(v, depth + 1);
    } else if (y !== null && y !== undefined) out.push(y);
  };
  walk(x, 0);
  return out;
}

/** The value itself, or — when it is an object — any value inside it. */
function deep(t: ValueTest): ValueTest {
  return (v) => t(v) || (v !== null && typeof v === 'object' && leaves(v).some(t));
}

const FIELDREF_MODS = new Set(['fieldref', 'contains', 'startswith', 'endswith', 'cased', 'all']);

/**
 * `field|fieldref: other` — the field's value equals (or, with contains/startswith/endswith,
 * holds) the value of field `other` in the same record; case-insensitive unless `|cased`.
 * https://github.com/SigmaHQ/sigma-specification/blob/main/appendix/sigma-modifiers-appendix.md
 */
function fieldrefPredicate(
  field: string,
  values: unknown[],
  mods: ReadonlySet<string>,
  resolve: FieldResolver,
): Predicate {
  for (const m of mods) if (!FIELDREF_MODS.has(m)) throw new SigmaUnsupported(`|fieldref with |${m}`);
  if (!values.every((v): v is string => typeof v === 'string' && v !== ''))
    throw new SigmaUnsupported('|fieldref with a value that is not a field name');
  const fold = (s: string) => (mods.has('cased') ? s : s.toLowerCase());
  const cmp = mods.has('contains')
    ? (a: string, b: string) => a.includes(b)
    : mods.has('startswith')
      ? (a: string, b: string) => a.startsWith(b)
      : mods.has('endswith')
        ? (a: string, b: string) => a.endsWith(b)
        : (a: string, b: string) => a === b;
  const texts = (r: unknown, f: string) =>
    resolve(r, f)
      .map(scalarText)
      .filter((s): s is string => s !== undefined)
      .map(fold);
  const one = (r: unknown, ref: string): boolean => {
    const mine = texts(r, field);
    const theirs = texts(r, ref);
    return mine.some((a) => theirs.some((b) => cmp(a, b)));
  };
  return mods.has('all') ? (r) => values.every((v) => one(r, v)) : (r) => values.some((v) => one(r, v));
}

/** One `field|mod|mod: value(s)` entry → a predicate. */
export function fieldPredicate(spec: string, raw: unknown, resolve: FieldResolver = valuesAt): Predicate {
  const [field = '', ...modList] = spec.split('|');
  if (field === '') throw new SigmaUnsupported(`a keyword search with no field ("${spec}")`);
  const mods = new Set(modList);
  for (const m of modList) if (!SUPPORTED.has(m)) throw new SigmaUnsupported(`the |${m} modifier`);
  if ((mods.has('i') || mods.has('m') || mods.has('s')) && !mods.has('re'))
    throw new SigmaUnsupported(`|${[...mods].find((m) => m.length === 1)} without |re`);
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) throw new SigmaUnsupported(`an empty value list for "${field}"`);

  if (mods.has('fieldref')) return fieldrefPredicate(field, values, mods, resolve);
  if (mods.has('exists')) {
    if (mods.size !== 1 || values.length !== 1 || typeof values[0] !== 'boolean')
      throw new SigmaUnsupported('|exists with anything but one true/false');
    const want = values[0];
    return (r) => resolve(r, field).some((v) => v !== null && v !== undefined) === want;
  }
  const tests: (ValueTest | 'null')[] = values.map((v) => (v === null ? 'null' : deep(valueTest(v, mods))));
  const one = (r: unknown, t: ValueTest | 'null'): boolean => {
    const found = resolve(r, field);
    if (t === 'null') return found.length === 0 || found.some((v) => v === null);
    return found.some(t);
  };
  return mods.has('all') ? (r) => tests.every((t) => one(r, t)) : (r) => tests.some((t) => one(r, t));
}

function isMap(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A search identifier's value (a map, or a list of maps) → a predicate. */
export function searchPredicate(def: unknown, resolve: FieldResolver = valuesAt): Predicate {
  if (isMap(def)) {
    const parts = Object.entries(def).map(([k, v]) => fieldPredicate(k, v, resolve));
    if (!parts.length) throw new SigmaUnsupported('an empty selection');
    return (r) => parts.every((p) => p(r));
  }
  if (Array.isArray(def)) {
    if (def.length && def.every(isMap)) {
      const alts = def.map((m) => searchPredicate(m, resolve));
      return (r) => alts.some((p) => p(r));
    }
    throw new SigmaUnsupported('a keyword search (a list of values with no field)');
  }
  throw new SigmaUnsupported('a keyword search (a value with no field)');
}
