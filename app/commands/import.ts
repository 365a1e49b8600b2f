// `firebreak import PATH... --journal FILE`: evidence files (CloudTrail S3 logs and lookup-events
// output, Kubernetes audit logs, Falco alerts) streamed into an existing journal in group-committed
// batches. Bad input costs only the record it is in; the summary names every file and line that
// was refused. With --digests, CloudTrail's own integrity chain is checked against what was read.

import { BoundedMap } from '../../src/domain/bounded-map.js';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { eventKey, type IncidentEvent } from '../../src/domain/event.js';
import { neutraliseLine } from '../../src/safety/neutralise.js';
import { redactText } from '../../src/safety/redact.js';
import {
  describeSignature,
  loadDigest,
  loadPublicKeys,
  validateDigests,
  type DigestFile,
  type DigestReport,
  type LogHash,
  type PublicKeyEntry,
} from '../../src/sources/files/digest.js';
import { readInputFile, type FileStats, type ReadItem } from '../../src/sources/files/read.js';
import { listFiles, walkPaths } from '../../src/sources/files/walk.js';
import { openIncident } from '../../store/open.js';
import type { IncidentStore } from '../../store/store.js';
import { ALL_RULES, createDetector, type Rule } from '../../src/detections/index.js';
import { packageRoot } from '../../src/sources/drill/scenario.js';
import { describeFsError } from '../../src/sources/files/fs-errors.js';
import { hashFile, SOURCE_FILE, type SourceFile } from '../../src/sources/files/source-file.js';
import { CommandError } from '../../store/store.js';

export interface ImportOptions {
  journal: string;
  /** Directories (or files) of CloudTrail digest files to validate the imported logs against. */
  digests?: readonly string[];
  /** Public keys (PEM, DER or `aws cloudtrail list-public-keys` JSON) for digest signatures. */
  publicKeys?: readonly string[];
  /** Who is recording, for the journal's own records (events are recorded by 'import'). */
  actor?: string;
  batchSize?: number;
  now?: () => Date;
  /**
   * Called with each batch of newly imported events; returns how many detections it raised.
   * Defaults to the detection rules (src/detections), journaling what they raise.
   */
  onEvents?: (events: readonly IncidentEvent[]) => Promise<number>;
  /** Rules run beside the built-in ones (Sigma rules from --rules / :rules). */
  rules?: readonly Rule[];
  /**
   * Stops the import between two records (Ctrl-C on the CLI, `:cancel` in the cockpit): what was
   * read so far is journaled, the summary says it stopped, and importing again goes on (what is
   * already in is skipped as duplicates).
   */
  signal?: AbortSignal;
  /** Where the import is: at the start of each file and after each batch. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  file: string;
  /** Files started so far, of all the walk found. */
  files: number;
  filesTotal: number;
  /** Records read so far, and how many of them were new. */
  records: number;
  imported: number;
}

export interface Group {
  /** A problem kind (bad-json, wrong-shape, …) or a skip reason. */
  kind: string;
  count: number;
  /** The first few "where: detail" lines. */
  examples: string[];
}

export interface DigestSummary {
  reports: DigestReport[];
  /** Digest files that could not be read or parsed. */
  unreadable: { path: string; reason: string }[];
  keys: number;
}

export interface ImportSummary {
  journal: string;
  files: number;
  records: number;
  imported: number;
  duplicates: number;
  /** Intermediate Kubernetes audit stages folded into their request's final stage. */
  stagesMerged: number;
  problems: Group[];
  problemCount: number;
  /** Events kept although some of their fields were malformed and ignored (IncidentEvent.warnings). */
  oddities: Group[];
  skipped: Group[];
  /** Undefined when no detections engine is wired (`onEvents`), so no number is claimed. */
  detections: number | undefined;
  digests: DigestSummary | undefined;
  /** Every file read, as recorded in the journal (evidence.recorded, source "source-file"). */
  sourceFiles: SourceFile[];
  /** Set when the import stopped before the end (the journal went UNSAFE, or another fatal error). */
  stopped?: string;
}

const EXAMPLES = 3;
/** Requests whose final audit stage has not been seen yet are held up to this many. */
const MAX_PENDING_STAGES = 100_000;
/** The import's own records are attributed to this actor. */
export const IMPORT_ACTOR = 'import';

