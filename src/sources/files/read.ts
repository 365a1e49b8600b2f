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
}

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
    const n = splitter.elementsSeen;
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
  const parsed = parseJson(el.text);
  if (!parsed.ok) return { type: 'problem', kind: parsed.kind, where, detail: parsed.reason };
  let record = parsed.value;
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
