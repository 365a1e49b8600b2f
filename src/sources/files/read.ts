// Reads one evidence file as a stream of normalised events and problems. Bad input never stops
// more than the record it is in: a bad line, a wrong-shaped record or a broken gzip becomes a
// problem naming file and line (or record index), and everything readable still comes out.

import type { IncidentEvent } from '../../domain/event.js';
import { normaliseCloudTrailRecord } from '../cloudtrail/normalise.js';
import { isFinalStage, normaliseAuditEvent } from '../kubernetes/audit.js';
import { boundsProblem } from './bounds.js';
import { detectFormat, HEAD_BYTES, type InputFormat } from './detect.js';
import { normaliseFalcoLine } from './falco.js';
import { JsonArraySplitter, JsonStructureError, type ArrayElement } from './json-array.js';
import { LineSplitter } from './lines.js';
import { describeStreamError, openChunks } from './stream.js';
import { isUtf8 } from 'node:buffer';

export type ProblemKind =
  | 'bad-json'
  | 'not-utf8'
  | 'too-deep'
  | 'non-finite'
  | 'wrong-shape'
  | 'truncated'
  | 'corrupt-gzip'
  | 'malformed'
  | 'too-large'
  | 'unreadable'
  | 'unrecognised'
  | 'unexpected';

export type ReadItem =
  | {
      type: 'event';
      event: IncidentEvent;
      where: string;
      /** False for an audit stage that a later stage of the same request supersedes. */
      final: boolean;
    }
  | { type: 'problem'; kind: ProblemKind; where: string; detail: string }
  | { type: 'skip'; reason: string; where: string };

export interface FileStats {
  file: string;
  format: InputFormat | 'empty' | 'unknown' | undefined;
  /** Lines / array elements seen, good or bad. */
  records: number;
  /** Hex SHA-256 of the decompressed content, when asked for and the file was read to the end. */
  sha256: string | undefined;
  /** SHA-256 and size of the bytes on disk (compressed as stored), once read to the end. */
  raw?: { sha256: string; size: number } | undefined;
  /** True when the content was gzip-compressed on disk. */
  gzip?: boolean;
}

export interface ReadOptions {
  discoveredAt: string;
  hash?: boolean;
  /**
   * Decompressed size up to which a CloudTrail file is read whole and parsed with one JSON.parse
   * (default WHOLE_FILE_MAX); 0 streams every file through the splitter (tests compare the two).
   */
  wholeFileMax?: number;
}

/**
 * CloudTrail S3 objects are a few MB (tens at most): read whole, one JSON.parse over the document
 * costs a fraction of delimiting it byte by byte in JS and parsing each element apart. At the
 * record cap no element of a file this size can be over the cap, so the cap still holds; a larger
 * file (a concatenation, a huge lookup-events dump) streams through the splitter as before.
 */
export const WHOLE_FILE_MAX = 64 * 1024 * 1024;

const ARRAY_KEYS: Partial<Record<InputFormat, string>> = {
  cloudtrail: 'Records',
  'cloudtrail-array': '',
  'lookup-events': 'Events',
};

type Parsed = { ok: true; value: unknown } | { ok: false; kind: ProblemKind; reason: string };

/**
 * The one place record text becomes a value. JSON.parse's own message quotes the attacker's bytes
 * and varies by engine version, so the reason is a fixed sentence; what is too deep or not finite
 * stops here (./bounds.ts says why).
 */
function parseJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, kind: 'bad-json', reason: 'not valid JSON, skipped' };
  }
  const b = boundsProblem(value);
  return b ? { ok: false, kind: b.kind, reason: b.reason } : { ok: true, value };
}

/** A normaliser that throws is a firebreak bug, not the user's: one record skipped, a generic sentence. */
function guarded(where: string, f: () => ReadItem): ReadItem {
  try {
    return f();
  } catch {
    return {
      type: 'problem',
      kind: 'unexpected',
      where,
      detail: 'could not be read (an unexpected error in firebreak), skipped',
    };
  }
}

const NOT_UTF8 = 'not valid UTF-8 (the bytes are kept in the source file), skipped';