class Groups {
  private readonly map = new Map<string, Group>();
  total = 0;
  add(kind: string, where: string, detail?: string): void {
    let g = this.map.get(kind);
    if (!g) this.map.set(kind, (g = { kind, count: 0, examples: [] }));
    g.count++;
    this.total++;
    // Details quote attacker bytes (JSON.parse echoes input): no secrets, no escape sequences.
    if (g.examples.length < EXAMPLES)
      g.examples.push(neutraliseLine(redactText(detail ? `${where}: ${detail}` : where)));
  }
  list(): Group[] {
    return [...this.map.values()];
  }
}

async function loadKeys(files: readonly string[]): Promise<PublicKeyEntry[]> {
  const out: PublicKeyEntry[] = [];
  for (const f of files) {
    try {
      out.push(...(await loadPublicKeys(f)));
    } catch (e) {
      const io = (e as NodeJS.ErrnoException).code;
      throw new Error(
        `--public-key ${f}: ${io ? describeFsError(e) : 'not a readable RSA public key (give PEM, DER or "aws cloudtrail list-public-keys" JSON)'}`,
      );
    }
  }
  return out;
}

/** What importInto needs: the journal's path (for the summary, and to skip the journal's own files). */
export type ImportIntoOptions = Omit<ImportOptions, 'actor'>;

interface Prepared {
  keys: PublicKeyEntry[];
  validate: boolean;
  walked: Awaited<ReturnType<typeof walkPaths>>;
}

/** Checks the paths and flags, loads the keys and walks the paths: everything before the journal. */
async function prepare(paths: readonly string[], o: ImportIntoOptions): Promise<Prepared> {
  if (paths.length === 0) throw new Error('nothing to import: give one or more files or directories');
  if (o.publicKeys?.length && !o.digests?.length)
    throw new Error('--public-key needs --digests DIR (the digest files to verify)');
  for (const p of o.digests ?? []) if (!existsSync(p)) throw new Error(`${p}: no such file or directory`);
  // One missing path among several is reported in the summary (the walk does); when none exists
  // at all it is a typo to fix, answered at once. lstat: a symlink loop exists, and is reported.
  const present = paths.filter((p) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  });
  if (present.length === 0) throw new Error(`${paths[0]}: no such file or directory`);
  const keys = await loadKeys(o.publicKeys ?? []);
  return { keys, validate: (o.digests?.length ?? 0) > 0, walked: await walkPaths(paths) };
}

interface Ingested {
  sum: {
    files: number;
    records: number;
    imported: number;
    duplicates: number;
    stagesMerged: number;
    detections: number;
  };
  problems: Groups;
  oddities: Groups;
  skipped: Groups;
  logs: Map<string, LogHash>;
  digestPaths: string[];
  sourceFiles: SourceFile[];
  stopped?: string;
}

/** The formats whose records are imported: their files are recorded as evidence. */
const IMPORTED_FORMATS = new Set(['cloudtrail', 'cloudtrail-array', 'lookup-events', 'k8s-audit', 'falco']);

function toolVersion(): string {
  try {
    return `firebreak ${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}`;
  } catch {
    return 'firebreak';
  }
}

/**
 * Why an import stopped, as a sentence: an UNSAFE journal names itself and what to do; the store's
 * own refusals are already worded for people; anything else gets a generic wording, never raw text.
 */
function stopReason(store: IncidentStore, journal: string, e: unknown): string {
  const h = store.getState().meta.health;
  if (h?.state === 'unsafe') {
    return `journal ${journal} is UNSAFE (a write failed: ${h.reason ?? 'unknown reason'}); nothing more was recorded — free space or fix the disk, run "firebreak verify ${journal}", then import again (what is already in is skipped as duplicates)`;
  }
  if (e instanceof CommandError) return e.message;
  return 'an unexpected error in firebreak stopped the import';
}

