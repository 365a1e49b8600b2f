// Journals written by earlier versions of the format stay readable: test/fixtures/journal/v1.jsonl
// was written by the v1 writer (canonical JSON, sorted keys) and signed with the key whose public
// half is v1-signing.pub (the private half was thrown away). It must open, verify, take appends
// and verify again, forever.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, TrustedRecordError } from '../../../src/journal/journal.js';
import {
  checkpointMessage,
  generateSigningKeys,
  loadPublicKey,
  loadSigner,
  signCheckpoint,
} from '../../../src/journal/signing.js';
import { genesisHash, sealLine } from '../../../src/journal/chain.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import type { ScannedRecord } from '../../../src/journal/scan.js';
import { tempDir } from '../../helpers/tmp.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/journal');
const V1 = join(FIXTURES, 'v1.jsonl');
const V1_PUB = join(FIXTURES, 'v1-signing.pub');

function copyOfV1(): string {
  const file = join(tempDir(), 'v1.jsonl');
  copyFileSync(V1, file);
  return file;
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a v1 journal', () => {
  it('opens, folding every record, and verifies with the key it was signed with', async () => {
    const file = copyOfV1();
    const seen: ScannedRecord[] = [];
    const { journal, scan } = await Journal.open(file, (r) => seen.push(r), { actor: 'bob', signer: null });
    await journal.close();
    expect(scan.failure).toBeUndefined();
    expect(scan.incidentId).toBe('INC-2026-101');
    expect(seen.map((r) => r.record.type)).toEqual([
      'incident.opened',
      'note.added',
      'severity.set',
      'checkpoint',
      'event.ingested',
      'detection.raised',
      'phase.set',
      'checkpoint',
      'note.added',
      'checkpoint',
    ]);
    // Opening for writing with nothing to add changes no byte.
    expect(readFileSync(file)).toEqual(readFileSync(V1));
    const v = await verifyJournal(file, { publicKey: loadPublicKey(V1_PUB) });
    expect(v.message).toMatch(/OK — INC-2026-101: 10 records, chain intact/);
    expect(v.message).toMatch(/signed through the last record \(seq 10/);
  });

  it('takes appends after its last record and verifies again', async () => {
    const file = copyOfV1();
    const before = lines(file);
    const { journal } = await Journal.open(file, () => undefined, { actor: 'bob', signer: null });
    await journal.append('note.added', { text: 'appended after the upgrade' });
    await journal.append('severity.set', { level: 0, reason: 'exfiltration confirmed' });
    await journal.close();
    const after = lines(file);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]!.prev).toBe(before.at(-1)!.hash);
    expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1));
    // The appends are v2 (a checkpoint follows the severity call), chained onto the v1 lines.
    expect(after.map((r) => r.v)).toEqual([...before.map(() => 1), 2, 2, 2]);
    const v = await verifyJournal(file);
    expect(v.ok, v.message).toBe(true);
    expect(v.scan.records).toBe(13);
    expect(v.scan.byVersion).toEqual({ 1: 10, 2: 3 });
    expect(v.message).toMatch(/checked 10 v1 lines \(canonical JSON, re-serialised and compared byte for byte\)/);
    expect(v.message).toMatch(/3 v2 lines \(hashed as written, not re-serialised; envelope in order, valid UTF-8\)$/);
  });
});

/** The v1 fixture with two v2 notes appended: lines 11 and 12. */
async function mixed(): Promise<string> {
  const file = copyOfV1();
  const { journal } = await Journal.open(file, () => undefined, { actor: 'bob', signer: null });
  await journal.append('note.added', { text: 'alpha after upgrade' });
  await journal.append('note.added', { text: 'bravo after upgrade' });
  await journal.close();
  return file;
}

/** `file` with the first occurrence of `from` changed to `to` (same length: one byte). */
function flip(file: string, from: string, to: string): void {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(from);
  expect(at).toBeGreaterThan(0);
  bytes.write(to, at, 'utf8');
  writeFileSync(file, bytes);
}

