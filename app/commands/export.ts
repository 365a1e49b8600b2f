// `firebreak export FILE --update/--postmortem/--evidence/--bundle` and `firebreak update`: the
// reports written from a journal opened read-only (nothing on disk changes), and the evidence
// bundle for a legal hand-off, in which every artifact still on disk is re-hashed against what the
// journal recorded — a file that changed or vanished since collection is named, loudly.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EVIDENCE_ID } from '../../src/journal/records.js';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { neutraliseLine } from '../../src/safety/neutralise.js';
import { verifyJournal } from '../../src/journal/verify.js';
import type { Audience, EvidenceFact, ReportFacts } from '../../src/reports/facts.js';
import { jsonText, mdText } from '../../src/reports/escape.js';
import {
  buildManifest,
  manifestJson,
  manifestMarkdown,
  type ArtifactCheck,
  type JournalVerdict,
} from '../../src/reports/evidence.js';
import { postmortemMarkdown } from '../../src/reports/postmortem.js';
import { updateMarkdown } from '../../src/reports/update.js';
import { hashFile, SOURCE_FILE } from '../../src/sources/files/source-file.js';
import { openIncident } from '../../store/open.js';
import { reportFacts, type ActionCatalog } from '../../store/report-facts.js';
import type { IncidentState } from '../../store/state.js';

/** The action catalog's view of an action id (loaded on demand: it pulls in the action families). */
export async function actionCatalog(): Promise<ActionCatalog> {
  const { actionDef } = await import('../../src/actions/registry.js');
  return (id) => {
    const d = actionDef(id);
    return d && { title: d.title, destructive: d.destructive, evidence: d.evidence };
  };
}

export async function factsFromState(state: IncidentState, now: Date, loadedSeq?: number): Promise<ReportFacts> {
  // A drill's reports are dated on its own clock, which stopped at its last record: the wall
  // clock would date an April drill in December and mark every action item overdue.
  if (state.incident?.mode === 'drill' && state.lastTs && Date.parse(state.lastTs) < now.getTime())
    now = new Date(state.lastTs);
  return reportFacts(state, { now, catalog: await actionCatalog(), ...(loadedSeq !== undefined ? { loadedSeq } : {}) });
}

export async function loadFacts(file: string, now = new Date()): Promise<ReportFacts> {
  const { store } = await openIncident(file, { readOnly: true });
  return factsFromState(store.getState().state, now);
}

export async function exportUpdate(file: string, audience: Audience, now?: Date): Promise<string> {
  return updateMarkdown(await loadFacts(file, now), audience);
}

export async function exportPostmortem(file: string, now?: Date): Promise<string> {
  return postmortemMarkdown(await loadFacts(file, now));
}

async function verdict(file: string, shownAs = file): Promise<JournalVerdict> {
  const v = await verifyJournal(file);
  return { file: shownAs, ok: v.ok, message: v.message, records: v.scan.records, head: v.scan.head };
}

/** The evidence manifest (journal only; files are re-hashed by the bundle). `ok` is the journal's verdict. */
export async function exportEvidence(
  file: string,
  format: 'md' | 'json',
  now?: Date,
): Promise<{ text: string; ok: boolean }> {
  const v = await verdict(file);
  let facts: ReportFacts;
  try {
    facts = await loadFacts(file, now);
  } catch (e) {
    if (v.ok) throw e;
    const t = unreadableManifest(v, e, now ?? new Date());
    return { text: format === 'json' ? t.json : t.md, ok: false };
  }
  const m = buildManifest(facts, v);
  return { text: format === 'json' ? manifestJson(m) : manifestMarkdown(m), ok: v.ok };
}

/** A journal that cannot be folded has no trustworthy evidence list: the manifest is its verdict. */
function unreadableManifest(v: JournalVerdict, e: unknown, now: Date): { json: string; md: string; why: string } {
  const why = e instanceof Error ? e.message : String(e);
  return {
    why,
    json: jsonText({ generatedAt: now.toISOString(), journal: v, error: why }),
    md: `# Evidence manifest\n\n**The journal is NOT INTACT**: ${mdText(v.message)}\n\nNo evidence is listed: ${mdText(why)}\n`,
  };
}

/** SHA-256 and size of a file, copied to `to` in the same pass (a memory dump is read once). */
async function hashAndCopy(from: string, to: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx' }));
  return { sha256: h.digest('hex'), size };
}

export interface BundleResult {
  ok: boolean;
  dir: string;
  /** One line per problem: a journal not intact, a file changed or missing. */
  problems: string[];
  summary: string;
}

/**
 * The legal hand-off bundle: DIR/journal.jsonl (a byte copy; everything else is written from the
 * copy, so the bundle is one consistent snapshot even while a cockpit appends), DIR/evidence/ (each
 * artifact still on disk, re-hashed as it is copied), manifest.json and manifest.md.
 */
