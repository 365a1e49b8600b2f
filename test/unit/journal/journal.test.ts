import { readFileSync, writeFileSync, statSync, readdirSync, appendFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/journal/journal.js';
import {
  JournalCorruptError,
  JournalLockedError,
  JournalUnsafeError,
  RecordInvalidError,
} from '../../../src/journal/errors.js';
import { openAppendIO, type JournalIO } from '../../../src/journal/io.js';
import { scanJournal, readRecordAt, type ScannedRecord } from '../../../src/journal/scan.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { genesisHash, sha256Hex } from '../../../src/journal/chain.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Anomalous production database access', mode: 'drill' as const };

async function fresh(dir: string, opts = {}): Promise<{ file: string; j: Journal }> {
  const file = join(dir, 'incident.jsonl');
  return { file, j: await Journal.create(file, OPENED, { actor: 'alice', ...opts }) };
}

async function all(file: string): Promise<ScannedRecord[]> {
  const out: ScannedRecord[] = [];
  const r = await scanJournal(file, (x) => out.push(x));
  expect(r.failure).toBeUndefined();
  return out;
}

describe('journal format', () => {
  it('writes one sealed, chained record per line with the fields in order', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.append('severity.set', { level: 1, reason: 'compromised role' });
    await j.append('note.added', { text: 'GuardDuty finding confirmed' });
    await j.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    // The severity change is a milestone: the journal's own checkpoint follows it.
    expect(lines).toHaveLength(5);
    const recs = lines.slice(0, 4).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]!.startsWith('{"v":2,"seq":1,"ts":"')).toBe(true);
    expect(recs.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(recs.map((r) => r.type)).toEqual(['incident.opened', 'severity.set', 'checkpoint', 'note.added']);
    expect(recs[0]!.prev).toBe(genesisHash('INC-2026-042'));
    for (let i = 1; i < recs.length; i++) expect(recs[i]!.prev).toBe(recs[i - 1]!.hash);
    expect(recs[2]!.data).toEqual({ records: 2, head: recs[1]!.hash });
    expect(recs[2]!.actor).toBe('firebreak');
    for (const [i, r] of recs.entries()) {
      const { hash, ...rest } = r;
      // Format v2: the line is JSON.stringify of the record (envelope order fixed, data as built),
      // and hash = SHA-256 over the bytes before the hash field, closed with `}`.
      const body = lines[i]!.slice(0, lines[i]!.indexOf(',"hash":"')) + '}';
      expect(body).toBe(JSON.stringify(rest));
      expect(Object.keys(rest)).toEqual(['v', 'seq', 'ts', 'type', 'actor', 'data', 'prev']);
      expect(sha256Hex(body), `record ${i + 1}`).toBe(hash);
    }
    expect(recs[1]!.actor).toBe('alice');
    expect(recs[1]!.data).toEqual({ level: 1, reason: 'compromised role' });
  });

  it('refuses records of the wrong shape or an unknown type, writing nothing', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    const size = statSync(file).size;
    await expect(j.append('severity.set', { level: 7 } as never)).rejects.toBeInstanceOf(RecordInvalidError);
    await expect(j.append('note.added', { text: '' })).rejects.toThrow(/note.added: data.text/);
    await expect(j.append('made.up' as never, {} as never)).rejects.toBeInstanceOf(Error);
    expect(statSync(file).size).toBe(size);
    // The chain continues from where it was: the refused records took no seq.
    const placed = await j.append('note.added', { text: 'after refusals' });
    expect(placed.record.seq).toBe(2);
    await j.close();
  });

  it('redacts secrets before they reach the disk but keeps access key ids', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
    await j.append('note.added', { text: `leaked: aws_secret_access_key = ${secret} for AKIAIOSFODNN7EXAMPLE` });
    await j.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('[REDACTED');
    expect((await verifyJournal(file)).ok).toBe(true);
  });

  it('refuses to create over an existing journal', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.close();
    const before = readFileSync(file);
    await expect(Journal.create(file, OPENED)).rejects.toThrow(/already exists: firebreak never overwrites/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reads a record back by offset for the detail view', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    const placed = await j.append('note.added', { text: 'find me' });
    await j.close();
    const back = await readRecordAt(file, placed.offset, placed.length);
    expect(back).toEqual(placed.record);
  });
});

