// `firebreak import` as a responder runs it: the built CLI, its summary and its exit codes
// (0 imported or all duplicates, 1 some input bad, 2 usage).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';
import { FIXTURES, makeJournal } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist', 'app', 'cli.js');

beforeAll(() => {
  if (!existsSync(CLI)) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // Reported by the tests below.
    }
  }
}, 120_000);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('firebreak import (CLI)', () => {
  it('imports, prints the summary and exits 0; again: all duplicates, still 0', async () => {
    const dir = tempDir('fb-cli-imp-');
    const journal = await makeJournal(dir);
    const first = run('import', FIXTURES, '--journal', journal);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imported 8 new events into .* from 3 files \(9 records read\)$/m);
    const again = run('import', FIXTURES, '--journal', journal);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('duplicates skipped: 8');
  });

  it('exits 1 naming the bad line when some input is bad, after importing the rest', async () => {
    const dir = tempDir('fb-cli-imp-');
    const journal = await makeJournal(dir);
    const bad = join(dir, 'falco.log');
    writeFileSync(
      bad,
      '{"output":"x","priority":"Notice","rule":"r","time":"2026-04-20T14:00:00Z"}\nnot json at all\n',
    );
    const r = run('import', bad, '--journal', journal);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('imported 1 new events');
    expect(r.stdout).toContain(`${bad}:2: `);
  });

  it('exits 2 with one line when the journal does not exist', () => {
    const dir = tempDir('fb-cli-imp-');
    const r = run('import', FIXTURES, '--journal', join(dir, 'nope.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^firebreak: .*nope\.jsonl does not exist: create the journal first with "firebreak new/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(run('import', FIXTURES).code).toBe(2);
  });
});