export async function writeBundle(file: string, dir: string, now = new Date()): Promise<BundleResult> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length)
    throw new Error(`${dir} is not empty: a bundle is written into a new or empty folder, never over one`);
  const copy = join(dir, 'journal.jsonl');
  await copyFile(file, copy);
  const v = await verdict(copy, file);
  const problems: string[] = [];
  if (!v.ok) problems.push(`journal ${file}: NOT INTACT — ${v.message}`);
  let facts: ReportFacts;
  try {
    facts = await loadFacts(copy, now);
  } catch (e) {
    if (v.ok) throw e;
    const t = unreadableManifest(v, e, now);
    await writeFile(join(dir, 'manifest.json'), t.json, { flag: 'wx' });
    await writeFile(join(dir, 'manifest.md'), t.md, { flag: 'wx' });
    return { ok: false, dir, problems, summary: `bundle ${dir}: journal NOT INTACT; no evidence listed` };
  }
  await mkdir(join(dir, 'evidence'));
  const checks = new Map<string, ArtifactCheck>();
  const roots = await evidenceRoots(file);
  const where = (e: EvidenceFact) => `${neutraliseLine(e.evidenceId)} ${neutraliseLine(sourceOf(e))}`;
  const sourceOf = (e: EvidenceFact) => (isAbsolute(e.path) ? e.path : resolve(dirname(file), e.path));
  /** A re-hash: `ok` when SHA-256 and size match the journal, else a HASH MISMATCH problem. */
  const recordHash = (
    e: EvidenceFact,
    got: { sha256: string; size: number },
    ok: 'match' | 'in-place',
    bundledAs?: string,
  ) => {
    const match = got.sha256 === e.sha256 && got.size === e.size;
    checks.set(e.evidenceId, {
      status: match ? ok : 'mismatch',
      actualSha256: got.sha256,
      actualSize: got.size,
      ...(bundledAs ? { bundledAs } : {}),
    });
    if (!match)
      problems.push(
        `${where(e)}: HASH MISMATCH — journal says sha256 ${e.sha256} (${e.size} bytes), the file now has ${got.sha256} (${got.size} bytes)`,
      );
  };
  const recordMissing = (e: EvidenceFact, why: string) => {
    checks.set(e.evidenceId, { status: 'missing', error: why });
    problems.push(`${where(e)}: MISSING — ${why}`);
  };
  for (const e of facts.evidence) {
    const id = neutraliseLine(e.evidenceId);
    const src = sourceOf(e);
    if (e.source === SOURCE_FILE) {
      // An imported input file: re-hashed where it is, never copied. It holds the records as the
      // attacker wrote them, secrets included (the journal keeps only redacted copies), so the
      // bundle names it and proves it unchanged; it is handed over through its own chain.
      try {
        const got = await hashFile(src);
        recordHash(e, got, 'in-place');
      } catch (err) {
        recordMissing(e, ioWhy(err));
      }
      continue;
    }
    const refusal = await refuse(e.evidenceId, src, roots);
    if (refusal) {
      checks.set(e.evidenceId, { status: 'refused', error: refusal.why });
      problems.push(`seq ${e.seq} ${id}: REFUSED — ${refusal.why}`);
      continue;
    }
    const rel = join('evidence', `${e.evidenceId}-${basename(e.path).replace(/[^\w.-]/g, '_')}`);
    try {
      // The real path, checked above: a symlink swapped in after the check still cannot redirect the copy.
      const got = await hashAndCopy(await realpath(src), join(dir, rel));
      recordHash(e, got, 'match', rel);
    } catch (err) {
      recordMissing(e, ioWhy(err));
    }
  }
  const m = buildManifest(facts, v, checks);
  await writeFile(join(dir, 'manifest.json'), manifestJson(m), { flag: 'wx' });
  await writeFile(join(dir, 'manifest.md'), manifestMarkdown(m), { flag: 'wx' });
  const matched = [...checks.values()].filter((c) => c.status === 'match' || c.status === 'in-place').length;
  const summary = `bundle ${dir}: journal ${v.ok ? 'intact' : 'NOT INTACT'} (${v.records} records), ${facts.evidence.length} artifacts, ${matched} re-hashed OK, ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return { ok: problems.length === 0, dir, problems, summary };
}

/** Why a file could not be read, in firebreak's words: the error code, never the exception text. */
function ioWhy(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
}

/**
 * Where a bundle may copy evidence from: the journal's evidence folder (`<journal>.evidence`, where
 * actions write) and `evidence/` beside the journal (where hand-collected files are kept), each as
 * its real path. A journal is attacker-forgeable (anyone can write a valid chain), so a recorded
 * path is a claim, never a licence to copy `/etc/shadow` or `~/.aws/credentials` into a hand-off.
 */
async function evidenceRoots(file: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of [`${file}.evidence`, join(dirname(file), 'evidence')]) {
    try {
      out.push(await realpath(d));
    } catch {
      // absent: nothing can be bundled from it
    }
  }
  return out;
}

/**
 * Why an artifact must not be bundled, or undefined when it may be (or is simply missing, which the
 * copy reports). The id becomes a file name in the bundle; the file's real path (symlinks followed)
 * must lie inside an evidence root.
 */
async function refuse(evidenceId: string, src: string, roots: readonly string[]): Promise<{ why: string } | undefined> {
  if (!EVIDENCE_ID.test(evidenceId))
    return { why: 'the evidence id is not a plain name (letters, digits, . _ -); it could write outside the bundle' };
  let real: string;
  try {
    real = await realpath(src);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { why: `cannot resolve the path: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  const inside = roots.some((r) => {
    const rel = relative(r, real);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  });
  return inside ? undefined : { why: `the file is outside the journal's evidence folder (${neutraliseLine(real)})` };
}

/** `firebreak update FILE --audience A [--file MD]`: records the update as sent (the file, or the generated draft). */
export async function recordUpdateFromFile(
  file: string,
  audience: Audience,
  o: { markdown?: string; actor?: string; now?: Date } = {},
): Promise<{ seq: number; bytes: number }> {
  const { store, journal } = await openIncident(file, o.actor ? { actor: o.actor } : {});
  try {
    const markdown =
      o.markdown ??
      updateMarkdown(
        await factsFromState(store.getState().state, o.now ?? new Date(), store.getState().meta.loadedSeq),
        audience,
      );
    if (!markdown.trim()) throw new Error('the update is empty: nothing recorded');
    await store.getState().actions.recordUpdate({ audience, markdown });
    return { seq: store.getState().state.seq, bytes: Buffer.byteLength(markdown) };
  } finally {
    await journal?.close();
  }
}

export async function readMarkdown(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot read the update: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}