describe('durability and group commit', () => {
  it('resolves a sync append only after fdatasync, and syncs a group once per batch', async () => {
    const dir = tempDir();
    const calls: string[] = [];
    const io = async (f: string, flags: 'a' | 'ax'): Promise<JournalIO> => {
      const real = await openAppendIO(f, flags);
      return {
        write: async (b) => {
          calls.push(`write:${b.toString().split('\n').length - 1}`);
          await real.write(b);
        },
        sync: async () => {
          calls.push('sync');
          await real.sync();
        },
        close: real.close,
      };
    };
    const { file, j } = await fresh(dir, { io });
    calls.length = 0;
    const p = j.append('note.added', { text: 'durable' });
    await p;
    expect(calls).toEqual(['write:1', 'sync']);
    calls.length = 0;
    // 400: below CHECKPOINT_EVERY, so no checkpoint joins the batch.
    const many = Array.from({ length: 400 }, (_, i) =>
      j.append('note.added', { text: `bulk ${i}` }, { durability: 'group' }),
    );
    const recs = await Promise.all(many);
    expect(recs.map((r) => r.record.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 3));
    expect(calls).toEqual(['write:400', 'sync']);
    await j.close();
    expect((await all(file)).length).toBe(402);
  });

  it('keeps call order on disk when sync and group appends interleave', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++)
      ps.push(j.append('note.added', { text: `n${i}` }, { durability: i % 3 ? 'group' : 'sync' }));
    ps.push(
      j.appendMany(Array.from({ length: 50 }, (_, i) => ({ type: 'note.added' as const, data: { text: `m${i}` } }))),
    );
    await Promise.all(ps);
    await j.close();
    const texts = (await all(file)).slice(1).map((r) => (r.record.data as { text: string }).text);
    expect(texts).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `n${i}`),
      ...Array.from({ length: 50 }, (_, i) => `m${i}`),
    ]);
  });
});

describe('fail closed on I/O errors', () => {
  for (const where of ['write', 'sync'] as const) {
    it(`an ${where} error makes the journal unsafe and refuses every later append`, async () => {
      const dir = tempDir();
      let fail = false;
      let syncs = 0;
      const io = async (f: string, flags: 'a' | 'ax'): Promise<JournalIO> => {
        const real = await openAppendIO(f, flags);
        const eio = () => Object.assign(new Error('input/output error'), { code: 'EIO' });
        return {
          write: async (b) => {
            if (fail && where === 'write') throw eio();
            await real.write(b);
          },
          sync: async () => {
            syncs++;
            if (fail && where === 'sync') throw eio();
            await real.sync();
          },
          close: real.close,
        };
      };
      const { j } = await fresh(dir, { io });
      await j.append('note.added', { text: 'before' });
      fail = true;
      const syncsBefore = syncs;
      await expect(j.append('note.added', { text: 'lost' })).rejects.toBeInstanceOf(JournalUnsafeError);
      expect(j.health.state).toBe('unsafe');
      expect(j.health.reason).toMatch(/EIO/);
      fail = false; // even once the disk "recovers", nothing more is accepted or re-synced
      await expect(j.append('note.added', { text: 'after' })).rejects.toThrow(/UNSAFE/);
      await expect(j.appendMany([{ type: 'note.added', data: { text: 'x' } }])).rejects.toThrow(/UNSAFE/);
      expect(syncs - syncsBefore).toBe(where === 'sync' ? 1 : 0);
      await j.close();
    });
  }
});

describe('one writer', () => {
  it('refuses a second writer and names the holder', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    const err = await Journal.open(file, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalLockedError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    await j.close();
    const again = await Journal.open(file, () => {});
    await again.journal.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.close();
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: (await import('node:os')).hostname(),
        user: 'ghost',
        since: '2026-01-01T00:00:00Z',
      }),
    );
    const { journal } = await Journal.open(file, () => {});
    await journal.close();
  });
});