/** Streams the walked files into the store (which holds the journal open). */
async function ingestInto(store: IncidentStore, prep: Prepared, o: ImportIntoOptions): Promise<Ingested> {
  const { walked, validate } = prep;
  const actions = store.getState().actions;
  // The same rules as live ingest run on exactly the newly imported events.
  const detector = createDetector(o.rules?.length ? [...ALL_RULES, ...o.rules] : ALL_RULES);
  const onEvents =
    o.onEvents ??
    (async (events: readonly IncidentEvent[]): Promise<number> => {
      // One group commit for the batch's detections (was one fsync each).
      const raised = events.flatMap((e) => detector.observe(e));
      if (raised.length > 0) await actions.raiseDetections(raised, 'firebreak');
      return raised.length;
    });
  const discoveredAt = (o.now ?? (() => new Date()))().toISOString();
  const batchSize = o.batchSize ?? 1000;
  const problems = new Groups();
  const oddities = new Groups();
  const skipped = new Groups();
  const logs = new Map<string, LogHash>();
  const digestPaths: string[] = [];
  const sum = { files: 0, records: 0, imported: 0, duplicates: 0, stagesMerged: 0, detections: 0 };
  let batch: IncidentEvent[] = [];
  // Audit requests seen only at an intermediate stage, waiting for ResponseComplete / Panic.
  const pending = new BoundedMap<string, IncidentEvent>(MAX_PENDING_STAGES);

  // Up to two batches in flight: the next one is parsed and sealed while the previous one's
  // fdatasync runs (the journal keeps them in call order; the store never journals an event twice).
  const inflight: Promise<void>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    if (inflight.length >= 2) await inflight.shift();
    const p = actions.ingestEvents(b, IMPORT_ACTOR).then(async (fresh) => {
      sum.imported += fresh.length;
      sum.duplicates += b.length - fresh.length;
      if (fresh.length === 0) return;
      // Await first, then add: `sum.detections += await …` reads the total before the await and
      // so drops the other in-flight batch's count.
      const raised = await onEvents(fresh);
      sum.detections += raised;
    });
    // Awaited below (or at the end); this only stops an early failure counting as unhandled.
    p.catch(() => undefined);
    inflight.push(p);
  };
  const drain = async (): Promise<void> => {
    await flush();
    while (inflight.length) await inflight.shift();
  };
  const add = async (e: IncidentEvent): Promise<void> => {
    batch.push(e);
    if (batch.length >= batchSize) await flush();
  };

  for (const w of walked.unreadable) problems.add('unreadable', w.path, w.detail);
  // The journal itself (and its lock and torn-tail side files) may sit in the evidence folder.
  const own = resolve(o.journal);
  const isOwn = (f: string) => {
    const r = resolve(f);
    return r === own || r === `${own}.lock` || r.startsWith(`${own}.torn-`);
  };
  const sourceFiles: SourceFile[] = [];
  let stopped: string | undefined;
  let cancelled: string | undefined;
  try {
    for (const d of walked.digestDirs) {
      if (validate) digestPaths.push(...(await listFiles(d)));
      else skipped.add('CloudTrail-Digest folder (give --digests to validate)', d);
    }
    const filesTotal = walked.files.filter((f) => !isOwn(f)).length;
    let read = 0;
    const progress = (file: string) =>
      o.onProgress?.({ file, files: sum.files, filesTotal, records: sum.records + read, imported: sum.imported });
    /** One item the reader yielded: a problem, a skip, or an event (a stage of one, or final). */
    const handle = async (item: ReadItem): Promise<void> => {
      if (item.type === 'problem') return problems.add(item.kind, item.where, item.detail);
      if (item.type === 'skip') return skipped.add(item.reason, item.where);
      const e = item.event;
      if (e.warnings?.length) oddities.add('fields ignored', item.where, e.warnings.join('; '));
      const k = eventKey(e);
      if (!item.final) {
        if (pending.has(k) || store.getState().state.eventIndex.has(k)) sum.stagesMerged++;
        else {
          const evicted = pending.set(k, e);
          if (evicted) await add(evicted[1]);
        }
        return;
      }
      if (pending.delete(k)) sum.stagesMerged++;
      await add(e);
    };
    files: for (const file of walked.files) {
      if (isOwn(file)) continue;
      if (o.signal?.aborted) break;
      sum.files++;
      read = 0;
      progress(file);
      const stats: FileStats = { file, format: undefined, records: 0, sha256: undefined };
      for await (const item of readInputFile(file, stats, { discoveredAt, hash: validate })) {
        read = stats.records;
        if (read % batchSize === 0) progress(file);
        await handle(item);
        if (o.signal?.aborted) {
          // Cut mid-file after this record: what was read is journaled; the file is not recorded
          // as evidence, as it was not read to its end.
          sum.records += stats.records;
          break files;
        }
      }
      sum.records += stats.records;
      read = 0;
      if (stats.format && IMPORTED_FORMATS.has(stats.format)) {
        // A file cut short (a corrupt gzip) was not read to its end: hash it on its own.
        const raw = stats.raw ?? (await hashFile(file).catch(() => undefined));
        if (raw)
          sourceFiles.push({
            path: resolve(file),
            sha256: raw.sha256,
            size: raw.size,
            format: stats.format,
            gzip: stats.gzip ?? false,
            records: stats.records,
          });
      }
      if (stats.format === 'cloudtrail-digest' && validate) digestPaths.push(file);
      else if (validate && !logs.has(basename(file))) logs.set(basename(file), { path: file, sha256: stats.sha256 });
    }
    // Requests whose final stage never came (cut-off log, crashed apiserver) still happened.
    if (!o.signal?.aborted) for (const e of pending.values()) await add(e);
    await drain();
    if (o.signal?.aborted)
      cancelled = `cancelled after ${plural(sum.records, 'record')} (${sum.files} of ${plural(filesTotal, 'file')} started); what was read is in the journal — import again to go on (what is in is skipped as duplicates)`;
  } catch (e) {
    stopped = stopReason(store, o.journal, e);
    // Batches already handed to the journal finish (or fail) on their own: count what landed.
    await Promise.allSettled(inflight);
  }
  if (sourceFiles.length > 0 && stopped === undefined) {
    try {
      await recordSourceFiles(store, sourceFiles, discoveredAt);
    } catch (e) {
      stopped = stopReason(store, o.journal, e);
    }
  }
  stopped ??= cancelled;
  return {
    sum,
    problems,
    oddities,
    skipped,
    logs,
    digestPaths,
    sourceFiles,
    ...(stopped !== undefined ? { stopped } : {}),
  };
}

