// A Sigma rule file (YAML) → the rule model: the metadata a responder reads (title, id, level,
// tags, references, author) and the detection compiled to one predicate. Only the logsources whose
// records firebreak holds are runnable: AWS CloudTrail (product aws, service cloudtrail) and
// Kubernetes audit (product kubernetes, service audit). Everything else — another logsource, a
// rule collection, a construct the engine does not evaluate — comes back as a problem naming the
// construct, so the loader reports it and never runs a weaker rule.
// https://github.com/SigmaHQ/sigma-specification/blob/main/specification/sigma-rules-specification.md

import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { ConditionError, evaluate, parseCondition, type ConditionNode } from './condition.js';
import { fieldWarnings } from './fields.js';
import { searchPredicate, SigmaUnsupported, valuesAt, type FieldResolver, type Predicate } from './match.js';

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

/** The event sources a Sigma rule can run on, by logsource. */
export type SigmaTarget = 'cloudtrail' | 'k8s-audit';

const text = z.string().min(1);
const stringList = z.array(z.string());

/** The fields the engine reads; the rest (falsepositives, fields, related, …) pass through. */
export const sigmaRuleSchema = z.looseObject({
  title: text,
  id: text.optional(),
  status: z.string().optional(),
  description: z.string().optional(),
  references: stringList.optional(),
  author: z.string().optional(),
  tags: stringList.optional(),
  level: z.enum(SIGMA_LEVELS).optional(),
  logsource: z.looseObject({
    category: z.string().optional(),
    product: z.string().optional(),
    service: z.string().optional(),
  }),
  detection: z.record(z.string(), z.unknown()),
});

export interface SigmaRule {
  title: string;
  /** The rule's UUID (SigmaHQ ids are UUIDs); the file name when the rule has none. */
  id: string;
  level?: SigmaLevel;
  status?: string;
  description?: string;
  tags: string[];
  references: string[];
  author?: string;
  target: SigmaTarget;
  condition: ConditionNode;
  /** True when the rule's detection matches this raw record. */
  matches: Predicate;
  /** Parts of the rule that can never match the records of its logsource (fields.ts). */
  warnings: string[];
}

export type ParseResult =
  | { ok: true; rule: SigmaRule }
  /** `other-logsource`: a valid Sigma rule for records firebreak does not hold. */
  | { ok: false; kind: 'unsupported' | 'invalid' | 'other-logsource'; construct: string };

export function targetOf(ls: { product?: string | undefined; service?: string | undefined }): SigmaTarget | undefined {
  const product = ls.product?.toLowerCase();
  const service = ls.service?.toLowerCase();
  if (product === 'aws' && service === 'cloudtrail') return 'cloudtrail';
  if (product === 'kubernetes' && service === 'audit') return 'k8s-audit';
  return undefined;
}

/** The keys of an audit event's objectRef: a bare `apiGroup` in a rule means the request's. */
export const OBJECT_REF_FIELDS: ReadonlySet<string> = new Set([
  'resource',
  'subresource',
  'namespace',
  'name',
  'uid',
  'apiGroup',
  'apiVersion',
  'resourceVersion',
]);

/**
 * Kubernetes audit rules in SigmaHQ name some fields bare (`hostPath`, `capabilities`) where the
 * audit record nests them in the request body (requestObject.spec.volumes[].hostPath). A bare name
 * that is not a top-level key is read from objectRef when it names an objectRef key (SigmaHQ's
 * `apiGroup: apps`, the group the request addressed), else looked for anywhere inside
 * requestObject, so those rules match the records the API server writes rather than a flattened
 * form no cluster produces.
 * https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-ObjectReference
 */
export const auditResolver: FieldResolver = (record, field) => {
  const direct = valuesAt(record, field);
  if (direct.length || field.includes('.')) return direct;
  if (OBJECT_REF_FIELDS.has(field)) return valuesAt(record, `objectRef.${field}`);
  const body = valuesAt(record, 'requestObject')[0];
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown, depth: number): void => {
    if (x === null || typeof x !== 'object' || depth > 12 || seen.has(x) || out.length > 1000) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) walk(y, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(x)) {
      if (k === field) out.push(v);
      walk(v, depth + 1);
    }
  };
  walk(body, 0);
  return out;
};

