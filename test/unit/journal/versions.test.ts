// Journals written by earlier versions of the format stay readable: test/fixtures/journal/v1.jsonl
// was written by the v1 writer (canonical JSON, sorted keys) and signed with the key whose public
// half is v1-signing.pub (the private half was thrown away). It must open, verify, take appends
// and verify again, forever.

import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/journal/journal.js';
import { loadPublicKey } from '../../../src/journal/signing.js';
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
    const v = await verifyJournal(file);
    expect(v.ok, v.message).toBe(true);
    expect(v.scan.records).toBe(13);
  });
});
