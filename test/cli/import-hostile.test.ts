// `firebreak import` (the built CLI) over hostile evidence: poison records in a file's second
// batch, a missing path and a symlink loop among good paths. Exit 1 (partial), everything good is
// in, every refusal named as a sentence, the journal still verifies, and each source file is
// recorded as evidence with the sha256 of its bytes on disk.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';
import { ctRecord, makeJournal } from '../unit/import/helpers.js';
import { CLI, ensureBuiltCli } from '../helpers/built-cli.js';

beforeAll(ensureBuiltCli, 180_000);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('firebreak import (CLI) over hostile input', () => {
  it('poison in the 2nd batch, a missing path and a symlink loop: exit 1, the rest imported, the journal intact', async () => {
    const dir = tempDir('fb-cli-hostile-');
    const journal = await makeJournal(dir);
    const good = join(dir, 'a.json');
    writeFileSync(good, JSON.stringify({ Records: [ctRecord(1), ctRecord(2)] }));
    // 1,500 records: the default batch is 1,000, so the poison sits in the second one.
    const records = Array.from({ length: 1500 }, (_, i) => JSON.stringify(ctRecord(10 + i)));
    records[1199] = JSON.stringify(ctRecord(10 + 1199, { requestParameters: { n: '@@' } })).replace('"@@"', '1e999');
    records[1299] = JSON.stringify(ctRecord(10 + 1299, { requestParameters: { n: '@@' } })).replace(
      '"@@"',
      '['.repeat(5000) + ']'.repeat(5000),
    );
    const hostile = join(dir, 'hostile.json.gz');
    const hostileBytes = gzipSync(`{"Records":[${records.join(',')}]}`);
    writeFileSync(hostile, hostileBytes);
    const missing = join(dir, 'missing.json');
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    const later = join(dir, 'z.json');
    writeFileSync(later, JSON.stringify({ Records: [ctRecord(5000)] }));

    const r = run('import', good, missing, hostile, loop, later, '--journal', journal);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/Maximum call stack|RangeError|TypeError|SyntaxError/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^imported 1,501 new events into .* from 3 files/m);
    expect(r.stdout).toContain(`${hostile}: record 1200: a number too large to represent`);
    expect(r.stdout).toContain(`${hostile}: record 1300: nested deeper than 256 levels`);
    expect(r.stdout).toContain(`${missing}: no such file or directory`);
    expect(r.stdout).toContain(`${loop}: a symbolic link loop`);
    expect(r.stdout).toContain(`sha256 ${sha256(hostileBytes)}`);

    const v = run('verify', journal);
    expect(v.code).toBe(0);
    const { store } = await openIncident(journal, { readOnly: true });
    const st = store.getState().state;
    expect(st.eventIndex.size).toBe(1501);
    const files = st.evidence.filter((e) => e.source === 'source-file');
    expect(files.map((f) => [f.path, f.sha256, f.size])).toEqual([
      [
        resolve(good),
        sha256(Buffer.from(JSON.stringify({ Records: [ctRecord(1), ctRecord(2)] }))),
        statSync(good).size,
      ],
      [resolve(hostile), sha256(hostileBytes), hostileBytes.length],
      [resolve(later), sha256(Buffer.from(JSON.stringify({ Records: [ctRecord(5000)] }))), statSync(later).size],
    ]);
    expect(st.custody.filter((c) => files.some((f) => f.evidenceId === c.evidenceId))).toHaveLength(3);
  }, 60_000);

  it('exits 2 with one line when no path exists at all (a typo, not a partial import)', async () => {
    const dir = tempDir('fb-cli-hostile-');
    const journal = await makeJournal(dir);
    const r = run('import', join(dir, 'nope'), '--journal', journal);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^firebreak: .*nope: no such file or directory\n$/);
  });
});
