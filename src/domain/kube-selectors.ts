// Kubernetes label selectors, evaluated the way the API server and the controllers do. Two shapes
// exist and the difference is the quarantine technique's crux: a Service selector is an
// equality-only map (every key must equal), while NetworkPolicy and ReplicaSet selectors are
// LabelSelectors (matchLabels AND matchExpressions). An empty LabelSelector selects every pod;
// a Service without a selector selects none (its endpoints are managed by hand).
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors

export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A Service selector: equality on every key; no selector (or an empty one) selects nothing. */
export function serviceSelects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const keys = Object.keys(selector ?? {});
  if (keys.length === 0) return false;
  return keys.every((k) => labels?.[k] === selector![k]);
}

/** A LabelSelector (NetworkPolicy podSelector, ReplicaSet selector): `{}` selects everything. */
export function selectorMatches(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of sel?.matchExpressions ?? []) {
    const has = Object.hasOwn(l, r.key);
    const vals = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (!has || !vals.includes(l[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(l[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The label keys a LabelSelector looks at (to tell whether removing a label takes a pod out). */
export function selectorKeys(sel: LabelSelector | undefined): string[] {
  return [...new Set([...Object.keys(sel?.matchLabels ?? {}), ...(sel?.matchExpressions ?? []).map((r) => r.key)])];
}

/** `a=1,b=2` for display and for `labelSelector=` queries. */
export function formatLabels(labels: Labels | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Parses an equality-only `labelSelector` query (`a=1,b==2,c!=3`) into a matcher. */
export function parseEqualitySelector(q: string): (labels: Labels | undefined) => boolean {
  const terms = q
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(t);
      if (m) return { key: m[1]!, op: m[2] === '!=' ? 'ne' : 'eq', value: m[3]! };
      return t.startsWith('!') ? { key: t.slice(1), op: 'absent', value: '' } : { key: t, op: 'exists', value: '' };
    });
  return (labels) =>
    terms.every((t) => {
      const v = labels?.[t.key];
      if (t.op === 'eq') return v === t.value;
      if (t.op === 'ne') return v !== t.value;
      if (t.op === 'exists') return v !== undefined;
      return v === undefined;
    });
}

/** A value valid as a label value (≤ 63, alphanumeric at both ends, `-_.` inside). */
export function labelValue(s: string): string {
  const v = s
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v || 'unnamed';
}

export function isValidLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(v));
}

/** A DNS-1123 label for object names (≤ 63, lower-case alphanumerics and `-`). */
export function dnsLabel(s: string, max = 63): string {
  const v = s
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return v || 'x';
}
