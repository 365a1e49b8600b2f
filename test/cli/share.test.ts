// `verify`, `export` and their `--share` flag on a folder of downloaded segments (what
// `aws s3 cp --recursive s3://bucket/prefix DIR` leaves): the built CLI verifies every segment
// and the set, exports the merged timeline with each record's writer, and names the key and seq
// of a tampered object (exit 1).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryTransport } from '../../src/journal/share/transport.js';
import { ShareSession } from '../../store/share-session.js';
import { ROOT, ensureBuiltCli } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { INC, PREFIX, testWriter } from '../helpers/share-writers.js';

const BIN = join(ROOT, 'bin', 'firebreak.js');
beforeAll(ensureBuiltCli, 180_000);

function firebreak(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Two writers' segments, downloaded into a folder (keys below the prefix). */
async function downloaded(): Promise<{ dir: string; aliceFile: string; aliceKey: string }> {
  const work = tempDir();
  const bucket = new MemoryTransport();
  const a = await testWriter(work, 'alice');
  const b = await testWriter(work, 'bob');
  for (const [w, note] of [
    [a, 'CI keys rotated'],
    [b, 'logs pulled'],
  ] as const) {
    const s = await ShareSession.start({
      store: w.store,
      journalFile: w.file,
      transport: bucket,
      prefix: PREFIX,
      actor: w.name,
    });
    await w.store.getState().actions.addNote(note);
    await s.sync();
    await w.journal?.close();
  }
  const dir = join(work, 'segments');
  for (const [key, body] of bucket.objects) {
    const path = join(dir, key.slice(PREFIX.length + 1));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  }
  const aliceKey = [...bucket.objects.keys()].find((k) => k.includes('/alice-'))!.slice(PREFIX.length + 1);
  return { dir, aliceFile: join(dir, aliceKey), aliceKey };
}

describe('firebreak --share on downloaded segments', () => {
  it('verify checks every segment and the set; export writes the merged timeline with its writers', async () => {
    const { dir } = await downloaded();
    const v = firebreak(['verify', '--share', dir]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`^OK ${INC}: 2 segments from 2 writer\\(s\\): alice-0a1b2c3d \\(3 records`));
    const e = firebreak(['export', '--share', dir, '--format', 'csv']);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('alice-0a1b2c3d');
    expect(e.stdout).toMatch(/bob-0a1b2c3d.*logs pulled/);
    expect(e.stdout).toMatch(/alice-0a1b2c3d.*CI keys rotated/);
  }, 60_000);

  it('a tampered segment fails verify naming its key and seq; the export still has the rest', async () => {
    const { dir, aliceFile, aliceKey } = await downloaded();
    writeFileSync(aliceFile, readFileSync(aliceFile, 'utf8').replace('CI keys rotated', 'CI keys ROTATED'));
    const v = firebreak(['verify', '--share', dir]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`refused ${aliceKey} at seq 3: hash does not match the record`);
    const e = firebreak(['export', '--share', dir]);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain(`refused ${aliceKey} at seq 3`);
    expect(e.stdout).toContain('logs pulled');
    expect(e.stdout).not.toContain('ROTATED');
  }, 60_000);

  it('takes a file or --share, not both and not neither', () => {
    expect(firebreak(['verify']).code).toBe(2);
    expect(firebreak(['verify', 'x.jsonl', '--share', '/tmp']).stderr).toMatch(/not both/);
  });
});
