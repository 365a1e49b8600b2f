// Verifying another writer's published segments before any of them is folded. Each object is
// checked on its own (every line's seal, seq and schema, as the journal scan checks them; the
// line count its key promises; a final newline), then the writer's objects together: one chain
// from the incident's genesis, no gap, no fork. Two objects that hold different records for the
// same seq are a fork — tampering, since an honest writer publishes each seq once — and neither
// is believed from that seq on. What verifies up to the first problem still merges.

import { checkLine } from '../scan.js';
import type { AnyRecord } from '../records.js';
import { parseSegmentKey, type SegmentName } from './segment.js';

export interface SegmentObject {
  key: string;
  body: Buffer;
}

export interface Refusal {
  key: string;
  writerId: string | undefined;
  /** The seq the problem is at (0: the object as a whole). */
  seq: number;
  reason: string;
}

export function describeRefusal(r: Refusal): string {
  return `refused ${r.key}${r.seq ? ` at seq ${r.seq}` : ''}: ${r.reason}`;
}

/** One record of a writer's verified chain, and the object it was read from. */
export interface SharedRecord {
  writerId: string;
  record: AnyRecord;
  hash: string;
  key: string;
}

export interface VerifiedWriter {
  writerId: string;
  /** The writer's records in chain order, seq 1 up to the first problem (if any). */
  records: SharedRecord[];
  /** The hash of the last verified record. */
  head: string | undefined;
}

export interface VerifiedSet {
  writers: VerifiedWriter[];
  refusals: Refusal[];
  /** Objects read and accepted whole. */
  objects: number;
}

interface CheckedObject {
  key: string;
  name: SegmentName;
  records: { record: AnyRecord; hash: string }[];
}

function refuse(key: string, writerId: string | undefined, seq: number, reason: string): Refusal {
  return { key, writerId, seq, reason };
}

/** Checks one object's bytes against its key: every line sealed, in seq order, chained inside. */
export function checkObject(prefix: string, o: SegmentObject): CheckedObject | Refusal {
  const name = parseSegmentKey(prefix, o.key);
  if ('error' in name) return refuse(o.key, undefined, 0, `not a segment key (${name.error})`);
  const want = name.last - name.first + 1;
  if (o.body.length === 0) return refuse(o.key, name.writerId, name.first, 'empty object (truncated)');
  if (o.body[o.body.length - 1] !== 0x0a)
    return refuse(o.key, name.writerId, name.first + countLines(o.body) - 1, 'last line has no newline (truncated)');
  const records: CheckedObject['records'] = [];
  let start = 0;
  let prev: string | undefined;
  for (let seq = name.first; start < o.body.length; seq++) {
    const end = o.body.indexOf(0x0a, start);
    const line = o.body.subarray(start, end);
    start = end + 1;
    if (seq > name.last) return refuse(o.key, name.writerId, seq, `holds more records than its key (${want})`);
    if (seq === name.first && seq > 1) prev = firstPrev(line);
    const c = checkLine(line, seq, prev, true);
    if (!c.ok) return refuse(o.key, name.writerId, seq, c.reason);
    records.push({ record: c.record, hash: c.hash });
    prev = c.hash;
  }
  if (records.length !== want)
    return refuse(
      o.key,
      name.writerId,
      name.first + records.length,
      `holds ${records.length} of the ${want} records its key names (truncated)`,
    );
  const opened = records[0]!.record;
  if (name.first === 1 && opened.type === 'incident.opened' && opened.data.incidentId !== name.incidentId)
    return refuse(o.key, name.writerId, 1, `the chain is incident ${opened.data.incidentId}, not ${name.incidentId}`);
  return { key: o.key, name, records };
}

function countLines(b: Buffer): number {
  let n = 1;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The `prev` a segment's first line claims; linked to the previous segment's seal later. */
function firstPrev(line: Buffer): string | undefined {
  try {
    const p = (JSON.parse(line.toString('utf8')) as { prev?: unknown }).prev;
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** One writer's checked objects as one chain from genesis: stops at the first gap, fork or break. */
export function chainWriter(
  writerId: string,
  objects: readonly CheckedObject[],
): VerifiedWriter & { refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const sorted = [...objects].sort((a, b) => a.name.first - b.name.first || a.name.last - b.name.last);
  const bySeq = new Map<number, { record: AnyRecord; hash: string; key: string }>();
  let forkAt = Infinity;
  for (const o of sorted) {
    o.records.forEach((r, i) => {
      const seq = o.name.first + i;
      const held = bySeq.get(seq);
      if (!held) bySeq.set(seq, { ...r, key: o.key });
      else if (held.hash !== r.hash && seq < forkAt) {
        forkAt = seq;
        refusals.push(
          refuse(
            o.key,
            writerId,
            seq,
            `fork: ${held.key} holds a different record ${seq} (two objects claim the same seq)`,
          ),
        );
      }
    });
  }
  const records: SharedRecord[] = [];
  let head: string | undefined;
  const maxSeq = Math.max(0, ...bySeq.keys());
  for (let seq = 1; seq <= maxSeq && seq < forkAt; seq++) {
    const r = bySeq.get(seq);
    if (!r) {
      const next = sorted.find((o) => o.name.first > seq)!;
      refusals.push(refuse(next.key, writerId, seq, `gap: no published segment holds seq ${seq}`));
      break;
    }
    if (seq > 1 && r.record.prev !== head) {
      refusals.push(refuse(r.key, writerId, seq, "chain broken: prev is not the previous segment's seal"));
      break;
    }
    records.push({ writerId, record: r.record, hash: r.hash, key: r.key });
    head = r.hash;
  }
  // The writer id is a claim of the key: the chain itself must say it (share.writer).
  const named = records.find((r) => r.record.type === 'share.writer');
  const claimed = named?.record.type === 'share.writer' ? named.record.data.writerId : undefined;
  if (records.length && claimed !== writerId) {
    const key = named?.key ?? records[0]!.key;
    refusals.push(
      refuse(
        key,
        writerId,
        named?.record.seq ?? 0,
        claimed ? `the chain's writer is ${claimed}, not ${writerId}` : `no share.writer record names ${writerId}`,
      ),
    );
    return { writerId, records: [], head: undefined, refusals };
  }
  return { writerId, records, head, refusals };
}

/** Every object under an incident's folder: per object, then per writer. */
export function verifySegments(
  prefix: string,
  objects: readonly SegmentObject[],
  incidentId?: string,
  /** Objects listed but not read (fetch.ts): refused, and their writer chains up to the gap. */
  unreadable: readonly Refusal[] = [],
): VerifiedSet {
  const refusals: Refusal[] = [...unreadable];
  const byWriter = new Map<string, CheckedObject[]>();
  let accepted = 0;
  for (const o of objects) {
    const c = checkObject(prefix, o);
    if ('reason' in c) {
      refusals.push(c);
      continue;
    }
    if (incidentId && c.name.incidentId !== incidentId) continue;
    accepted++;
    const list = byWriter.get(c.name.writerId) ?? [];
    list.push(c);
    byWriter.set(c.name.writerId, list);
  }
  // A writer with a refused object still chains what it can: the refused one shows as a gap.
  for (const r of refusals) if (r.writerId && !byWriter.has(r.writerId)) byWriter.set(r.writerId, []);
  const writers: VerifiedWriter[] = [];
  for (const [writerId, list] of [...byWriter].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const w = chainWriter(writerId, list);
    refusals.push(...w.refusals);
    if (w.records.length) writers.push({ writerId, records: w.records, head: w.head });
  }
  return { writers, refusals, objects: accepted };
}
