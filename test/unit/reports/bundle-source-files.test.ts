// An import records each input file as evidence (source "source-file") so the journal's redacted
// records trace back to the original bytes. Those bytes are the attacker's, secrets included: a
// bundle re-hashes the file where it is and lists it, but never copies it in — and an input file
// outside the evidence folder is not a refusal (it was never going to be copied).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundle } from '../../../app/commands/export.js';
import { runImport } from '../../../app/commands/import.js';
import type { Manifest } from '../../../src/reports/evidence.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, makeJournal } from '../import/helpers.js';

const now = () => new Date('2026-04-20T15:00:00.000Z');
const SECRET = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

async function imported(): Promise<{ dir: string; journal: string; input: string }> {
  const dir = tempDir('fb-bundle-src-');
  const journal = await makeJournal(dir);
  const input = join(dir, 'ct.json');
  writeFileSync(
    input,
    JSON.stringify({
      Records: [ctRecord(1, { requestParameters: { bucketName: 'b', note: `token ${SECRET}` } }), ctRecord(2)],
    }),
  );
  const s = await runImport([input], { journal, now });
  expect(s.sourceFiles).toHaveLength(1);
  return { dir, journal, input };
}

describe('bundle: imported source files', () => {
  it('are re-hashed in place and listed, not copied: no secret reaches the bundle', async () => {
    const { dir, journal, input } = await imported();
    const out = join(dir, 'bundle');
    const r = await writeBundle(journal, out, now());
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(readdirSync(join(out, 'evidence'))).toEqual([]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const src = m.evidence.find((e) => e.path === input);
    expect(src?.check?.status).toBe('in-place');
    expect(readFileSync(join(out, 'manifest.md'), 'utf8')).toContain('not copied into the bundle');
    for (const f of ['journal.jsonl', 'manifest.json', 'manifest.md'])
      expect(readFileSync(join(out, f), 'utf8')).not.toContain(SECRET);
  });

  it('a source file changed since the import is a HASH MISMATCH, exit not ok', async () => {
    const { dir, journal, input } = await imported();
    writeFileSync(input, readFileSync(input, 'utf8').replace('"b"', '"c"'));
    const r = await writeBundle(journal, join(dir, 'bundle'), now());
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/HASH MISMATCH/);
  });
});
