// Format v2 of a record line: the envelope's keys in a fixed order (v, seq, ts, type, actor, data,
// prev, so `head`, `grep` and `jq` show the sequence number first), `data` exactly as one
// JSON.stringify writes it (its keys in the order the record was built), and the seal spliced in
// before the closing brace (chain.ts). The chain hashes the bytes as written, so nothing needs a
// canonical form: the line is serialised once, encoded once, hashed, and read back by hashing the
// bytes on disk. Format v1 (canonical.ts) sorted every key; its lines are still read.

import { CanonicalJsonError, MAX_DEPTH, nonFinite, tooDeep } from './canonical.js';

/** A v2 line without its closing brace and seal: `{"v":2,…,"prev":"<hex>"`. */
export function recordHead(
  seq: number,
  ts: string,
  type: string,
  actor: string,
  dataJson: string,
  prev: string,
): string {
  // type is a record type and prev a hex hash (neither needs escaping); ts and actor are quoted.
  return `{"v":2,"seq":${seq},"ts":${JSON.stringify(ts)},"type":"${type}","actor":${JSON.stringify(actor)},"data":${dataJson},"prev":"${prev}"`;
}

/**
 * Refuses what the journal will not store from outside: nesting deeper than MAX_DEPTH (hostile
 * input gets a reason, not a RangeError mid-batch, and every later reader can walk what it reads),
 * non-finite numbers (JSON.stringify would write null) and values JSON has no form for. One pass,
 * no copy; the recursion stops at MAX_DEPTH, far inside the stack. An object with toJSON (a Date
 * from an SDK) is stored as what its toJSON returns, as JSON.stringify does.
 */
export function assertStorable(value: unknown, depth = 1): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return;
    case 'number':
      if (!Number.isFinite(value)) nonFinite(value);
      return;
    case 'object': {
      if (value === null) return;
      if (depth > MAX_DEPTH) tooDeep();
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) assertStorable(value[i], depth + 1);
        return;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return;
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      for (let i = 0; i < keys.length; i++) {
        const x = o[keys[i]!];
        // JSON.stringify leaves these members out, as v1 did.
        if (typeof x === 'function' || typeof x === 'symbol') continue;
        assertStorable(x, depth + 1);
      }
      return;
    }
    default:
      throw new CanonicalJsonError(`cannot store a ${typeof value} in the journal`);
  }
}