describe('open and recovery', () => {
  it('folds every record in order on open and continues the chain', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.append('phase.set', { phase: 'triage' });
    await j.close();
    const seen: number[] = [];
    const { journal, scan } = await Journal.open(file, (r) => seen.push(r.record.seq));
    // 3 is the checkpoint after the phase change.
    expect(seen).toEqual([1, 2, 3]);
    expect(scan.incidentId).toBe('INC-2026-042');
    const placed = await journal.append('note.added', { text: 'resumed' });
    expect(placed.record.seq).toBe(4);
    await journal.close();
    expect((await verifyJournal(file)).ok).toBe(true);
  });

  it('moves a torn tail (incomplete last line) to a side file and truncates to the last good record', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.append('note.added', { text: 'kept' });
    await j.close();
    const good = statSync(file).size;
    appendFileSync(file, '{"v":1,"seq":3,"ts":"2026-04-20T14:');
    const v = await verifyJournal(file);
    expect(v.ok).toBe(false);
    expect(v.seq).toBe(3);
    expect(v.message).toMatch(/TORN TAIL.*seq 3/);
    const { journal, scan, tornMovedTo } = await Journal.open(file, () => {});
    expect(scan.torn?.reason).toMatch(/incomplete/);
    expect(statSync(file).size).toBe(good);
    expect(readFileSync(tornMovedTo!, 'utf8')).toBe('{"v":1,"seq":3,"ts":"2026-04-20T14:');
    expect((await journal.append('note.added', { text: 'next' })).record.seq).toBe(3);
    await journal.close();
    expect((await verifyJournal(file)).ok).toBe(true);
  });

  it('treats a zero-filled tail (ext4 delayed allocation after power loss) as torn', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.close();
    appendFileSync(file, Buffer.alloc(300));
    const { journal, tornMovedTo } = await Journal.open(file, () => {});
    expect(readFileSync(tornMovedTo!).length).toBe(300);
    await journal.close();
    expect((await verifyJournal(file)).ok).toBe(true);
  });

  it('refuses an edited or garbled complete record anywhere (even the last); only an unterminated last line is torn', async () => {
    const dir = tempDir();
    const { file, j } = await fresh(dir);
    await j.append('note.added', { text: 'two' });
    await j.append('note.added', { text: 'three' });
    await j.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    // A crash leaves a prefix or zeros, never a whole record with a wrong hash: that is an edit.
    writeFileSync(file, [lines[0], lines[1], lines[2]!.replace('three', 'THREE'), ''].join('\n'));
    const edited = await verifyJournal(file);
    expect(edited.seq).toBe(3);
    expect(edited.scan.failure?.reason).toMatch(/hash does not match/);
    await expect(Journal.open(file, () => {})).rejects.toBeInstanceOf(JournalCorruptError);
    // A complete line (it ends in \n) was acknowledged: garbled, it is corruption, not a torn tail.
    const garbledText = [lines[0], lines[1], lines[2]!.slice(0, 40) + '\u0000\u0000garbage', ''].join('\n');
    writeFileSync(file, garbledText);
    const garbled = await verifyJournal(file);
    expect(garbled.ok).toBe(false);
    expect(garbled.scan.torn).toBeUndefined();
    expect(garbled.message).toMatch(/NOT INTACT.*seq 3 \(line 3\)/);
    const refused = await Journal.open(file, () => {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JournalCorruptError);
    expect((refused as JournalCorruptError).seq).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe(garbledText); // nothing cut
    // Truncated mid-line at the end (no newline): that write was never acknowledged, a torn tail.
    writeFileSync(file, [lines[0], lines[1], lines[2]!.slice(0, 40)].join('\n'));
    const cut = await verifyJournal(file);
    expect(cut.scan.torn?.seq).toBe(3);
    const reopened = await Journal.open(file, () => {});
    expect(reopened.tornMovedTo).toBeDefined();
    await reopened.journal.close();
    writeFileSync(file, [lines[0], lines[1]!.replace('two', 'TWO'), lines[2], ''].join('\n'));
    const before = readdirSync(dir).length;
    const err = await Journal.open(file, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalCorruptError);
    expect((err as JournalCorruptError).seq).toBe(2);
    expect((err as Error).message).toMatch(/line 2 \(seq 2\).*hash/);
    // A corrupt journal is never modified (no new side file) and its lock is released.
    expect(readdirSync(dir).length).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('reports an empty or headless journal instead of inventing an incident', async () => {
    const dir = tempDir();
    const file = join(dir, 'empty.jsonl');
    writeFileSync(file, '');
    expect((await verifyJournal(file)).message).toMatch(/empty/);
    truncateSync(file, 0);
    writeFileSync(file, '{"v":1,"seq":1');
    expect((await verifyJournal(file)).ok).toBe(false);
    await expect(Journal.open(file, () => {})).rejects.toBeInstanceOf(JournalCorruptError);
  });
});
