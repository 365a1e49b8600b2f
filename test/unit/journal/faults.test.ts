// Faults say what happened: a full disk or an I/O error while writing, while moving a torn tail
// aside, or after a drill, is the UNSAFE wording naming the journal and what to do — never a bare
// "ENOSPC … write" — and a failed attempt leaves no empty `.torn-*` file behind. Faults come in
// through the journal's I/O seam (JournalOptions.io), as in journal.test.ts.

import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endOfSession } from '../../../app/commands/drill.js';
import { importFilesInto } from '../../../app/commands/import.js';
import { asDiskFault, JournalUnsafeError } from '../../../src/journal/errors.js';
import { openAppendIO, type JournalIO } from '../../../src/journal/io.js';
import { Journal } from '../../../src/journal/journal.js';
import { newIncident, openIncident } from '../../../store/open.js';
import { ctRecord } from '../import/helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const OPENED = { incidentId: 'INC-2026-042', title: 'Faults', mode: 'drill' as const };

/** The journal's I/O with writes failing with `code` while `plan.fail` is set. */
function failing(plan: { fail: boolean }, code = 'ENOSPC') {
  return async (f: string, flags: 'a' | 'ax'): Promise<JournalIO> => {
    const real = await openAppendIO(f, flags);
    return {
      write: async (b) => {
        // Node's own wording for a full disk.
        if (plan.fail)
          throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
        await real.write(b);
      },
      sync: real.sync,
      close: real.close,
    };
  };
}

async function journalWithTornTail(): Promise<{ dir: string; file: string; bytes: Buffer }> {
  const dir = tempDir();
  const file = join(dir, 'incident.jsonl');
  const j = await Journal.create(file, OPENED, { actor: 'alice' });
  await j.append('note.added', { text: 'kept' });
  await j.close();
  appendFileSync(file, '{"v":1,"seq":3,"ts":"2026-04-20T14:00:00Z","ty');
  return { dir, file, bytes: readFileSync(file) };
}

describe('a full disk while a writer opens the journal (note, drill, live)', () => {
  it('moving the torn tail aside fails with the UNSAFE wording, and no attempt leaves a .torn-* file', async () => {
    const { dir, file, bytes } = await journalWithTornTail();
    const plan = { fail: true };
    for (let attempt = 0; attempt < 3; attempt++) {
      const err = await openIncident(file, { io: failing(plan) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(JournalUnsafeError);
      const m = (err as Error).message;
      expect(m).toMatch(
        new RegExp(
          `^journal ${file} is UNSAFE after an I/O error while moving its torn tail aside \\(the journal was not changed\\) \\(ENOSPC: no space left on device, write\\)`,
        ),
      );
      expect(m).toContain(`The disk holding ${dir} is full (or over quota): free space there.`);
      expect(m).toContain('Then run firebreak again');
      expect(m).not.toMatch(/^ENOSPC/);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(readFileSync(file).equals(bytes)).toBe(true);

    // Space is back: the next writer moves the tail and carries on.
    plan.fail = false;
    const { store, journal, report } = await openIncident(file, { io: failing(plan) });
    expect(report).toMatch(/torn tail .* moved to .*\.torn-/);
    await store.getState().actions.addNote('after the disk was freed');
    await journal!.close();
    expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toHaveLength(1);
  });

  it('a note that hits a full disk names the journal and what to do; later commands say the same', async () => {
    const dir = tempDir();
    const file = join(dir, 'incident.jsonl');
    const plan = { fail: false };
    const { store, journal } = await newIncident(file, OPENED, { actor: 'alice', io: failing(plan) });
    plan.fail = true;
    const first = await store
      .getState()
      .actions.addNote('lost')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((first as Error).message).toMatch(
      new RegExp(
        `^journal ${file} is UNSAFE after an I/O error \\(ENOSPC: no space left on device, write\\); nothing more is recorded\\. The disk holding ${dir} is full`,
      ),
    );
    const later = await store
      .getState()
      .actions.addNote('also lost')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((later as Error).message).toMatch(new RegExp(`^journal ${file} is UNSAFE .*ENOSPC.*free space there`));
    await journal!.close();
  });

  it('a disk fault elsewhere (lock, open) is worded the same; other errors pass through', () => {
    const e = asDiskFault(
      '/j/incident.jsonl',
      Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }),
      'while taking its write lock',
    );
    expect(e).toBeInstanceOf(JournalUnsafeError);
    expect((e as Error).message).toMatch(
      /^journal \/j\/incident\.jsonl is UNSAFE after an I\/O error while taking its write lock \(EIO: i\/o error, write\).*reported an I\/O error: check it \(dmesg\)/,
    );
    const other = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(asDiskFault('/j/x', other, 'x')).toBe(other);
  });
});

describe('a drill that went UNSAFE', () => {
  it('does not end like a good one: the session end throws the UNSAFE error naming the journal', async () => {
    const file = join(tempDir(), 'drill.jsonl');
    const plan = { fail: false };
    const j = await Journal.create(file, OPENED, { io: failing(plan, 'EIO') });
    expect(() => endOfSession(file, j)).not.toThrow();
    plan.fail = true;
    await j.append('note.added', { text: 'lost' }).catch(() => undefined);
    await j.close();
    expect(() => endOfSession(file, j)).toThrow(new RegExp(`^journal ${file} is UNSAFE after an I/O error \\(EIO: `));
    expect(() => endOfSession(file, undefined)).not.toThrow();
  });
});

describe(':import into the open store', () => {
  it('keeps the store at the journal\'s real last seq through poison records and checkpoints, so "recorded (seq N)" is true', async () => {
    const dir = tempDir();
    const file = join(dir, 'incident.jsonl');
    const { store, journal } = await newIncident(file, OPENED, { actor: 'alice' });
    const records = Array.from({ length: 620 }, (_, i) => ctRecord(i + 1));
    records[3] = ctRecord(4, { requestParameters: { n: '__INF__' } });
    writeFileSync(join(dir, 'ct.json'), JSON.stringify({ Records: records }).replace('"__INF__"', '1e999'));
    const r = await importFilesInto(store, file)([join(dir, 'ct.json')]);
    expect(r.summary).toMatch(/imported 619 new events/);
    await store.getState().actions.addNote('after the import');
    await journal!.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string; data: { text?: string } });
    const last = lines.at(-1)!;
    expect(last.data.text).toBe('after the import');
    // The store folded everything on disk, and the footer's "recorded (seq N)" names the note.
    expect(store.getState().state.seq).toBe(last.seq);
    expect(store.getState().meta.lastWrittenSeq).toBe(last.seq);
    expect(lines.some((l) => l.type === 'checkpoint')).toBe(true);
  });
});
