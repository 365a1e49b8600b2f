// verify --expect-head: a head hash copied earlier anchors the journal. A cut tail, a re-chained
// tail and a replaced file all lose that hash; an honest journal that grew still contains it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/journal/journal.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { sealLine } from '../../../src/journal/chain.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Anchors', mode: 'drill' as const };

async function journalWith(notes: number): Promise<{ file: string; head: string }> {
  const file = join(tempDir(), 'j.jsonl');
  const j = await Journal.create(file, OPENED, { actor: 't' });
  for (let i = 0; i < notes; i++) await j.append('note.added', { text: `note ${i}` });
  const head = j.health.head;
  await j.close();
  return { file, head };
}

/** Rewrites the records from `from` (1-based seq) on with a fresh, valid chain: a forger's edit. */
function rechain(file: string, from: number, edit: (r: Record<string, unknown>) => void): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  let prev = (JSON.parse(lines[from - 2]!) as { hash: string }).hash;
  const out = lines.slice(0, from - 1);
  for (const l of lines.slice(from - 1)) {
    const { hash: _h, ...r } = JSON.parse(l) as Record<string, unknown>;
    r.prev = prev;
    edit(r);
    const sealed = sealLine(canonicalRecord(r as unknown as Parameters<typeof canonicalRecord>[0]));
    prev = sealed.hash;
    out.push(sealed.line);
  }
  writeFileSync(file, out.join('\n') + '\n');
}

describe('verify --expect-head', () => {
  it('prints the full head hash', async () => {
    const { file, head } = await journalWith(2);
    const v = await verifyJournal(file);
    expect(v.message).toContain(`head ${head}`);
    expect(head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a journal that still contains and extends the copied head', async () => {
    const { file, head } = await journalWith(3);
    const { journal } = await Journal.open(file, () => {});
    await journal.append('note.added', { text: 'later' });
    await journal.close();
    const v = await verifyJournal(file, { expectHead: head.toUpperCase() });
    expect(v.ok).toBe(true);
    expect(v.message).toMatch(/expected head at seq 4 and extends it by 1 records/);
  });

  it('fails on a deleted tail, a re-chained tail and a replaced file, though each verifies alone', async () => {
    const cut = await journalWith(4);
    const lines = readFileSync(cut.file, 'utf8').split('\n');
    writeFileSync(cut.file, lines.slice(0, 3).join('\n') + '\n');
    expect((await verifyJournal(cut.file)).ok).toBe(true);
    const c = await verifyJournal(cut.file, { expectHead: cut.head });
    expect(c.ok).toBe(false);
    expect(c.message).toMatch(
      /NOT THE JOURNAL YOU COPIED.*deleted, rewritten and re-chained, or the file was replaced/,
    );

    const re = await journalWith(4);
    rechain(re.file, 3, (r) => {
      if (r.seq === 3) (r.data as { text: string }).text = 'nothing happened';
    });
    expect((await verifyJournal(re.file)).ok).toBe(true);
    expect((await verifyJournal(re.file, { expectHead: re.head })).ok).toBe(false);

    const a = await journalWith(2);
    const b = await journalWith(2);
    writeFileSync(a.file, readFileSync(b.file));
    expect((await verifyJournal(a.file)).ok).toBe(true);
    expect((await verifyJournal(a.file, { expectHead: a.head })).ok).toBe(false);
  });

  it('refuses a shortened hash instead of matching a prefix', async () => {
    const { file, head } = await journalWith(1);
    const v = await verifyJournal(file, { expectHead: head.slice(0, 16) });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/full 64-hex-digit/);
  });
});