describe('a journal of v1 then v2 lines', () => {
  it('names a v2 line whose data changed by one byte, and writers refuse it', async () => {
    const file = await mixed();
    flip(file, 'bravo after', 'Bravo after');
    const v = await verifyJournal(file);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/NOT INTACT — first bad record: seq 12 \(line 12\): hash does not match/);
    await expect(Journal.open(file, () => undefined, { signer: null })).rejects.toThrow(/line 12 \(seq 12\)/);
  });

  it('names a v1 line changed by one byte, before the v2 ones', async () => {
    const file = await mixed();
    flip(file, 'last v1 note', 'last v1 nose');
    const v = await verifyJournal(file);
    expect(v.message).toMatch(/first bad record: seq 9 \(line 9\): hash does not match/);
  });

  it('breaks at the first v2 line when it is chained to another v1 head', async () => {
    const file = await mixed();
    const ls = readFileSync(file, 'utf8').split('\n');
    // Line 11's prev points at line 9's hash instead of line 10's: resealing cannot hide it.
    const r = JSON.parse(ls[10]!) as Record<string, unknown>;
    const other = (JSON.parse(ls[8]!) as { hash: string }).hash;
    const { sealHead } = await import('../../../src/journal/chain.js');
    const { recordHead } = await import('../../../src/journal/format.js');
    const forged = sealHead(
      recordHead(r.seq as number, r.ts as string, r.type as string, r.actor as string, JSON.stringify(r.data), other),
    );
    ls[10] = forged.bytes.toString('utf8').trimEnd();
    writeFileSync(file, ls.join('\n'));
    const v = await verifyJournal(file);
    expect(v.message).toMatch(/seq 11 \(line 11\): prev does not match the previous record \(chain broken\)/);
  });
});

describe('signed checkpoints across formats', () => {
  it('a v1 journal signed with a key takes v2 appends signed with it, and verifies through its last record', async () => {
    const k = generateSigningKeys(join(tempDir(), 'keys'));
    const file = join(tempDir(), 'j.jsonl');
    const signer = loadSigner(k.privateFile, file);
    // What the v1 writer wrote: record 1, a note, and a signed checkpoint over them.
    const id = 'INC-2026-103';
    const ts = '2026-03-14T09:00:00.000Z';
    let prev = genesisHash(id);
    const out: string[] = [];
    const put = (seq: number, type: string, actor: string, data: unknown) => {
      const sealed = sealLine(canonicalRecord({ v: 1, seq, ts, type, actor, data, prev }));
      out.push(sealed.line);
      prev = sealed.hash;
    };
    put(1, 'incident.opened', 'alice', { incidentId: id, title: 'signed v1', mode: 'drill' });
    put(2, 'note.added', 'alice', { text: 'before the upgrade' });
    const sig = signCheckpoint(signer, checkpointMessage(id, 3, ts, 2, prev));
    put(3, 'checkpoint', 'firebreak', { records: 2, head: prev, sig, key: signer.keyId });
    writeFileSync(file, out.join('\n') + '\n');
    const pub = loadPublicKey(k.publicFile);
    expect((await verifyJournal(file, { publicKey: pub })).message).toMatch(/signed through the last record \(seq 3/);

    const { journal } = await Journal.open(file, () => undefined, { signer });
    await journal.append('note.added', { text: 'after the upgrade' });
    await journal.close();
    const v = await verifyJournal(file, { publicKey: pub });
    expect(v.ok, v.message).toBe(true);
    // Closing signed a v2 checkpoint through the v2 note.
    expect(v.message).toMatch(/signed through the last record \(seq 5/);
    expect(v.scan.byVersion).toEqual({ 1: 3, 2: 2 });
  });
});

describe('trusted records', () => {
  it('are checked under the test runner, and a wrong one fails the append instead of being left out', async () => {
    const file = join(tempDir(), 'j.jsonl');
    const j = await Journal.create(
      file,
      { incidentId: 'INC-2026-102', title: 'trusted', mode: 'drill' },
      { signer: null },
    );
    const bad = { ruleId: '', title: 't', severity: 1, eventKeys: [], why: 'w' } as const;
    await expect(j.append('detection.raised', bad, { trusted: true })).rejects.toBeInstanceOf(TrustedRecordError);
    await expect(
      j.appendMany([{ type: 'detection.raised', data: { ...bad, ruleId: 'r', extra: 1 }, trusted: true }]),
    ).rejects.toThrow(/data has fields its schema does not/);
    // Untrusted, the same record is an ordinary refusal, listed with its reason.
    const placed = await j.appendMany([{ type: 'detection.raised', data: bad }]);
    expect(placed.rejected[0]!.reason).toMatch(/detection.raised: data.ruleId/);
    await j.append('detection.raised', { ...bad, ruleId: 'r' }, { trusted: true });
    await j.close();
    expect((await verifyJournal(file)).scan.records).toBe(2);
  });
});
