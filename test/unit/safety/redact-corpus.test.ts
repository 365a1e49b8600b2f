import { describe, expect, it } from 'vitest';
import { redactSecrets, redactText } from '../../../src/safety/redact.js';
import { corpus, KINDS, makeGen, PLACEMENTS } from '../../fixtures/secrets/corpus.js';

const { cases, harmless } = corpus();

// A secret "reaches" output if it survives raw or JSON-escaped (how a journal line holds it).
const leaks = (out: string, secret: string) =>
  out.includes(secret) || out.includes(JSON.stringify(secret).slice(1, -1));

describe('redaction corpus', () => {
  it('plants at least 700 secrets of at least 40 kinds in at least 30 placements', () => {
    expect(cases.length).toBeGreaterThanOrEqual(700);
    expect(new Set(cases.map((c) => c.kind)).size).toBe(KINDS.length);
    expect(KINDS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.placement)).size).toBeGreaterThanOrEqual(30);
    expect(PLACEMENTS.length).toBeGreaterThanOrEqual(30);
  });

  it('no planted secret survives redaction, in any kind or placement', () => {
    const missed: string[] = [];
    for (const c of cases) {
      const out = JSON.stringify(redactSecrets(c.record));
      for (const s of c.secrets) if (leaks(out, s)) missed.push(`${c.kind} @ ${c.placement}: ${out.slice(0, 160)}`);
    }
    expect(missed).toEqual([]);
  });

  it('redaction of the corpus is idempotent', () => {
    for (const c of cases.slice(0, 200)) {
      const once = redactSecrets(c.record);
      expect(redactSecrets(once)).toEqual(once);
    }
  });

  it("masks at most 1% of 1,200 harmless look-alikes, and never firebreak's own marker", () => {
    expect(harmless.length).toBeGreaterThanOrEqual(1000);
    const masked = harmless.filter((s) => redactText(s) !== s);
    expect(masked.length / harmless.length).toBeLessThanOrEqual(0.01);
    for (const s of harmless.filter((x) => x.startsWith('[REDACTED:'))) expect(redactText(s)).toBe(s);
  });

  it('keeps harmless look-alikes visible inside records too (every placement), at most 1% masked', () => {
    const g = makeGen(7);
    // Copy-on-write: the same reference back means nothing in the record was masked.
    const masked = harmless.filter((s, i) => {
      const rec = PLACEMENTS[i % PLACEMENTS.length]!.put(s, g);
      return redactSecrets(rec) !== rec;
    });
    expect(masked.length / harmless.length, masked.slice(0, 5).join(' | ')).toBeLessThanOrEqual(0.01);
  });

  it('keeps what investigators pivot on: ARNs, key ids, request ids, digests, UUIDs', () => {
    const ids = [
      'arn:aws:iam::123456789012:role/token-rotator',
      'AKIAIOSFODNN7EXAMPLE',
      'ASIAQWERTYUIOPASDFGH',
      'f1c4e7a2-0000-4000-a000-000000000001',
      `sha256:${'ab'.repeat(32)}`,
      'i-0abc123def4567890',
    ];
    const rec = {
      userIdentity: { arn: ids[0], accessKeyId: ids[1] },
      requestID: ids[3],
      note: `key ${ids[2]} signed request ${ids[3]} for ${ids[0]}; image ${ids[4]} on ${ids[5]}`,
    };
    const out = JSON.stringify(redactSecrets(rec));
    for (const id of ids) expect(out).toContain(id);
  });
});
