// A journal is evidence an attacker can forge (anyone can write a valid hash chain), so a bundle
// treats every evidence.recorded record as a claim: an id that is not a plain name, a path outside
// the journal's evidence folder, or a symlink out of it is refused by seq and reason, and the rest
// of the bundle is still written.

import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../app/commands/export.js';
import { canonicalRecord } from '../../../src/journal/canonical.js';
import { sealLine } from '../../../src/journal/chain.js';
import type { Manifest } from '../../../src/reports/evidence.js';
import { buildStory } from './story.js';

let dir = '';
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'fb-bundle-esc-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Appends correctly chained evidence.recorded records, as a forger with a text editor would. */
function forge(file: string, items: { evidenceId: string; path: string; content: string }[]): number[] {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const last = JSON.parse(lines.at(-1)!) as { seq: number; hash: string };
  let { seq, hash } = last;
  const seqs: number[] = [];
  for (const it of items) {
    seq += 1;
    const body = canonicalRecord({
      v: 1,
      seq,
      ts: '2026-04-20T15:00:00.000Z',
      type: 'evidence.recorded',
      actor: 'mallory',
      prev: hash,
      data: {
        evidenceId: it.evidenceId,
        path: it.path,
        sha256: sha(it.content),
        size: it.content.length,
        source: 'manual',
        description: 'forged',
        collector: 'mallory',
        toolVersion: '0.0.0',
        collectedAt: '2026-04-20T15:00:00Z',
      },
    });
    const sealed = sealLine(body);
    appendFileSync(file, sealed.line + '\n');
    hash = sealed.hash;
    seqs.push(seq);
  }
  return seqs;
}

async function story(): Promise<string> {
  const s = await buildStory(join(dir, 'case'));
  await s.close();
  return s.file;
}

describe('evidence bundle under a forged journal', () => {
  it('an evidence id with ../ fails the schema: the journal is NOT INTACT at that seq, nothing is copied or written outside', async () => {
    const file = await story();
    const [seq] = forge(file, [{ evidenceId: '../../ESCAPED', path: 'evidence/EV-001-cloudtrail.json', content: 'x' }]);
    const out = join(dir, 'out', 'bundle');
    const r = await writeBundle(file, out);
    expect(r.ok).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual(['bundle']);
    expect(readdirSync(dir).filter((f) => f.includes('ESCAPED'))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['journal.jsonl', 'manifest.json', 'manifest.md']);
    expect(r.problems[0]).toContain(`NOT INTACT`);
    expect(r.problems[0]).toContain(`seq ${seq}`);
    expect(r.problems[0]).toContain('evidenceId');
  });

  it('refuses an absolute path outside, a symlink out of and a ../ path out of the evidence folder; bundles the rest', async () => {
    const file = await story();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'AWS_SECRET=top');
    symlinkSync(secret, join(dir, 'case', 'evidence', 'link.txt'));
    const seqs = forge(file, [
      { evidenceId: 'EV-900', path: secret, content: 'AWS_SECRET=top' },
      { evidenceId: 'EV-901', path: 'evidence/link.txt', content: 'AWS_SECRET=top' },
      { evidenceId: 'EV-902', path: 'evidence/../../secret.txt', content: 'AWS_SECRET=top' },
      { evidenceId: 'EV-903', path: '/etc/hostname', content: 'x' },
    ]);
    const out = join(dir, 'out', 'bundle');
    const r = await writeBundle(file, out);
    expect(r.ok).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual(['bundle']);
    const bundled = readdirSync(join(out, 'evidence')).sort();
    expect(bundled).toEqual(['EV-001-EV-001-cloudtrail.json', 'EV-002-EV-002-snapshots.json']);
    for (const f of bundled) expect(readFileSync(join(out, 'evidence', f), 'utf8')).not.toContain('AWS_SECRET');
    expect(r.problems).toHaveLength(existsSync('/etc/hostname') ? 4 : 3);
    expect(r.problems[0]).toMatch(
      new RegExp(`^seq ${seqs[0]} EV-900: REFUSED — the file is outside the journal's evidence folder`),
    );
    expect(r.problems[1]).toMatch(new RegExp(`^seq ${seqs[1]} EV-901: REFUSED — the file is outside`));
    expect(r.problems[2]).toMatch(new RegExp(`^seq ${seqs[2]} EV-902: REFUSED — the file is outside`));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.evidence.slice(0, 5).map((e) => [e.evidenceId, e.check?.status])).toEqual([
      ['EV-001', 'match'],
      ['EV-002', 'match'],
      ['EV-900', 'refused'],
      ['EV-901', 'refused'],
      ['EV-902', 'refused'],
    ]);
    const md = readFileSync(join(out, 'manifest.md'), 'utf8');
    expect(md.match(/Re-hashed: \*\*REFUSED\*\*/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('bundles files from <journal>.evidence, where actions write them', async () => {
    const file = await story();
    const evDir = `${file}.evidence`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(evDir, 'aws'), { recursive: true });
    writeFileSync(join(evDir, 'aws', 'trail.jsonl'), 'trail');
    forge(file, [{ evidenceId: 'EV-003', path: join(evDir, 'aws', 'trail.jsonl'), content: 'trail' }]);
    const r = await writeBundle(file, join(dir, 'bundle'));
    expect(r.problems).toEqual([]);
    expect(readdirSync(join(dir, 'bundle', 'evidence'))).toContain('EV-003-trail.jsonl');
  });
});