/** Every field entry of the rule checked against its logsource's record shape, deduplicated. */
function ruleWarnings(target: SigmaTarget, searches: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [name, def] of Object.entries(searches)) {
    const maps = Array.isArray(def) ? def : [def];
    for (const m of maps) {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) continue;
      for (const [spec, v] of Object.entries(m as Record<string, unknown>))
        for (const w of fieldWarnings(target, name, spec, v, target === 'k8s-audit')) out.add(w);
    }
  }
  return [...out];
}

function describeZod(e: z.ZodError): string {
  const i = e.issues[0]!;
  return `${i.path.length ? i.path.join('.') : 'rule'}: ${i.message}`;
}

/** Parses one rule file's text. `fallbackId` names the rule when it has no `id`. */
export function parseSigmaRule(source: string, fallbackId: string): ParseResult {
  let docs;
  try {
    docs = parseAllDocuments(source, { prettyErrors: false });
  } catch (e) {
    return { ok: false, kind: 'invalid', construct: `YAML: ${(e as Error).message}` };
  }
  if (!Array.isArray(docs)) docs = [docs];
  const real = docs.filter((d) => d.contents !== null);
  if (real.length === 0) return { ok: false, kind: 'invalid', construct: 'an empty file' };
  if (real.length > 1)
    return { ok: false, kind: 'unsupported', construct: 'a rule collection (several YAML documents)' };
  const doc = real[0]!;
  if (doc.errors.length)
    return { ok: false, kind: 'invalid', construct: `YAML: ${doc.errors[0]!.message.split('\n')[0]}` };
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data && typeof data === 'object' && 'correlation' in data)
    return { ok: false, kind: 'unsupported', construct: 'a correlation rule' };
  const parsed = sigmaRuleSchema.safeParse(data);
  if (!parsed.success) return { ok: false, kind: 'invalid', construct: describeZod(parsed.error) };
  const r = parsed.data;
  const target = targetOf(r.logsource);
  if (!target) {
    const ls = ['category', 'product', 'service']
      .map((k) => (r.logsource[k] !== undefined ? `${k} ${String(r.logsource[k])}` : ''))
      .filter(Boolean)
      .join(', ');
    return { ok: false, kind: 'other-logsource', construct: `logsource ${ls || '(empty)'}` };
  }
  const { condition, timeframe, ...searches } = r.detection;
  if (timeframe !== undefined) return { ok: false, kind: 'unsupported', construct: 'timeframe (a time-windowed rule)' };
  const conditions = typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition : undefined;
  if (!conditions?.length || !conditions.every((c): c is string => typeof c === 'string'))
    return { ok: false, kind: 'invalid', construct: 'detection.condition: a string (or list of strings) is required' };
  const resolve = target === 'k8s-audit' ? auditResolver : valuesAt;
  const names = Object.keys(searches);
  let ast: ConditionNode;
  const preds = new Map<string, Predicate>();
  try {
    const parts = conditions.map((c) => parseCondition(c, names));
    ast = parts.length === 1 ? parts[0]! : { kind: 'or', args: parts };
    for (const n of names) {
      try {
        preds.set(n, searchPredicate(searches[n], resolve));
      } catch (e) {
        if (e instanceof SigmaUnsupported) throw new SigmaUnsupported(`${e.message} in "${n}"`);
        throw e;
      }
    }
  } catch (e) {
    if (e instanceof ConditionError) return { ok: false, kind: 'unsupported', construct: `condition: ${e.message}` };
    if (e instanceof SigmaUnsupported) return { ok: false, kind: 'unsupported', construct: e.message };
    throw e;
  }
  const matches: Predicate = (record) => {
    const memo = new Map<string, boolean>();
    return evaluate(ast, (n) => {
      let v = memo.get(n);
      if (v === undefined) memo.set(n, (v = preds.get(n)!(record)));
      return v;
    });
  };
  return {
    ok: true,
    rule: {
      title: r.title,
      id: r.id ?? fallbackId,
      ...(r.level ? { level: r.level } : {}),
      ...(r.status ? { status: r.status } : {}),
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags ?? [],
      references: r.references ?? [],
      ...(r.author ? { author: r.author } : {}),
      target,
      condition: ast,
      matches,
      warnings: ruleWarnings(target, searches),
    },
  };
}
