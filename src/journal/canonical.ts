// Canonical JSON for hashing: no whitespace, object keys sorted by code unit, strings and numbers
// as JSON.stringify writes them (which is what RFC 8785 prescribes for the values we store: we
// never store non-integer floats whose shortest form differs). The record envelope is the one
// exception: its keys keep a fixed, human-friendly order (v, seq, ts, type, actor, data, prev)
// so `head`, `grep` and `jq` show the sequence number first.

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot store non-finite number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i) out += ',';
          // JSON.stringify writes undefined array slots as null; so do we.
          out += value[i] === undefined ? 'null' : canonicalJson(value[i]);
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
        out += JSON.stringify(k) + ':' + canonicalJson(v);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`cannot store a ${typeof value} in the journal`);
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

/** The canonical JSON of a record without its hash: the bytes the hash covers. */
export function canonicalRecord(r: RecordEnvelope): string {
  return (
    `{"v":${canonicalJson(r.v)},"seq":${canonicalJson(r.seq)},"ts":${canonicalJson(r.ts)}` +
    `,"type":${canonicalJson(r.type)},"actor":${canonicalJson(r.actor)}` +
    `,"data":${canonicalJson(r.data)},"prev":${canonicalJson(r.prev)}}`
  );
}
