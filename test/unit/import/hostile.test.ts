// Hostile evidence files: a record nested thousands deep, a number JSON.parse turns into ±Infinity,
// bytes that are not UTF-8. Each costs only its own record, named by file:line or "record N";
// the records before and after it, and the files after it, still come in.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  formatImportSummary,
  importExitCode,
  importFilesInto,
  importInto,
  runImport,
  type ImportSummary,
} from '../../../app/commands/import.js';
import { openAppendIO, type JournalIO } from '../../../src/journal/io.js';
import { CommandError } from '../../../store/store.js';
import { openIncident } from '../../../store/open.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, makeJournal } from './helpers.js';

const now = () => new Date('2026-04-20T15:00:00.000Z');
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** A CloudTrail log whose records are given as raw JSON text (JSON.stringify cannot write 1e999). */
function rawLog(file: string, records: string[], gzip = false): Buffer {
  const text = `{"Records":[${records.join(',')}]}`;
  const bytes = gzip ? gzipSync(text) : Buffer.from(text);
  writeFileSync(file, bytes);
  return bytes;
}

const rec = (i: number) => JSON.stringify(ctRecord(i));
/** A record with `value` spliced in as its requestParameters.key. */
const withValue = (i: number, value: string) =>
  JSON.stringify(ctRecord(i, { requestParameters: { bucketName: 'b', key: '@@' } })).replace('"@@"', value);

function allText(s: ImportSummary): string {
  return formatImportSummary(s);
}

function expectNoRawErrors(text: string): void {
  expect(text).not.toMatch(
    /Maximum call stack|RangeError|SyntaxError|TypeError|at position \d|Unexpected token|\bE[A-Z]{3,}:/,
  );
}

async function eventCount(journal: string): Promise<number> {
  const { store } = await openIncident(journal, { readOnly: true });
  return store.getState().state.eventIndex.size;
}

describe('import: hostile records cost only themselves', () => {
  it('a JSON-array log with deep nesting, 1e999 and -1e999 in its 2nd batch: the rest is imported, each named by record N', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json.gz');
    const records: string[] = [];
    for (let i = 1; i <= 30; i++) records.push(rec(i));
    records[14] = withValue(15, '1e999'); // record 15: batch 2 (batchSize 10)
    records[16] = withValue(17, '-1e999'); // record 17
    records[18] = withValue(19, deep(5000)); // record 19
    rawLog(file, records, true);
    const later = join(dir, 'later.json');
    rawLog(later, [rec(100), rec(101)]);

    const s = await runImport([file, later], { journal, now, batchSize: 10 });
    const text = allText(s);
    expectNoRawErrors(text);
    expect(s.imported).toBe(29);
    expect(s.problemCount).toBe(3);
    expect(text).toContain(`${file}: record 15: a number too large to represent`);
    expect(text).toContain(`${file}: record 17: a number too large to represent`);
    expect(text).toContain(`${file}: record 19: nested deeper than 256 levels`);
    expect(importExitCode(s)).toBe(1);
    expect(await eventCount(journal)).toBe(29);
  });

  it('a k8s audit log (JSON lines) with a 3,000-deep line, 1e999 and invalid UTF-8: named by file:line', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const good = readFileSync(join(__dirname, '../../fixtures/import/k8s-audit.log'), 'utf8').trim().split('\n');
    const first = JSON.parse(good[0]!) as Record<string, unknown>;
    const line = (id: string, extra: string) =>
      JSON.stringify({ ...first, auditID: id, requestObject: '@@' }).replace('"@@"', extra);
    const file = join(dir, 'audit.log');
    const bad = Buffer.from(line('bad-utf8', '"x"'));
    const at = bad.indexOf('"x"') + 1;
    bad[at] = 0xff;
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${line('a1', '{}')}\n${line('deep', `{"a":${deep(3000)}}`)}\n${line('inf', '{"n":1e999}')}\n`),
        bad,
        Buffer.from(`\n${line('a2', '{}')}\n`),
      ]),
    );
    const s = await runImport([file], { journal, now });
    const text = allText(s);
    expectNoRawErrors(text);
    expect(s.imported).toBe(2);
    expect(text).toContain(`${file}:2: nested deeper than 256 levels`);
    expect(text).toContain(`${file}:3: a number too large to represent`);
    expect(text).toContain(`${file}:4: not valid UTF-8`);
  });

  it('a record with a malformed optional field is imported with a warning naming file, record and field', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json');
    const odd = JSON.stringify({ ...ctRecord(2), userAgent: 42, resources: null });
    rawLog(file, [rec(1), odd, rec(3)]);
    const s = await runImport([file], { journal, now });
    expect(s.imported).toBe(3);
    expect(s.problemCount).toBe(0);
    const text = allText(s);
    expect(text).toContain('imported, with malformed fields ignored');
    expect(text).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: record 2: userAgent: .* — ignored`),
    );
    expect(importExitCode(s)).toBe(0);
    expect(await eventCount(journal)).toBe(3);
  });

  it("an unparseable line says so in a sentence, without JSON.parse's own words", async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json');
    rawLog(file, [rec(1), '{"a":tru}', rec(2)]);
    const s = await runImport([file], { journal, now });
    expect(s.imported).toBe(2);
    const text = allText(s);
    expectNoRawErrors(text);
    expect(text).toContain(`${file}: record 2: not valid JSON`);
  });
});

