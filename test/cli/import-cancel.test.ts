// Ctrl-C during `firebreak import` (the built CLI): the import stops between two records, the
// summary says it stopped (exit 2), every record it read is in the journal, and the journal
// verifies.

import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openIncident } from '../../store/open.js';
import { tempDir } from '../helpers/tmp.js';
import { ctRecord, logKey, makeJournal, writeLog } from '../unit/import/helpers.js';
import { CLI, ensureBuiltCli } from '../helpers/built-cli.js';

beforeAll(ensureBuiltCli, 180_000);

it('SIGINT stops the import: exit 2, "cancelled after", what was read journaled, the journal intact', async () => {
  const dir = tempDir('fb-cli-cancel-');
  const journal = await makeJournal(dir);
  const ev = join(dir, 'evidence');
  // Enough to take seconds: 40 files of 2,500 records.
  for (let f = 0; f < 40; f++)
    writeLog(
      join(ev, logKey('us-east-1', `20260420T14${String(f).padStart(2, '0')}Z`, `f${String(f).padStart(15, '0')}`)),
      Array.from({ length: 2500 }, (_, i) => ctRecord(f * 2500 + i)),
    );
  const child = spawn(process.execPath, [CLI, 'import', ev, '--journal', journal], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Once the journal has grown (the import is under way), Ctrl-C.
  const { statSync } = await import('node:fs');
  const start = statSync(journal).size;
  for (let i = 0; i < 400 && statSync(journal).size <= start + 100_000; i++)
    await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  expect(stderr).toContain('stopping the import after the current record');
  expect(code).toBe(2);
  expect(stdout).toMatch(/cancelled after [\d,]+ records \(\d+ of 40 files started\)/);
  const { store } = await openIncident(journal, { readOnly: true });
  const n = store.getState().state.eventIndex.size;
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(100_000);
  expect(spawnSync(process.execPath, [CLI, 'verify', journal], { encoding: 'utf8' }).status).toBe(0);
}, 120_000);
