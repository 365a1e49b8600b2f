// .githooks/commit-msg holds CONTRIBUTING.md's commit rule: a subject of at most 72 characters,
// a blank line, and a body that says why. Merge commits pass untouched.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';

const HOOK = new URL('../../../.githooks/commit-msg', import.meta.url).pathname;

function hook(message: string): { code: number | null; err: string } {
  const file = join(tempDir('fb-commit-msg-'), 'MSG');
  writeFileSync(file, message);
  const r = spawnSync('sh', [HOOK, file], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

describe('the commit-msg hook', () => {
  it('accepts a short subject with a body', () => {
    expect(hook(`${'s'.repeat(72)}\n\nBecause the lock could strand.\n`).code).toBe(0);
    expect(hook('Merge wt-x: a merge subject that is allowed to run on well beyond the limit\n').code).toBe(0);
  });

  it('refuses a subject over 72 characters, naming its length', () => {
    const r = hook(`${'s'.repeat(73)}\n\nWhy.\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('73 characters');
  });

  it('refuses a message without a body, or without the blank line', () => {
    expect(hook('Fix the lock\n').code).toBe(1);
    expect(hook('Fix the lock\n# a comment git strips\n').code).toBe(1);
    expect(hook('Fix the lock\nno blank line\nWhy.\n').code).toBe(1);
  });
});
