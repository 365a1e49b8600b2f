// Reads a journal front to back, checking every line: seal (hash over the exact bytes), sequence,
// chain link, envelope and data schema, in either line format (records.ts RECORD_VERSIONS).
// Streams fixed-size chunks so a 1M-record journal is never held in memory; each good record is
// handed to `onRecord` as soon as it is checked.
//
// What counts as a torn tail: only the last line without its newline (a write cut short — the
// writer appends each line with its newline in one write, so an acknowledged record always ends
// in one). A complete line (ending in a newline) that fails any check is corruption or tampering,
// wherever it is: a hard error naming its seq and line, never cut automatically.

import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { parseIsoTime } from '../domain/iso-time.js';
import { canonicalRecord, MAX_DEPTH } from './canonical.js';
import { checkpointMismatch } from './checkpoint.js';
import { checkSeal, genesisHash, HASH_SUFFIX_LENGTH } from './chain.js';
import { isRecordType, RECORD_VERSIONS, validateData, type AnyRecord } from './records.js';

export interface ScannedRecord {
  record: AnyRecord;
  /** Byte offset of the line in the file, and its length without the newline. */
  offset: number;
  length: number;
}

export interface TornTail {
  /** Line number (1-based) and the seq the line should have had. */
  line: number;
  seq: number;
  offset: number;
  bytes: number;
  reason: string;
}

export interface ScanFailure {
  line: number;
  seq: number;
  reason: string;
}

export interface ScanResult {
  records: number;
  /** Hash of the last good record (the `prev` of the next append). */
  head: string;
  incidentId: string | undefined;
  /** Bytes up to and including the newline of the last good record. */
  goodBytes: number;
  torn: TornTail | undefined;
  /** A bad record before the tail; when set, the journal must not be used. */
  failure: ScanFailure | undefined;
  /** Good records by line format (`v`): a journal begun before v2 holds v1 lines, then v2 ones. */
  byVersion: Record<number, number>;
}

export interface ScanOptions {
  /**
   * Also check each line's form (firebreak verify): a v1 line must be exactly the canonical
   * serialisation of what it parses to; a v2 line must have its envelope keys in order and be
   * valid UTF-8 (its bytes are what was sealed: nothing to re-serialise).
   */
  strict?: boolean;
  chunkBytes?: number;
}

const NEWLINE = 0x0a;

/** The envelope's keys in the order both formats write them, then the seal's. */
const ENVELOPE_KEYS = ['v', 'seq', 'ts', 'type', 'actor', 'data', 'prev', 'hash'];

/**
 * True when the line is certainly the canonical serialisation of what it parses to, without
 * building that serialisation: JSON.parse keeps a document's key order, so when the envelope's keys
 * come in canonicalRecord's order, every object's keys below it are sorted, and JSON.stringify of
 * the parsed value gives back exactly the bytes read (valid UTF-8 — U+FFFD would stand in for bad
 * bytes on both sides), the line is what canonicalRecord writes: no whitespace, no duplicate key
 * (parsing collapses it), no other escape or number spelling (stringify writes one). False means
 * "not proven": the caller then re-serialises canonically and compares, as the reference. (Integer-
 * like keys, which V8 lists first whatever the text's order, and non-finite numbers land there.)
 */
function isCanonicalAsRead(r: Record<string, unknown>, line: Buffer, text: string): boolean {
  return envelopeInOrder(r) && keysSorted(r.data, 0) && JSON.stringify(r) === text && isUtf8(line);
}

/**
 * A v2 line's form: envelope keys in the writer's order, bytes valid UTF-8 (JSON.parse would read
 * U+FFFD for bad bytes the seal covers). No re-serialisation: the seal is over the bytes as
 * written, so any other spelling of a record (whitespace, a duplicate key) has a broken seal or a
 * re-computed one, and a re-computed chain is a forgery only a signature or a copied head catches
 * (verify.ts), in v1 as in v2. A JSON.stringify round trip here cost a third of verify's time.
 */
function isV2AsRead(r: Record<string, unknown>, line: Buffer): boolean {
  return envelopeInOrder(r) && isUtf8(line);
}

function envelopeInOrder(r: Record<string, unknown>): boolean {
  let i = 0;
  for (const k in r) if (k !== ENVELOPE_KEYS[i++]) return false;
  return i === ENVELOPE_KEYS.length;
}

/** Every object's own keys (as Object.keys lists them) in code-unit order, at every depth. */
function keysSorted(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return true;
  // Deeper than the journal stores: not proven here; the canonical writer refuses it with a reason.
  if (depth + 1 > MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!keysSorted(x, depth + 1)) return false;
    return true;
  }
  const o = v as Record<string, unknown>;
  let last: string | undefined;
  for (const k in o) {
    if (last !== undefined && !(last < k)) return false;
    last = k;
    if (!keysSorted(o[k], depth + 1)) return false;
  }
  return true;
}

export type LineCheck = { ok: true; record: AnyRecord; hash: string } | { ok: false; reason: string };

/** One line (without its newline) checked as the scan checks it; shared segments (share/verify.ts) reuse it. */
export function checkLine(line: Buffer, seq: number, prev: string | undefined, strict: boolean): LineCheck {
  let parsed: unknown;
  const text = line.toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  try {
    return checkRecord(parsed, line, text, seq, prev, strict);
  } catch {
    // A forged record nested deeper than the schema walker's stack: corrupt, not a crash.
    return { ok: false, reason: 'record cannot be checked (nested too deeply)' };
  }
}