export async function* readInputFile(file: string, stats: FileStats, opts: ReadOptions): AsyncGenerator<ReadItem> {
  let src;
  try {
    src = await openChunks(file, { hash: opts.hash ?? false });
  } catch (e) {
    const d = describeStreamError(e);
    yield { type: 'problem', kind: d.kind, where: file, detail: d.detail };
    return;
  }
  // Read the head for detection, then replay it ahead of the rest. A failure inside the head
  // (a tiny truncated gzip) is held and rethrown after the head is processed.
  const head: Buffer[] = [];
  let headSize = 0;
  let headError: unknown;
  let ended = false;
  try {
    while (headSize < HEAD_BYTES) {
      const r = await src.chunks.next();
      if (r.done) {
        ended = true;
        break;
      }
      head.push(r.value);
      headSize += r.value.length;
    }
  } catch (e) {
    headError = e;
  }
  const detected = detectFormat(Buffer.concat(head));
  stats.format = detected.format;
  stats.gzip = src.gzip;
  if (detected.format === 'empty' && !headError) {
    stats.sha256 = src.sha256;
    stats.raw = src.raw;
    yield { type: 'skip', reason: 'empty file', where: file };
    return;
  }
  if (detected.format === 'unknown' || detected.format === 'empty') {
    await src.chunks.return(undefined);
    if (headError) {
      const d = describeStreamError(headError);
      yield { type: 'problem', kind: d.kind, where: file, detail: d.detail };
    } else if (detected.format === 'unknown') {
      yield { type: 'problem', kind: 'unrecognised', where: file, detail: `unrecognised format: ${detected.why}` };
    }
    return;
  }
  if (detected.format === 'cloudtrail-digest') {
    // Drain for the hash (digests are small); they are validated with --digests, not imported.
    try {
      for await (const _ of src.chunks) void _;
    } catch {
      // A broken digest here only matters to validation, which reads it again.
    }
    stats.sha256 = src.sha256;
    yield { type: 'skip', reason: 'CloudTrail digest file (validated with --digests, not imported)', where: file };
    return;
  }
  const body = (async function* () {
    yield* head;
    if (headError) throw headError;
    if (!ended) yield* src.chunks;
  })();
  const format = detected.format;
  const key = ARRAY_KEYS[format];
  if (key !== undefined) yield* readArray(file, format, key, body, stats, opts);
  else yield* readLines(file, format, body, stats, opts);
  stats.sha256 = src.sha256;
  stats.raw = src.raw;
}

async function* readArray(
  file: string,
  format: InputFormat,
  key: string,
  body: AsyncGenerator<Buffer>,
  stats: FileStats,
  opts: ReadOptions,
): AsyncGenerator<ReadItem> {
  const where = (n: number) => `${file}: record ${n}`;
  const max = opts.wholeFileMax ?? WHOLE_FILE_MAX;
  // Gather up to `max` bytes; past it, or on a read error, the gathered chunks are replayed into
  // the splitter ahead of the rest, so those paths see exactly the bytes the stream gave.
  const gathered: Buffer[] = [];
  let size = 0;
  let readError: unknown;
  let whole = max > 0;
  if (whole) {
    try {
      for (;;) {
        const r = await body.next();
        if (r.done) break;
        gathered.push(r.value);
        size += r.value.length;
        if (size > max) {
          whole = false;
          break;
        }
      }
    } catch (e) {
      readError = e;
      whole = false;
    }
  }
  if (whole) {
    const records = wholeDocument(Buffer.concat(gathered, size), key);
    if (records) {
      for (let i = 0; i < records.length; i++) {
        stats.records++;
        const w = where(i + 1);
        yield guarded(w, () => valueItem(records[i], format, w, opts));
      }
      return;
    }
  }
  const replay = (async function* () {
    yield* gathered;
    if (readError !== undefined) throw readError;
    yield* body;
  })();
  yield* splitArray(file, format, key, replay, stats, opts);
}

/**
 * The records of a whole decompressed document, or undefined when it must go through the splitter
 * instead: not UTF-8, not one JSON value (a bad record, concatenated files, a truncation), not the
 * expected wrapper, or a wrapper key named twice (the splitter reads both arrays; JSON.parse keeps
 * only the last). The splitter then isolates what is wrong, costing that record only.
 */
function wholeDocument(bytes: Buffer, key: string): unknown[] | undefined {
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (key === '') return Array.isArray(doc) ? doc : undefined;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const records = (doc as Record<string, unknown>)[key];
  if (!Array.isArray(records)) return undefined;
  // A second wrapper key, plain or spelt with \u escapes of its letters (which JSON.parse
  // decodes and the splitter does not): only the splitter's reading is safe then.
  const quoted = `"${key}"`;
  const first = text.indexOf(quoted);
  if (first === -1 || text.indexOf(quoted, first + 1) !== -1 || ESCAPED_LETTER.test(text)) return undefined;
  return records;
}

/** `\u0041`…`\u007a`: an escape that could spell a letter of a wrapper key. */
const ESCAPED_LETTER = /\\u00[4-7][0-9a-f]/i;

