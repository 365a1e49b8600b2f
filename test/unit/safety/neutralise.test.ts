import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutralise, neutraliseLine } from '../../../src/safety/neutralise.js';
import { PAYLOADS } from '../../fixtures/escape-payloads.js';

// Everything that must never reach the terminal, except `\n` (kept by neutralise) and a
// ZWJ inside an emoji sequence (checked separately by STRAY_ZWJ).
const FORBIDDEN =
  /[\x00-\x09\x0B-\x1F\x7F-\x9F\xAD\u034F\u061C\u180E\u200B\u200C\u200E\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}\uD800-\uDFFF]/u;
const STRAY_ZWJ = /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/u;
const isSafe = (s: string): boolean => !FORBIDDEN.test(s) && !STRAY_ZWJ.test(s);

const DANGEROUS = ['\x1b', '\x07', '\r', '\b', '\x00', '\x0b', '\x0c', '\t', '\x7f', '\u009b', '\u009d', '\u0090',
  '\u009c', '\u0085', '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200c',
  '\u200d', '\u2060', '\ufeff', '\u00ad', '\u2028', '\u{E0041}', '\u{E007F}', '\ud800', '\udfff', '[', ']', ';',
  '\\', 'P', '0', '👩', '💻', '\ufe0f', '\u{1F3FD}', '\n'];
const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...DANGEROUS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 1 },
);
const hostile = fc.string({ unit, maxLength: 64 });
const PRINTABLE = ['a', 'Z', '0', ' ', '~', 'é', 'ñ', 'ß', '中', '文', 'ア', '한', 'Ω', 'я', '😀', '👩‍💻', '👨‍👩‍👧', '🏳️‍🌈',
  '👍🏽', '\u00a0', 'ﬁ', '€', '→', '\n'];
const printable = fc.string({
  unit: fc.oneof(fc.constantFrom(...PRINTABLE), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter(isSafe)),
  maxLength: 64,
}).filter(isSafe);
const RUNS = { numRuns: 20_000 };

describe('neutralise properties', () => {
  it('leaves no control, bidi, invisible or tag character', () => {
    fc.assert(fc.property(hostile, (s) => isSafe(neutralise(s))), RUNS);
  });
  it('leaves no newline either in neutraliseLine', () => {
    fc.assert(fc.property(hostile, (s) => {
      const out = neutraliseLine(s);
      return isSafe(out) && !out.includes('\n');
    }), RUNS);
  });
  it('is idempotent', () => {
    fc.assert(fc.property(hostile, (s) => {
      const once = neutralise(s);
      const line = neutraliseLine(s);
      return neutralise(once) === once && neutraliseLine(line) === line;
    }), RUNS);
  });
  it('preserves printable text exactly (CJK, emoji, accents, ZWJ emoji sequences)', () => {
    fc.assert(fc.property(printable, (s) => neutralise(s) === s), RUNS);
  });
  it('keeps the number of newlines (neutralise) and rows (neutraliseLine)', () => {
    fc.assert(fc.property(hostile, (s) => {
      const n = s.split('\n').length;
      return neutralise(s).split('\n').length === n && neutraliseLine(s).split('␊').length >= n;
    }), RUNS);
  });
});


describe('neutralise payload corpus', () => {
  it('has at least 60 payloads', () => expect(PAYLOADS.length).toBeGreaterThanOrEqual(60));
  for (const [name, payload, markers] of PAYLOADS) {
    it(name, () => {
      for (const out of [neutralise(payload), neutraliseLine(payload)]) {
        expect(isSafe(out), JSON.stringify(out)).toBe(true);
        for (const m of markers) expect(out).toContain(m);
        expect(neutralise(out)).toBe(out);
      }
    });
  }
});

describe('neutralise specifics', () => {
  it('returns printable input unchanged', () => {
    for (const s of ['', 'arn:aws:iam::123456789012:role/Admin', 'héllo 世界 👩‍💻 🏳️‍🌈', 'a\nb']) expect(neutralise(s)).toBe(s);
  });
  it('expands tabs to four spaces', () => expect(neutralise('\tat Foo.bar(Foo.java:1)')).toBe('    at Foo.bar(Foo.java:1)'));
  it('keeps real surrogate pairs and newlines; neutraliseLine shows newlines', () => {
    expect(neutralise('😀\n😀')).toBe('😀\n😀');
    expect(neutraliseLine('a\nb\r\n')).toBe('a␊b␍␊');
  });
  it('shows a ZWJ that does not join two pictographs', () => {
    expect(neutralise('👩\u200d')).toBe('👩<U+200D>');
    expect(neutralise('\u200d💻')).toBe('<U+200D>💻');
    expect(neutralise('\ud83d\u200d💻')).toBe('\ufffd<U+200D>💻');
  });
  it('neutralises a 1 MB adversarial input correctly', () => {
    const chunk = PAYLOADS.map(([, p]) => p).join('') + 'plain text 中文 👩‍💻 ';
    const big = chunk.repeat(Math.ceil(1_048_576 / chunk.length));
    expect(big.length).toBeGreaterThanOrEqual(1_048_576);
    const out = neutralise(big);
    expect(isSafe(out)).toBe(true);
    expect(out).toBe(neutralise(chunk).repeat(Math.ceil(1_048_576 / chunk.length)));
    expect(neutralise(out)).toBe(out);
  });
});