/**
 * Each source file as evidence with its first custody entry: the journal keeps redacted copies of
 * the records, so the original bytes (hash and size as on disk, compressed if they were) are what
 * a reviewer checks those copies against.
 */
async function recordSourceFiles(store: IncidentStore, files: SourceFile[], collectedAt: string): Promise<void> {
  const { state, actions } = store.getState();
  const version = toolVersion();
  let n = state.evidence.length;
  const items = files.map((f) => {
    f.evidenceId = `EV-${String(++n).padStart(3, '0')}`;
    return {
      evidence: {
        evidenceId: f.evidenceId,
        path: f.path,
        sha256: f.sha256,
        size: f.size,
        source: SOURCE_FILE,
        description: `${f.format} file read by import (${plural(f.records, 'record')}${f.gzip ? '; hash of the gzip bytes on disk' : ''})`,
        collector: IMPORT_ACTOR,
        toolVersion: version,
        collectedAt,
      },
      custody: {
        evidenceId: f.evidenceId,
        from: 'the file on disk',
        to: IMPORT_ACTOR,
        reason: 'read by firebreak import; the journal holds redacted copies of its records',
        location: f.path,
      },
    };
  });
  await actions.recordEvidenceWithCustody(items, IMPORT_ACTOR);
}

/** Digest validation (no journal needed) and the summary. */
async function summarise(prep: Prepared, got: Ingested, o: ImportIntoOptions): Promise<ImportSummary> {
  let digests: DigestSummary | undefined;
  if (prep.validate) {
    const digestPaths = [...got.digestPaths];
    for (const d of o.digests ?? []) digestPaths.push(...(await listFiles(d)));
    const loaded: DigestFile[] = [];
    const unreadable: DigestSummary['unreadable'] = [];
    for (const p of [...new Set(digestPaths)]) {
      const r = await loadDigest(p);
      if (r.ok) loaded.push(r.digest);
      else unreadable.push({ path: p, reason: r.reason });
    }
    digests = { reports: validateDigests(loaded, got.logs, prep.keys), unreadable, keys: prep.keys.length };
  }
  return {
    journal: o.journal,
    ...got.sum,
    problems: got.problems.list(),
    problemCount: got.problems.total,
    oddities: got.oddities.list(),
    skipped: got.skipped.list(),
    detections: got.sum.detections,
    digests,
    sourceFiles: got.sourceFiles,
    ...(got.stopped !== undefined ? { stopped: got.stopped } : {}),
  };
}

/**
 * Imports into a journal that is already open: the cockpit's store (`:import`), which holds the
 * journal's write lock. `o.journal` is that journal's path.
 */
export async function importInto(
  store: IncidentStore,
  paths: readonly string[],
  o: ImportIntoOptions,
): Promise<ImportSummary> {
  const prep = await prepare(paths, o);
  return summarise(prep, await ingestInto(store, prep, o), o);
}

