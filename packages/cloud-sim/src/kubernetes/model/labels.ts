// Label selectors as the API server and its controllers evaluate them, written from the
// Kubernetes documentation (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors)
// and not shared with the product: the sim is the oracle the product's own selector logic is
// checked against, so a bug in one cannot pass the other's read-back.
//
// Three shapes meet a responder:
// - a Service's `spec.selector`: an equality-only map; every key must be present and equal, and a
//   Service without one (or with `{}`) selects no pods — its endpoints are managed by hand;
// - a LabelSelector (`matchLabels` AND `matchExpressions`, on NetworkPolicies, ReplicaSets): `{}`
//   selects everything;
// - the `labelSelector=` query of a list call: `=`/`==`, `!=`, `in (…)`, `notin (…)`, `key`
//   (exists) and `!key` (does not exist), comma-separated and ANDed. `!=` and `notin` also match
//   objects that lack the key.

export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One parsed term of a `labelSelector` query. */
export interface Requirement {
  key: string;
  op: 'eq' | 'ne' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** A selector the API server refuses (it answers 400 BadRequest). */
export class SelectorSyntaxError extends Error {}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** A label value: empty, or ≤ 63 characters, alphanumeric at both ends, `-_.` inside. */
export function isValidLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && NAME.test(v));
}

/** A label key: an optional DNS-subdomain prefix (≤ 253) and `/`, then a name (≤ 63). */
export function isValidLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const prefix = slash < 0 ? undefined : k.slice(0, slash);
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && NAME.test(name);
}

/** A Service selector: equality on every key; none (or `{}`) selects nothing. */
export function serviceSelects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const keys = Object.keys(selector ?? {});
  if (keys.length === 0) return false;
  const l = labels ?? {};
  return keys.every((k) => Object.hasOwn(l, k) && l[k] === selector![k]);
}

/** A LabelSelector: `{}` (or none) selects everything; an unknown operator selects nothing. */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (!Object.hasOwn(l, k) || l[k] !== v) return false;
  const ops: Record<string, Requirement['op']> = {
    In: 'in',
    NotIn: 'notin',
    Exists: 'exists',
    DoesNotExist: '!exists',
  };
  return (sel?.matchExpressions ?? []).every((r) => {
    const op = ops[r.operator];
    return op !== undefined && requirementMatches({ key: r.key, op, values: r.values ?? [] }, l);
  });
}

export function requirementMatches(r: Requirement, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  const has = Object.hasOwn(l, r.key);
  const v = has ? l[r.key]! : undefined;
  switch (r.op) {
    case 'eq':
    case 'in':
      return has && r.values.includes(v!);
    case 'ne':
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!exists':
      return !has;
  }
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' };

function tokens(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = q.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      out.push({ kind: 'op', text: two });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < q.length && !/[\s=!(),]/.test(q[j]!)) j++;
      out.push({ kind: 'id', text: q.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Parses a `labelSelector` query; `''` selects everything. Throws SelectorSyntaxError. */
export function parseSelector(q: string): Requirement[] {
  const ts = tokens(q);
  const out: Requirement[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SelectorSyntaxError(`unable to parse requirement: ${why}`);
  };
  const peek = (): Token | undefined => ts[i];
  const key = (k: string): string => (isValidLabelKey(k) ? k : fail(`invalid label key "${k}"`));
  const value = (v: string): string => (isValidLabelValue(v) ? v : fail(`invalid label value: "${v}"`));
  if (ts.length === 0) return out;
  for (;;) {
    const t = ts[i++];
    if (!t) fail("found '', expected: identifier");
    if (t!.kind === 'op' && t!.text === '!') {
      const k = ts[i++];
      if (!k || k.kind !== 'id') fail(`found '${k?.text ?? ''}', expected: identifier after '!'`);
      out.push({ key: key(k!.text), op: '!exists', values: [] });
    } else if (t!.kind === 'id') {
      const k = key(t!.text);
      const o = peek();
      if (!o || (o.kind === 'op' && o.text === ',')) out.push({ key: k, op: 'exists', values: [] });
      else if (o.kind === 'op' && (o.text === '=' || o.text === '==' || o.text === '!=')) {
        i++;
        const v = peek();
        // `a=` is the empty value; `a=,b` too.
        if (!v || (v.kind === 'op' && v.text === ','))
          out.push({ key: k, op: o.text === '!=' ? 'ne' : 'eq', values: [''] });
        else if (v.kind === 'id') {
          i++;
          out.push({ key: k, op: o.text === '!=' ? 'ne' : 'eq', values: [value(v.text)] });
        } else fail(`found '${v.text}', expected: identifier`);
      } else if (o.kind === 'id' && (o.text === 'in' || o.text === 'notin')) {
        i++;
        if (ts[i]?.text !== '(') fail(`found '${ts[i]?.text ?? ''}', expected: '('`);
        i++;
        const values: string[] = [];
        for (;;) {
          const v = ts[i];
          if (v?.kind === 'id') {
            values.push(value(v.text));
            i++;
          } else if (v?.text === ',' || v?.text === ')') values.push('');
          else fail(`found '${v?.text ?? ''}', expected: ',', ')' or identifier`);
          const sep = ts[i++];
          if (sep?.text === ')') break;
          if (sep?.text !== ',') fail(`found '${sep?.text ?? ''}', expected: ',' or ')'`);
        }
        // `x in ()` names no value: the API server refuses an empty set.
        if (values.length === 1 && values[0] === '' && ts[i - 2]?.text === '(')
          fail(`for 'in', 'notin' operators, values set can't be empty`);
        out.push({ key: k, op: o.text === 'in' ? 'in' : 'notin', values });
      } else fail(`found '${o.text}', expected: '=', '!=', '==', 'in', notin'`);
    } else fail(`found '${t!.text}', expected: !, identifier`);
    const sep = ts[i++];
    if (!sep) return out;
    if (sep.text !== ',') fail(`found '${sep.text}', expected: ','`);
  }
}

/** A `labelSelector` query as a matcher (requirements ANDed). Throws SelectorSyntaxError. */
export function selectorMatcher(q: string): (labels: Labels | undefined) => boolean {
  const rs = parseSelector(q);
  return (labels) => rs.every((r) => requirementMatches(r, labels));
}
