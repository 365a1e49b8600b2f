// Format v1 (records.ts RECORD_VERSION): canonical JSON for hashing. v1 lines are no longer
// written, only read and checked (scan.ts), and the action runner hashes parameters with it.
// Canonical JSON: no whitespace, object keys sorted by code unit, strings and numbers
// as JSON.stringify writes them (which is what RFC 8785 prescribes for the values we store: we
// never store non-integer floats whose shortest form differs). The record envelope is the one
// exception: its keys keep a fixed, human-friendly order (v, seq, ts, type, actor, data, prev)
// so `head`, `grep` and `jq` show the sequence number first.

const SLOW = Symbol('slow');
/**
 * Deepest nesting a stored value may have. Well below V8's stack limit, so hostile input (a record
 * nested thousands of levels deep) is refused with a reason instead of a RangeError mid-batch.
 */
export const MAX_DEPTH = 256;

/** A value the journal cannot store (too deep, non-finite number, unsupported type). */
export class CanonicalJsonError extends TypeError {
  constructor(reason: string) {
    super(reason);
    this.name = 'CanonicalJsonError';
  }
}

export function tooDeep(): never {
  throw new CanonicalJsonError(`value is nested more than ${MAX_DEPTH} levels deep; the journal refuses it`);
}

export function nonFinite(n: number): never {
  throw new CanonicalJsonError(`cannot store the non-finite number ${n} (JSON has no Infinity or NaN)`);
}
const INTEGER_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * A copy with every object's keys inserted in sorted order, so one native JSON.stringify writes
 * canonical JSON (about twice as fast as walking in JS — this runs on every ingested event).
 * Returns SLOW wherever native output could differ from the walk: integer-like keys (V8 lists
 * them first, numerically), `__proto__`, toJSON, non-finite numbers and types we refuse.
 */
function sortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : SLOW;
    case 'object': {
      if (value === null) return null;
      if (depth > MAX_DEPTH) tooDeep();
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (v === undefined) out[i] = null;
          else {
            const c = sortedCopy(v, depth + 1);
            if (c === SLOW) return SLOW;
            out[i] = c;
          }
        }
        return out;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return SLOW;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        if (k === '__proto__' || INTEGER_LIKE.test(k)) return SLOW;
        const v = obj[k];
        if (v === undefined || typeof v === 'function') continue;
        const c = sortedCopy(v, depth + 1);
        if (c === SLOW) return SLOW;
        out[k] = c;
      }
      return out;
    }
    default:
      return SLOW;
  }
}

export function canonicalJson(value: unknown): string {
  const copy = sortedCopy(value, 1);
  return copy === SLOW ? canonicalJsonSlow(value) : JSON.stringify(copy);
}

/** The reference walk: the definition of the format, and the path for the rare cases above. */
export function canonicalJsonSlow(value: unknown, depth = 1): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) nonFinite(value);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) tooDeep();
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i) out += ',';
          // JSON.stringify writes undefined array slots as null; so do we.
          out += value[i] === undefined ? 'null' : canonicalJsonSlow(value[i], depth + 1);
        }
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined || typeof v === 'function') continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + canonicalJsonSlow(v, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new CanonicalJsonError(`cannot store a ${typeof value} in the journal`);
  }
}

export interface RecordEnvelope {
  v: number;
  seq: number;
  ts: string;
  type: string;
  actor: string;
  data: unknown;
  prev: string;
}

/** The canonical JSON of a v1 record without its hash: the bytes its hash covers. */
export function canonicalRecord(r: RecordEnvelope): string {
  return (
    `{"v":${canonicalJson(r.v)},"seq":${canonicalJson(r.seq)},"ts":${canonicalJson(r.ts)}` +
    `,"type":${canonicalJson(r.type)},"actor":${canonicalJson(r.actor)}` +
    `,"data":${canonicalJson(r.data)},"prev":${canonicalJson(r.prev)}}`
  );
}