export async function runImport(paths: readonly string[], o: ImportOptions): Promise<ImportSummary> {
  if (paths.length === 0) throw new Error('nothing to import: give one or more files or directories');
  if (o.publicKeys?.length && !o.digests?.length)
    throw new Error('--public-key needs --digests DIR (the digest files to verify)');
  if (!existsSync(o.journal)) {
    throw new Error(
      `${o.journal} does not exist: create the journal first with "firebreak new --title … --journal ${o.journal}" (or run a drill)`,
    );
  }
  const prep = await prepare(paths, o);
  const { store, journal } = await openIncident(o.journal, o.actor ? { actor: o.actor } : {});
  let got: Ingested;
  try {
    got = await ingestInto(store, prep, o);
  } finally {
    // An UNSAFE journal may refuse to close cleanly; the summary still says what went in.
    await journal?.close().catch(() => undefined);
  }
  return summarise(prep, got, o);
}

const plural = (x: number, one: string) => `${n(x)} ${one}${x === 1 ? '' : 's'}`;

/** One line for the cockpit's footer: "imported 1,234 new events from 3 files (2 problems — …)". */
export function importSummaryLine(s: ImportSummary, problemsWhere = 'see the timeline note'): string {
  const extra: string[] = [];
  if (s.duplicates > 0) extra.push(`${plural(s.duplicates, 'duplicate')} skipped`);
  if (s.detections) extra.push(`${plural(s.detections, 'detection')}`);
  if (s.records === 0 && s.problemCount === 0) extra.push('no records found');
  const digestBad = s.digests ? s.digests.unreadable.length + s.digests.reports.filter((r) => !r.ok).length : 0;
  if (s.problemCount > 0) extra.push(`${plural(s.problemCount, 'problem')} — ${problemsWhere}`);
  if (digestBad > 0) extra.push(`${plural(digestBad, 'digest')} FAILED`);
  const line = `imported ${plural(s.imported, 'new event')} from ${plural(s.files, 'file')}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  return s.stopped !== undefined ? neutraliseLine(`import stopped: ${s.stopped} — before that, ${line}`) : line;
}

/**
 * "importing 3/40 files · 12,500 records (11,980 new) · logs/2026/04/20/x.json.gz", cut to `width`.
 * The file name is the attacker's only if they wrote the evidence folder: neutralised all the same.
 */
export function progressLine(p: ImportProgress, width = 80): string {
  const head = `importing ${p.files}/${p.filesTotal} files · ${p.records.toLocaleString('en-US')} records (${p.imported.toLocaleString('en-US')} new)`;
  const line = `${head} · ${neutraliseLine(p.file)}`;
  const w = Math.max(20, width - 1);
  return line.length <= w ? line : `${line.slice(0, w - 1)}…`;
}

/** Lines of the full summary kept in the journal's note (the rest is on the import's own footer). */
const NOTE_LINES = 12;

/**
 * The cockpit's `:import` (CockpitDeps.importFiles): imports into the open journal through its
 * store, records the summary's first lines as a note (so the timeline shows that evidence came in,
 * and from where), and answers with one line for the footer.
 */
export function importFilesInto(
  store: IncidentStore,
  journal: string,
  o: Omit<ImportIntoOptions, 'journal'> = {},
): (
  paths: string[],
  run?: { signal?: AbortSignal; onProgress?: (line: string) => void },
) => Promise<{ summary: string; ok: boolean }> {
  return async (paths, run = {}) => {
    const s = await importInto(store, paths, {
      ...o,
      journal,
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.onProgress ? { onProgress: (p: ImportProgress) => run.onProgress!(progressLine(p, 200)) } : {}),
    });
    // The summary's first lines, joined: the timeline draws a note as one row (a newline would
    // show as a visible control token).
    const lines = formatImportSummary(s)
      .trimEnd()
      .split('\n')
      .map((l) => l.trim());
    const head = lines.slice(0, NOTE_LINES);
    if (lines.length > NOTE_LINES)
      head.push(`… ${plural(lines.length - NOTE_LINES, 'more line')} (run firebreak import for the full report)`);
    try {
      await store
        .getState()
        .actions.addNote(`evidence imported (:import ${neutraliseLine(paths.join(' '))}): ${head.join(' · ')}`);
    } catch {
      // A journal that stopped the import refuses the note too; the footer still gets the counts.
      if (s.stopped === undefined) throw new Error('the import summary could not be recorded as a note');
    }
    return { summary: importSummaryLine(s), ok: importExitCode(s) === 0 };
  };
}

/**
 * 0: imported, or everything was already there. 1: partial — some records or paths were refused,
 * or digest validation failed (the rest is in). 2: the import stopped before the end (UNSAFE
 * journal, fatal error); the summary says what went in before it did.
 */
export function importExitCode(s: ImportSummary): number {
  if (s.stopped !== undefined) return 2;
  const digestBad = s.digests ? s.digests.unreadable.length > 0 || s.digests.reports.some((r) => !r.ok) : false;
  if (s.problemCount > 0 || digestBad) return 1;
  return s.imported > 0 || s.duplicates > 0 ? 0 : 1;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Source files listed one per line up to this many; the rest are counted. */
const SOURCE_LINES = 20;

export function formatImportSummary(s: ImportSummary): string {
  const out: string[] = [];
  if (s.stopped !== undefined)
    out.push(neutraliseLine(`import STOPPED: ${s.stopped}`), 'what went in before it stopped:');
  out.push(
    `imported ${n(s.imported)} new events into ${s.journal} from ${n(s.files)} files (${n(s.records)} records read)`,
  );
  out.push(`  duplicates skipped: ${n(s.duplicates)}`);
  if (s.stagesMerged > 0) out.push(`  audit stage lines merged into their request: ${n(s.stagesMerged)}`);
  const groups = (title: string, gs: Group[]) => {
    if (gs.length === 0) return;
    out.push(title);
    for (const g of gs) {
      out.push(`    ${g.kind}: ${n(g.count)}`);
      for (const ex of g.examples) out.push(`      ${ex}`);
      if (g.count > g.examples.length) out.push(`      … and ${n(g.count - g.examples.length)} more`);
    }
  };
  groups(`  skipped (not events): ${n(s.skipped.reduce((a, g) => a + g.count, 0))}`, s.skipped);
  groups(`  bad input, skipped (everything else was imported): ${n(s.problemCount)}`, s.problems);
  groups(
    `  imported, with malformed fields ignored (the record is kept whole in the event): ${n(s.oddities.reduce((a, g) => a + g.count, 0))}`,
    s.oddities,
  );
  if (s.sourceFiles.length > 0) {
    out.push(`  source files recorded as evidence (sha256 of the bytes on disk): ${n(s.sourceFiles.length)}`);
    for (const f of s.sourceFiles.slice(0, SOURCE_LINES)) {
      out.push(
        neutraliseLine(
          `    ${f.evidenceId ?? '(not recorded)'}  sha256 ${f.sha256}  ${plural(f.size, 'byte')}  ${f.path}`,
        ),
      );
    }
    if (s.sourceFiles.length > SOURCE_LINES)
      out.push(`    … and ${n(s.sourceFiles.length - SOURCE_LINES)} more (firebreak export lists them all)`);
  } else if (s.stopped !== undefined && s.files > 0) {
    out.push('  source files: not recorded as evidence (the import stopped first)');
  }
  out.push(
    s.detections === undefined
      ? '  detections raised: 0 (no detection engine is wired to import yet)'
      : `  detections raised: ${n(s.detections)}`,
  );
  if (s.records === 0 && s.problemCount === 0) out.push('  no records found in these paths');
  if (s.digests) {
    const d = s.digests;
    const bad = d.reports.filter((r) => !r.ok).length;
    out.push(
      `digest validation: ${n(d.reports.length)} digests, ${n(d.reports.length - bad)} OK, ${n(bad)} FAILED; ${n(d.keys)} public keys loaded`,
    );
    for (const r of d.reports) {
      const what = r.ok ? `${r.filesChecked} log files; ${describeSignature(r)}` : r.problems.join('; ');
      out.push(neutraliseLine(`  ${r.ok ? 'OK    ' : 'FAILED'}  ${r.path} (${r.digestEndTime}): ${what}`));
    }
    for (const u of d.unreadable) out.push(neutraliseLine(`  UNREADABLE  ${u.path}: ${u.reason}`));
    if (d.reports.some((r) => r.signature === 'no-key'))
      out.push('  some signatures not checked: give --public-key with the matching fingerprint');
  }
  return out.join('\n') + '\n';
}
