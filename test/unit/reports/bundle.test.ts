// The evidence bundle for a legal hand-off: the journal copied byte for byte, each evidence file
// re-hashed as it is copied and compared with the journal, manifests in Markdown and JSON. A file
// changed since collection, a missing file or a journal that is not intact makes the bundle fail,
// naming what and where.

import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportEvidence, writeBundle } from '../../../app/commands/export.js';
import type { Manifest } from '../../../src/reports/evidence.js';
import { buildStory } from './story.js';

let dir = '';
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'fb-bundle-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function story(): Promise<string> {
  const s = await buildStory(join(dir, 'case'));
  await s.close();
  return s.file;
}

describe('evidence bundle', () => {
  it('copies the journal and every file, each re-hashed OK', async () => {
    const file = await story();
    const out = join(dir, 'bundle');
    const r = await writeBundle(file, out);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['evidence', 'journal.jsonl', 'manifest.json', 'manifest.md']);
    expect(readFileSync(join(out, 'journal.jsonl'))).toEqual(readFileSync(file));
    expect(readdirSync(join(out, 'evidence')).sort()).toEqual([
      'EV-001-EV-001-cloudtrail.json',
      'EV-002-EV-002-snapshots.json',
    ]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.journal.ok).toBe(true);
    expect(m.evidence.map((e) => [e.evidenceId, e.check?.status])).toEqual([
      ['EV-001', 'match'],
      ['EV-002', 'match'],
    ]);
    expect(m.evidence[0]!.custody.map((c) => c.to)).toEqual(['carol (legal)']);
    const md = readFileSync(join(out, 'manifest.md'), 'utf8');
    expect(md).toContain('Verify: **INTACT**');
    expect(md).toContain('Re-hashed: **OK**');
  });

  it('a tampered file and a missing one fail the bundle, named', async () => {
    const file = await story();
    appendFileSync(join(dir, 'case', 'evidence', 'EV-002-snapshots.json'), 'tampered');
    unlinkSync(join(dir, 'case', 'evidence', 'EV-001-cloudtrail.json'));
    const r = await writeBundle(file, join(dir, 'bundle'));
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/^EV-001 .*EV-001-cloudtrail\.json: MISSING — no such file$/);
    expect(r.problems[1]).toMatch(
      /^EV-002 .*EV-002-snapshots\.json: HASH MISMATCH — journal says sha256 [0-9a-f]{64} \(41 bytes\), the file now has [0-9a-f]{64} \(49 bytes\)$/,
    );
    const md = readFileSync(join(dir, 'bundle', 'manifest.md'), 'utf8');
    expect(md).toContain('Re-hashed: **MISSING**');
    expect(md).toContain('Re-hashed: **MISMATCH**');
    expect(r.summary).toContain('2 problems');
  });

  it('a journal edited after the fact is reported, not bundled as good', async () => {
    const file = await story();
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('legal hold', 'legal HOLD'));
    const r = await writeBundle(file, join(dir, 'bundle'));
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/^journal .*incident\.jsonl: NOT INTACT/);
    expect((await exportEvidence(file, 'md')).ok).toBe(false);
  });

  it('never writes into a folder that is not empty', async () => {
    const file = await story();
    const out = join(dir, 'bundle');
    await writeBundle(file, out);
    await expect(writeBundle(file, out)).rejects.toThrow(/bundle.* is not empty/);
  });

  it('the manifest alone (export --evidence) lists every artifact with its custody', async () => {
    const file = await story();
    const r = await exportEvidence(file, 'json');
    expect(r.ok).toBe(true);
    const m = JSON.parse(r.text) as Manifest;
    expect(m.evidence.map((e) => e.evidenceId)).toEqual(['EV-001', 'EV-002']);
    expect(
      m.evidence.every(
        (e) => /^[0-9a-f]{64}$/.test(e.sha256) && e.size > 0 && e.collector && e.toolVersion && e.collectedAt,
      ),
    ).toBe(true);
  });
});