function checkRecord(
  parsed: unknown,
  line: Buffer,
  text: string,
  seq: number,
  prev: string | undefined,
  strict: boolean,
): LineCheck {
  const seal = checkSeal(line);
  if (!seal.ok) return seal;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const r = parsed as Record<string, unknown>;
  if (typeof r.v !== 'number' || !RECORD_VERSIONS.includes(r.v))
    return { ok: false, reason: `unknown record version ${JSON.stringify(r.v)}` };
  if (r.seq !== seq)
    return {
      ok: false,
      reason: `expected seq ${seq}, found ${JSON.stringify(r.seq)} (record missing, inserted or out of order)`,
    };
  if (typeof r.ts !== 'string' || Number.isNaN(parseIsoTime(r.ts))) return { ok: false, reason: 'bad ts' };
  if (!isRecordType(r.type)) return { ok: false, reason: `unknown record type ${JSON.stringify(r.type)}` };
  if (typeof r.actor !== 'string') return { ok: false, reason: 'bad actor' };
  if (seq === 1) {
    if (r.type !== 'incident.opened') return { ok: false, reason: 'first record is not incident.opened' };
    const id = (r.data as { incidentId?: unknown } | null)?.incidentId;
    if (typeof id !== 'string') return { ok: false, reason: 'incident.opened has no incidentId' };
    prev = genesisHash(id);
  }
  if (r.prev !== prev) return { ok: false, reason: 'prev does not match the previous record (chain broken)' };
  const data = validateData(r.type, r.data);
  if (!data.ok) return { ok: false, reason: data.reason };
  const mismatch = checkpointMismatch(r as unknown as AnyRecord);
  if (mismatch) return { ok: false, reason: mismatch };
  if (strict && r.v === 2 && !isV2AsRead(r, line)) {
    return { ok: false, reason: 'v2 record is not as firebreak writes it (rewritten by another tool)' };
  }
  if (strict && r.v === 1 && !isCanonicalAsRead(r, line, text)) {
    const body = Buffer.from(canonicalRecord(r as unknown as Parameters<typeof canonicalRecord>[0]));
    const bodyEnd = body.length - 1; // the hash field replaces the closing brace
    if (line.length !== bodyEnd + HASH_SUFFIX_LENGTH || line.compare(body, 0, bodyEnd, 0, bodyEnd) !== 0) {
      return { ok: false, reason: 'v1 record is not in canonical form (rewritten by another tool)' };
    }
  }
  return { ok: true, record: r as unknown as AnyRecord, hash: seal.hash };
}

export async function scanJournal(
  file: string,
  onRecord: (r: ScannedRecord) => void,
  opts: ScanOptions = {},
): Promise<ScanResult> {
  const strict = opts.strict ?? false;
  const fh = await open(file, 'r');
  const res = emptyScan();
  try {
    let buf = Buffer.allocUnsafe(opts.chunkBytes ?? 4 * 1024 * 1024);
    let filled = 0; // bytes in buf
    let bufFileOffset = 0; // file offset of buf[0]
    let eof = false;
    let lineNo = 0;
    let prev: string | undefined;
    while (!res.failure) {
      if (!eof && filled < buf.length) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, bufFileOffset + filled);
        if (bytesRead === 0) eof = true;
        filled += bytesRead;
      }
      let pos = 0;
      for (;;) {
        const nl = buf.indexOf(NEWLINE, pos);
        if (nl === -1 || nl >= filled) break;
        lineNo++;
        const offset = bufFileOffset + pos;
        const line = buf.subarray(pos, nl);
        const seq = res.records + 1;
        const c = checkLine(line, seq, prev, strict);
        if (c.ok) {
          res.records = seq;
          prev = c.hash;
          res.head = c.hash;
          if (seq === 1) res.incidentId = (c.record.data as { incidentId: string }).incidentId;
          res.goodBytes = bufFileOffset + nl + 1;
          res.byVersion[c.record.v] = (res.byVersion[c.record.v] ?? 0) + 1;
          onRecord({ record: c.record, offset, length: nl - pos });
        } else {
          res.failure = { line: lineNo, seq, reason: c.reason };
          break;
        }
        pos = nl + 1;
      }
      if (res.failure) break;
      // Keep the partial line; grow the buffer if one line is larger than it.
      if (pos > 0) {
        buf.copy(buf, 0, pos, filled);
        filled -= pos;
        bufFileOffset += pos;
      } else if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      if (eof) {
        if (filled > 0) {
          res.torn = {
            line: lineNo + 1,
            seq: res.records + 1,
            offset: bufFileOffset,
            bytes: filled,
            reason: 'last line is incomplete (write cut short)',
          };
        }
        break;
      }
    }
  } finally {
    await fh.close();
  }
  if (res.torn) res.torn.bytes = (await sizeOf(file)) - res.torn.offset;
  if (!res.failure && res.records === 0) {
    // Creation writes and syncs record 1 before anyone can use the journal, so without it there is
    // no incident to recover.
    res.failure = {
      line: 1,
      seq: 1,
      reason: res.torn ? `first record unreadable: ${res.torn.reason}` : 'journal is empty (no incident.opened record)',
    };
    res.torn = undefined;
  }
  return res;
}

async function sizeOf(file: string): Promise<number> {
  const fh = await open(file, 'r');
  try {
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

/** Reads one record back by its offset and length (from a ScannedRecord), e.g. for a detail view. */
export async function readRecordAt(file: string, offset: number, length: number): Promise<AnyRecord> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return JSON.parse(buf.toString('utf8', 0, bytesRead)) as AnyRecord;
  } finally {
    await fh.close();
  }
}

/** A scan of nothing yet: no record, no head, no fault. */
export function emptyScan(): ScanResult {
  return {
    records: 0,
    head: '',
    incidentId: undefined,
    goodBytes: 0,
    torn: undefined,
    failure: undefined,
    byVersion: {},
  };
}