describe('import: paths that cannot be read are reported, the others still imported', () => {
  it('a missing path between two good paths', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    rawLog(a, [rec(1)]);
    rawLog(b, [rec(2)]);
    const missing = join(dir, 'nope.json');
    const s = await runImport([a, missing, b], { journal, now });
    expect(s.imported).toBe(2);
    expect(allText(s)).toContain(`${missing}: no such file or directory`);
    expect(importExitCode(s)).toBe(1);
  });

  it('a top-level symlink loop and a loop inside a directory', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    const ev = join(dir, 'ev');
    mkdirSync(ev);
    rawLog(join(ev, 'a.json'), [rec(1)]);
    symlinkSync(join(ev, 'x'), join(ev, 'y'));
    symlinkSync(join(ev, 'y'), join(ev, 'x'));
    symlinkSync(ev, join(ev, 'self')); // a directory loop: visited once, not reported
    const b = join(dir, 'b.json');
    rawLog(b, [rec(2)]);
    const s = await runImport([loop, ev, b], { journal, now });
    const text = allText(s);
    expectNoRawErrors(text);
    expect(s.imported).toBe(2);
    expect(text).toContain(`${loop}: a symbolic link loop`);
    expect(text).toContain(`${join(ev, 'x')}: a symbolic link loop`);
  });
});

describe('import: the source files themselves are evidence', () => {
  it('records sha256 of the bytes on disk (gzip as stored), size, path and custody, and says so', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json.gz');
    const bytes = rawLog(file, [rec(1), rec(2)], true);
    const s = await runImport([file], { journal, now, batchSize: 1 });
    const { store } = await openIncident(journal, { readOnly: true });
    const st = store.getState().state;
    const ev = st.evidence.filter((e) => e.source === 'source-file');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      path: resolve(file),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(st.custody.some((c) => c.evidenceId === ev[0]!.evidenceId)).toBe(true);
    expect(s.sourceFiles).toHaveLength(1);
    expect(allText(s)).toContain(`sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
  });
});

describe("the cockpit's :import", () => {
  it('names the poison record in its note and footer, and imports the rest', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json');
    rawLog(file, [rec(1), withValue(2, deep(4000)), rec(3)]);
    const opened = await openIncident(journal, {});
    try {
      const r = await importFilesInto(opened.store, journal, { now })([file]);
      expect(r).toEqual({
        ok: false,
        summary: 'imported 2 new events from 1 file (1 problem — see the timeline note)',
      });
      const st = opened.store.getState().state;
      const note = st.timeline
        .slice(0, st.timeline.length)
        .filter((t) => t.kind === 'note')
        .at(-1)!.text;
      expect(note).toContain(`${file}: record 2: nested deeper than 256 levels`);
      expect(note).toContain('source files recorded as evidence');
      expectNoRawErrors(note);
    } finally {
      await opened.journal?.close();
    }
  });
});

describe('import: a stop half-way says what went in', () => {
  it('a real write failure (ENOSPC on the 3rd batch): STOPPED with the journal path, what went in, exit 2', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json');
    rawLog(
      file,
      Array.from({ length: 45 }, (_, i) => rec(i + 1)),
    );
    let writes = 0;
    const io = async (f: string, flags: 'a' | 'ax'): Promise<JournalIO> => {
      const real = await openAppendIO(f, flags);
      return {
        write: async (b) => {
          // Batches 1 and 2 (10 events each) land; the disk fills on the 3rd.
          if (++writes >= 3) throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
          await real.write(b);
        },
        sync: real.sync,
        close: real.close,
      };
    };
    const opened = await openIncident(journal, { io });
    let s: ImportSummary;
    try {
      s = await importInto(opened.store, [file], { journal, now, batchSize: 10, onEvents: async () => 0 });
    } finally {
      await opened.journal?.close().catch(() => undefined);
    }
    expect(s.stopped).toContain(`journal ${journal} is UNSAFE`);
    // Group commit may merge two in-flight batches into one write: the count is what is on disk.
    const onDisk = await eventCount(journal);
    expect(onDisk).toBeGreaterThanOrEqual(10);
    expect(onDisk).toBeLessThan(45);
    expect(s.imported).toBe(onDisk);
    expect(importExitCode(s)).toBe(2);
    const text = allText(s);
    expect(text.split('\n')[0]).toMatch(/^import STOPPED: journal .* is UNSAFE .*firebreak verify/);
    expect(text).toContain(`imported ${onDisk} new events`);
  });

  it('a journal that goes UNSAFE on the 2nd batch: the summary counts the 1st and names the stop', async () => {
    const dir = tempDir('fb-hostile-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'ct.json');
    rawLog(
      file,
      Array.from({ length: 25 }, (_, i) => rec(i + 1)),
    );
    const opened = await openIncident(journal, {});
    const actions = opened.store.getState().actions;
    const real = actions.ingestEvents.bind(actions);
    let calls = 0;
    actions.ingestEvents = async (events, actor) => {
      if (++calls >= 2)
        throw new CommandError(`journal UNSAFE (ENOSPC: no space left on device, write); nothing more can be recorded`);
      return real(events, actor);
    };
    try {
      const s = await importInto(opened.store, [file], { journal, now, batchSize: 10 });
      expect(s.stopped).toMatch(/journal UNSAFE/);
      expect(s.imported).toBe(10);
      expect(importExitCode(s)).toBe(2);
      const text = allText(s);
      expect(text).toMatch(/^import STOPPED: /m);
      expect(text).toContain('imported 10 new events');
      expectNoRawErrors(text.replace(/ENOSPC: no space left on device, write/, ''));
      // The cockpit's :import answers with the same counts, not an exception.
      const r = await importFilesInto(opened.store, journal, { now, batchSize: 10 })([file]);
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(/stopped/);
    } finally {
      await opened.journal?.close();
    }
  });
});
