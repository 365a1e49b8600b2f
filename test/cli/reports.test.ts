// The report exports and `firebreak update` through the built CLI: what goes to stdout, what to
// stderr, and the exit codes (0 done, 1 the journal or an evidence file is not intact, 2 usage).

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStory } from '../unit/reports/story.js';
import { ROOT, ensureBuiltCli } from '../helpers/built-cli.js';

const BIN = join(ROOT, 'bin', 'firebreak.js');

beforeAll(ensureBuiltCli, 180_000);

let dir = '';
let file = '';
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-cli-reports-'));
  const s = await buildStory(join(dir, 'case'));
  await s.close();
  file = s.file;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function firebreak(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('firebreak export (reports)', () => {
  it('--update prints the draft for the audience; customers get no identifiers', () => {
    const internal = firebreak(['export', file, '--update']);
    expect(internal.code).toBe(0);
    expect(internal.stderr).toBe('');
    expect(internal.stdout).toMatch(
      /^## Incident Update: INC-2026-042\n\n> \*\*DRAFT\*\* for the internal incident channel/,
    );
    expect(internal.stdout).toContain('ci-deployer');
    const customers = firebreak(['export', file, '--update', '--audience', 'customers']);
    expect(customers.code).toBe(0);
    expect(customers.stdout).toMatch(/^## Security incident update/);
    for (const s of ['ci-deployer', 'prod-data', '198.51.100.23', '123456789012', 'arn:', 'EMBER'])
      expect(customers.stdout).not.toContain(s);
  });

  it('--postmortem prints the post-mortem; the timeline export still works', () => {
    const pm = firebreak(['export', file, '--postmortem']);
    expect(pm.code).toBe(0);
    expect(pm.stdout).toMatch(/^# Post-mortem: INC-2026-042/);
    expect(pm.stdout).toContain('## 9. The review meeting');
    const tl = firebreak(['export', file, '--format', 'csv']);
    expect(tl.code).toBe(0);
    expect(tl.stdout.split('\r\n')[0]).toBe('seq,time_utc,kind,actor,text,event_time_utc,discovered_utc');
  });

  it('--evidence prints the manifest (md or json) with the verify result', () => {
    const md = firebreak(['export', file, '--evidence']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('Verify: **INTACT**');
    const js = firebreak(['export', file, '--evidence', '--format', 'json']);
    expect(js.code).toBe(0);
    const m = JSON.parse(js.stdout) as { journal: { ok: boolean }; evidence: { evidenceId: string }[] };
    expect(m.journal.ok).toBe(true);
    expect(m.evidence.map((e) => e.evidenceId)).toEqual(['EV-001', 'EV-002']);
  });

  it('--bundle: exit 0 when every file re-hashes; a tampered file is exit 1 naming it', () => {
    const ok = firebreak(['export', file, '--bundle', join(dir, 'b1')]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/journal intact .* 2 artifacts, 2 re-hashed OK, 0 problems/);
    appendFileSync(join(dir, 'case', 'evidence', 'EV-002-snapshots.json'), 'x');
    const bad = firebreak(['export', file, '--bundle', join(dir, 'b2')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^firebreak: EV-002 .*case\/evidence\/EV-002-snapshots\.json: HASH MISMATCH/m);
    expect(bad.stdout).toContain('1 problem');
  });

  it('usage errors are exit 2, one line; a missing journal is named', () => {
    for (const args of [
      ['export', file, '--update', '--postmortem'],
      ['export', file, '--audience', 'legal'],
      ['export', file, '--update', '--audience', 'press'],
      ['export', file, '--postmortem', '--format', 'json'],
      ['update', file],
    ]) {
      const r = firebreak(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^firebreak: [^\n]+\n$/);
    }
    const r = firebreak(['export', join(dir, 'nope.jsonl'), '--postmortem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.jsonl');
  });
});

describe('firebreak update', () => {
  it('records the given file, or the generated draft, as update.recorded', () => {
    const md = join(dir, 'sent.md');
    writeFileSync(md, '## Incident Update: INC-2026-042\n\nAs sent to leadership.\n');
    const r = firebreak(['update', file, '--audience', 'leadership', '--file', md, '--actor', 'carol']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^update for leadership recorded as seq \d+ \(\d+ bytes\)\n$/);
    const draft = firebreak(['update', file, '--audience', 'customers']);
    expect(draft.code).toBe(0);
    const recs = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; actor: string; data: { audience: string; markdown: string } });
    const ups = recs.filter((x) => x.type === 'update.recorded');
    expect(ups.map((u) => [u.actor, u.data.audience])).toEqual([
      ['carol', 'leadership'],
      [ups[1]!.actor, 'customers'],
    ]);
    expect(ups[0]!.data.markdown).toContain('As sent to leadership.');
    expect(ups[1]!.data.markdown).toMatch(/^## Security incident update/);
    expect(firebreak(['verify', file]).code).toBe(0);
    const missing = firebreak(['update', file, '--audience', 'legal', '--file', join(dir, 'gone.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gone\.md: cannot read the update: no such file/);
  });
});
