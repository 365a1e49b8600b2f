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
 * non-finite numbers (JSON.stringify would write null) and values JSON has no form for. One
 * iterative pass, no copy. An object with toJSON (a Date from an SDK) is stored as what its toJSON
 * returns, as JSON.stringify does.
 */
export function assertStorable(value: unknown): void {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        continue;
      case 'number':
        if (!Number.isFinite(v)) nonFinite(v);
        continue;
      case 'object': {
        if (v === null) continue;
        if (depth > MAX_DEPTH) tooDeep();
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            values.push(v[i]);
            depths.push(depth + 1);
          }
          continue;
        }
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') continue;
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          const x = o[k];
          // JSON.stringify leaves these members out, as v1 did.
          if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
          values.push(x);
          depths.push(depth + 1);
        }
        continue;
      }
      default:
        throw new CanonicalJsonError(`cannot store a ${typeof v} in the journal`);
    }
  }
}
