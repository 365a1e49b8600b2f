import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatImportSummary, importExitCode, runImport, type ImportSummary } from '../../../app/commands/import.js';
import { openIncident } from '../../../store/open.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  assumeRoleRecord,
  ctRecord,
  FIXTURES,
  logKey,
  logText,
  makeJournal,
  SESSION_TOKEN,
  writeLog,
} from './helpers.js';

const now = () => new Date('2026-04-20T15:00:00.000Z');

async function eventsIn(journal: string): Promise<Map<string, { action: string; outcome: string }>> {
  const { store } = await openIncident(journal, { readOnly: true });
  const out = new Map<string, { action: string; outcome: string }>();
  const { events, eventIndex } = store.getState().state;
  for (const [k, i] of eventIndex) out.set(k, events.at(i)!);
  return out;
}

function problem(s: ImportSummary, kind: string) {
  return s.problems.find((p) => p.kind === kind);
}

describe('firebreak import', () => {
  it('imports every format from a mixed directory tree, .json and .json.gz, in one pass', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const ev = join(dir, 'evidence');
    writeLog(join(ev, logKey('us-east-1', '20260420T1435Z', 'aaaaaaaaaaaaaaaa')), [ctRecord(1), ctRecord(2)]);
    writeLog(join(ev, 'AWSLogs/123456789012/CloudTrail/eu-west-1/2026/04/20/plain.json'), [ctRecord(3)]);
    writeLog(join(ev, 'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/04/20/d.json.gz'), []);
    mkdirSync(join(ev, 'k8s'));
    copyFileSync(join(FIXTURES, 'k8s-audit.log'), join(ev, 'k8s', 'audit.log'));
    writeFileSync(join(ev, 'k8s', 'falco.json.gz'), gzipSync(readFileSync(join(FIXTURES, 'falco.json'))));
    copyFileSync(join(FIXTURES, 'lookup-events.json'), join(ev, 'lookup.json'));

    const s = await runImport([ev], { journal, now });
    // 3 S3 records + 4 audit requests (one exec seen at two stages) + 2 Falco + 2 lookup-events.
    expect(s).toMatchObject({ files: 5, records: 12, imported: 11, duplicates: 0, stagesMerged: 1, problemCount: 0 });
    // The exec into a pod and the Falco alerts raise detections, journaled after their events.
    expect(s.detections).toBeGreaterThanOrEqual(2);
    expect(s.skipped.map((g) => g.kind)).toEqual(['CloudTrail-Digest folder (give --digests to validate)']);
    expect(importExitCode(s)).toBe(0);

    const held = await eventsIn(journal);
    expect([...held.keys()].map((k) => k.split(':')[0]).sort()).toEqual([
      ...Array<string>(5).fill('cloudtrail'),
      ...Array<string>(2).fill('falco'),
      ...Array<string>(4).fill('k8s-audit'),
    ]);
    // The exec keeps the outcome of its final stage (ResponseComplete), one event per auditID.
    expect(held.get('k8s-audit:7c1f3e2a-0001-4b1e-9a10-000000000001')).toMatchObject({
      action: 'create exec',
      outcome: 'success',
    });
    expect(formatImportSummary(s)).toMatch(/imported 11 new events .* from 5 files \(12 records read\)/);
    expect(formatImportSummary(s)).toContain(`detections raised: ${s.detections}`);

    // Re-import: nothing new, everything a duplicate, and that is still a success.
    const again = await runImport([ev], { journal, now });
    expect(again).toMatchObject({ imported: 0, duplicates: 11, problemCount: 0 });
    expect(importExitCode(again)).toBe(0);
    expect((await eventsIn(journal)).size).toBe(11);
  });

  it('imports what precedes the break in a truncated .json.gz and names the file', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const records = Array.from({ length: 400 }, (_, i) =>
      ctRecord(i, { userAgent: `agent-${i}-${'z'.repeat(i % 50)}` }),
    );
    const gz = gzipSync(logText(records));
    const file = join(dir, 'cut.json.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    writeLog(join(dir, 'good.json'), [ctRecord(1000)]);

    const s = await runImport([dir], { journal, now });
    const p = problem(s, 'corrupt-gzip');
    expect(p?.count).toBe(1);
    expect(p?.examples[0]).toMatch(
      new RegExp(`^${file}: gzip stream broken: it ends early \\(truncated\\).*after record \\d+`),
    );
    expect(s.imported).toBeGreaterThan(100);
    expect(s.imported).toBeLessThan(401);
    // "after record N" counts complete records: all imported but good.json's one.
    expect(Number(/after record (\d+)/.exec(p!.examples[0]!)![1])).toBe(s.imported - 1);
    expect(importExitCode(s)).toBe(1);
    expect((await eventsIn(journal)).has('cloudtrail:00000000-0000-4000-8000-000000001000')).toBe(true);
  });

  it('names the file and line of a bad JSON line in an audit log and imports the rest', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const lines = readFileSync(join(FIXTURES, 'k8s-audit.log'), 'utf8').trim().split('\n');
    lines.splice(2, 0, '{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":');
    const file = join(dir, 'audit.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await runImport([file], { journal, now });
    expect(problem(s, 'bad-json')).toMatchObject({
      count: 1,
      examples: [expect.stringMatching(new RegExp(`^${file}:3: `))],
    });
    expect(s).toMatchObject({ imported: 4, records: 6 });
    expect(importExitCode(s)).toBe(1);
    expect(formatImportSummary(s)).toContain(`${file}:3: `);
  });

  it('names a record of the wrong shape by its index, and imports the others', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'log.json');
    writeLog(file, [ctRecord(1), { eventName: 'NoId', eventTime: 'yesterday' }, ctRecord(3)]);
    const s = await runImport([file], { journal, now });
    expect(problem(s, 'wrong-shape')).toMatchObject({
      count: 1,
      examples: [expect.stringMatching(new RegExp(`^${file}: record 2: not a CloudTrail record: eventID`))],
    });
    expect(s.imported).toBe(2);
  });

  it('reports an unrecognised file and a truncated plain .json, importing the good ones', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    writeFileSync(join(dir, 'notes.txt'), 'attacker ran \x1b[2Jsomething\n');
    const text = logText([ctRecord(1), ctRecord(2)]);
    writeFileSync(join(dir, 'short.json'), text.slice(0, -30));
    const s = await runImport([dir], { journal, now });
    expect(s.imported).toBe(1);
    expect(problem(s, 'unrecognised')?.count).toBe(1);
    expect(problem(s, 'truncated')?.examples[0]).toMatch(/short\.json: input ends inside record 2 \(truncated\?\)/);
  });

  it('never writes an AssumeRole session token to the journal file', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    writeLog(join(dir, 'sts.json.gz'), [assumeRoleRecord(1), ctRecord(2)]);
    const s = await runImport([dir], { journal, now });
    expect(s.imported).toBe(2);
    const bytes = readFileSync(journal, 'utf8');
    expect(bytes).not.toContain(SESSION_TOKEN);
    expect(bytes).not.toContain(SESSION_TOKEN.slice(0, 40));
    expect(bytes).toContain('[REDACTED:aws-session-token:');
    // The key id stays: investigators pivot on it.
    expect(bytes).toContain('ASIAQWERTYUIOPASDFGH');
  });

  it('streams a 50k-record CloudTrail file in group-committed batches', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'big.json.gz');
    writeLog(
      file,
      Array.from({ length: 50_000 }, (_, i) => ctRecord(i)),
    );
    let batches = 0;
    const s = await runImport([file], {
      journal,
      now,
      onEvents: async (events) => {
        batches++;
        expect(events.length).toBeLessThanOrEqual(1000);
        return 0;
      },
    });
    expect(s).toMatchObject({
      files: 1,
      records: 50_000,
      imported: 50_000,
      duplicates: 0,
      problemCount: 0,
      detections: 0,
    });
    expect(batches).toBe(50);
    expect((await eventsIn(journal)).size).toBe(50_000);
  });

  it("counts every batch's detections when two batches are in flight", async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    const file = join(dir, 'many.json.gz');
    writeLog(
      file,
      Array.from({ length: 5_000 }, (_, i) => ctRecord(i)),
    );
    let raised = 0;
    let calls = 0;
    let second!: () => void;
    const secondStarted = new Promise<void>((r) => (second = r));
    const s = await runImport([file], {
      journal,
      now,
      batchSize: 500,
      // The first batch's detection pass finishes only after the second one started: the two
      // overlap, as they do when a slow fsync holds the first batch.
      onEvents: async (events) => {
        const n = ++calls;
        if (n === 2) second();
        if (n === 1) await secondStarted;
        raised += events.length;
        return events.length;
      },
    });
    expect(raised).toBe(5_000);
    expect(s.detections).toBe(5_000);
  });

  it('appends after what the journal already held and leaves it verifiable', async () => {
    const dir = tempDir('fb-imp-');
    const journal = await makeJournal(dir);
    appendFileSync(join(dir, 'x.json'), logText([ctRecord(1)]));
    await runImport([join(dir, 'x.json')], { journal, now });
    const { verifyJournal } = await import('../../../src/journal/verify.js');
    expect((await verifyJournal(journal)).ok).toBe(true);
  });

  it('refuses a journal that does not exist, saying how to create one', async () => {
    const dir = tempDir('fb-imp-');
    await expect(runImport([FIXTURES], { journal: join(dir, 'nope.jsonl') })).rejects.toThrow(
      /does not exist: create the journal first with "firebreak new/,
    );
    const journal = await makeJournal(dir);
    await expect(runImport([join(dir, 'missing')], { journal })).rejects.toThrow(/missing: no such file or directory/);
    await expect(runImport([FIXTURES], { journal, publicKeys: ['k.pem'] })).rejects.toThrow(
      /--public-key needs --digests/,
    );
  });
});