async function* splitArray(
  file: string,
  format: InputFormat,
  key: string,
  body: AsyncGenerator<Buffer>,
  stats: FileStats,
  opts: ReadOptions,
): AsyncGenerator<ReadItem> {
  const splitter = new JsonArraySplitter(new Set([key]));
  const where = (n: number) => `${file}: record ${n}`;
  try {
    for await (const chunk of body) {
      for (const el of splitter.push(chunk)) {
        stats.records++;
        const w = where(el.index);
        yield guarded(w, () => elementItem(el, format, w, opts));
      }
    }
    splitter.end();
  } catch (e) {
    // Complete records only: elementsSeen also counts the one the stream broke inside.
    const n = stats.records;
    const after = n === 0 ? 'before the first record' : `after record ${n}`;
    if (e instanceof JsonStructureError) {
      const truncated = /truncated|ends/.test(e.message);
      yield {
        type: 'problem',
        kind: truncated ? 'truncated' : 'malformed',
        where: file,
        detail: `${e.message}${truncated ? '' : ` (${after})`}`,
      };
    } else {
      const d = describeStreamError(e);
      yield { type: 'problem', kind: d.kind, where: file, detail: `${d.detail}, ${after}` };
    }
  }
}

function elementItem(el: ArrayElement, format: InputFormat, where: string, opts: ReadOptions): ReadItem {
  if (el.text === undefined)
    return { type: 'problem', kind: 'too-large', where, detail: 'record larger than 64 MiB, skipped' };
  if (!el.utf8) return { type: 'problem', kind: 'not-utf8', where, detail: NOT_UTF8 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(el.text) as unknown;
  } catch {
    return { type: 'problem', kind: 'bad-json', where, detail: 'not valid JSON, skipped' };
  }
  return valueItem(parsed, format, where, opts);
}

/** One parsed array element (from the splitter or the whole document) as an event or a problem. */
function valueItem(value: unknown, format: InputFormat, where: string, opts: ReadOptions): ReadItem {
  const b = boundsProblem(value);
  if (b) return { type: 'problem', kind: b.kind, where, detail: b.reason };
  let record = value;
  if (format === 'lookup-events') {
    const ev = record as { CloudTrailEvent?: unknown } | null;
    if (!ev || typeof ev !== 'object' || typeof ev.CloudTrailEvent !== 'string') {
      return {
        type: 'problem',
        kind: 'wrong-shape',
        where,
        detail: 'lookup-events item without a CloudTrailEvent string',
      };
    }
    const inner = parseJson(ev.CloudTrailEvent);
    if (!inner.ok) return { type: 'problem', kind: inner.kind, where, detail: `its CloudTrailEvent: ${inner.reason}` };
    record = inner.value;
  }
  const r = normaliseCloudTrailRecord(record, opts.discoveredAt);
  return r.ok
    ? { type: 'event', event: r.event, where, final: true }
    : { type: 'problem', kind: 'wrong-shape', where, detail: r.reason };
}

async function* readLines(
  file: string,
  format: InputFormat,
  body: AsyncGenerator<Buffer>,
  stats: FileStats,
  opts: ReadOptions,
): AsyncGenerator<ReadItem> {
  const splitter = new LineSplitter();
  let lastLine = 0;
  const handle = (no: number, text: string | undefined, utf8: boolean): ReadItem | undefined => {
    lastLine = no;
    if (text !== undefined && text.trim() === '') return undefined;
    stats.records++;
    const where = `${file}:${no}`;
    return guarded(where, () => lineItem(where, text, utf8));
  };
  const lineItem = (where: string, text: string | undefined, utf8: boolean): ReadItem => {
    if (text === undefined)
      return { type: 'problem', kind: 'too-large', where, detail: 'line longer than 64 MiB, skipped' };
    if (!utf8) return { type: 'problem', kind: 'not-utf8', where, detail: NOT_UTF8 };
    const parsed = parseJson(text);
    if (!parsed.ok) return { type: 'problem', kind: parsed.kind, where, detail: parsed.reason };
    if (format === 'k8s-audit') {
      const r = normaliseAuditEvent(parsed.value, opts.discoveredAt);
      return r.ok
        ? { type: 'event', event: r.event, where, final: isFinalStage(r.stage) }
        : { type: 'problem', kind: 'wrong-shape', where, detail: r.reason };
    }
    if (format === 'falco') {
      const r = normaliseFalcoLine(text.trim(), parsed.value, opts.discoveredAt);
      return r.ok
        ? { type: 'event', event: r.event, where, final: true }
        : { type: 'problem', kind: 'wrong-shape', where, detail: r.reason };
    }
    const r = normaliseCloudTrailRecord(parsed.value, opts.discoveredAt);
    return r.ok
      ? { type: 'event', event: r.event, where, final: true }
      : { type: 'problem', kind: 'wrong-shape', where, detail: r.reason };
  };
  try {
    for await (const chunk of body) {
      for (const l of splitter.push(chunk)) {
        const item = handle(l.no, l.text, l.utf8);
        if (item) yield item;
      }
    }
    for (const l of splitter.end()) {
      const item = handle(l.no, l.text, l.utf8);
      if (item) yield item;
    }
  } catch (e) {
    const d = describeStreamError(e);
    // What was buffered of the cut line is not a record: it is reported with the stream error.
    yield { type: 'problem', kind: d.kind, where: `${file}:${lastLine + 1}`, detail: d.detail };
  }
}
