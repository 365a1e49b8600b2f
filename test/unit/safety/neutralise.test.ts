import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutralise, neutraliseLine } from '../../../src/safety/neutralise.js';
import { PAYLOADS } from '../../fixtures/escape-payloads.js';

// Everything that must never reach the terminal, from the runtime's own Unicode tables (an oracle
// independent of the neutraliser's hand-kept ranges): controls but `\n`, format characters but the
// visible prepended concatenation marks, default-ignorables (variation selectors, Hangul fillers,
// Khmer inherent vowels, tags), bidi controls, line/paragraph separators, lone surrogates. A ZWJ
// inside an emoji sequence and one presentation selector after a pictograph (or in a keycap) are
// printable text and are taken out before the check.
const FORBIDDEN =
  /[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Zl}\p{Zp}\p{Cs}]--[\n\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}]]/v;
const EMOJI_ZWJ = /(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic})/gu;
const PRESENTATION =
  /(?<=\p{Extended_Pictographic})[\uFE0E\uFE0F](?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])|(?<=[0-9#*])\uFE0F(?=\u20E3)/gu;
const isSafe = (s: string): boolean => !FORBIDDEN.test(s.replace(EMOJI_ZWJ, '').replace(PRESENTATION, ''));

const DANGEROUS = [
  '\x1b',
  '\x07',
  '\r',
  '\b',
  '\x00',
  '\x0b',
  '\x0c',
  '\t',
  '\x7f',
  '\u009b',
  '\u009d',
  '\u0090',
  '\u009c',
  '\u0085',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u2028',
  '\u{E0041}',
  '\u{E007F}',
  '\ud800',
  '\udfff',
  '[',
  ']',
  ';',
  '\\',
  'P',
  '0',
  '👩',
  '💻',
  '\ufe0f',
  '\u{1F3FD}',
  '\n',
  '\ufe0e',
  '\ufe00',
  '\u{E0100}',
  '\u{E01EF}',
  '\u17b4',
  '\u17b5',
  '\u115f',
  '\u1160',
  '\u3164',
  '\uffa0',
  '\u180b',
  '\u{13430}',
  '\u20e3',
  '1',
  '#',
  '❤',
  '☺',
];
const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...DANGEROUS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 1 },
);
const hostile = fc.string({ unit, maxLength: 64 });
const PRINTABLE = [
  'a',
  'Z',
  '0',
  ' ',
  '~',
  'é',
  'ñ',
  'ß',
  '中',
  '文',
  'ア',
  '한',
  'Ω',
  'я',
  '😀',
  '👩‍💻',
  '👨‍👩‍👧',
  '🏳️‍🌈',
  '👍🏽',
  '\u00a0',
  'ﬁ',
  '€',
  '→',
  '\n',
  '❤️',
  '☺︎',
  '1️⃣',
  '#️⃣',
  '\u0600',
];
const printable = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(...PRINTABLE),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter(isSafe),
    ),
    maxLength: 64,
  })
  .filter(isSafe);
const RUNS = { numRuns: 20_000 };

describe('neutralise properties', () => {
  it('leaves no control, bidi, invisible or tag character', () => {
    fc.assert(
      fc.property(hostile, (s) => isSafe(neutralise(s))),
      RUNS,
    );
  });
  it('leaves no newline either in neutraliseLine', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = neutraliseLine(s);
        return isSafe(out) && !out.includes('\n');
      }),
      RUNS,
    );
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const once = neutralise(s);
        const line = neutraliseLine(s);
        return neutralise(once) === once && neutraliseLine(line) === line;
      }),
      RUNS,
    );
  });
  it('preserves printable text exactly (CJK, emoji, accents, ZWJ emoji sequences)', () => {
    fc.assert(
      fc.property(printable, (s) => neutralise(s) === s),
      RUNS,
    );
  });
  it('keeps the number of newlines (neutralise) and rows (neutraliseLine)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const n = s.split('\n').length;
        return neutralise(s).split('\n').length === n && neutraliseLine(s).split('␊').length >= n;
      }),
      RUNS,
    );
  });
});

describe('neutralise payload corpus', () => {
  it('has at least 80 payloads', () => expect(PAYLOADS.length).toBeGreaterThanOrEqual(80));
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
    for (const s of ['', 'arn:aws:iam::123456789012:role/Admin', 'héllo 世界 👩‍💻 🏳️‍🌈', 'a\nb'])
      expect(neutralise(s)).toBe(s);
  });
  it('expands tabs to four spaces', () =>
    expect(neutralise('\tat Foo.bar(Foo.java:1)')).toBe('    at Foo.bar(Foo.java:1)'));
  it('keeps real surrogate pairs and newlines; neutraliseLine shows newlines', () => {
    expect(neutralise('😀\n😀')).toBe('😀\n😀');
    expect(neutraliseLine('a\nb\r\n')).toBe('a␊b␍␊');
  });
  it('shows a ZWJ that does not join two pictographs', () => {
    expect(neutralise('👩\u200d')).toBe('👩<U+200D>');
    expect(neutralise('\u200d💻')).toBe('<U+200D>💻');
    expect(neutralise('\ud83d\u200d💻')).toBe('\ufffd<U+200D>💻');
  });
  it('shows every code point the Unicode tables call invisible, control, format or bidi', () => {
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp === 0x0a) continue;
      const ch = String.fromCodePoint(cp);
      if (!FORBIDDEN.test(ch)) continue;
      const out = neutralise(`x${ch}x`);
      if (!isSafe(out) || out === `x${ch}x`) missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
  });
  it('shows variation selectors unless one picks an emoji presentation or makes a keycap', () => {
    expect(neutralise('❤\ufe0f ☺\ufe0e 1\ufe0f\u20e3 🏳\ufe0f\u200d🌈')).toBe(
      '❤\ufe0f ☺\ufe0e 1\ufe0f\u20e3 🏳\ufe0f\u200d🌈',
    );
    expect(neutralise('admin\ufe0f')).toBe('admin<U+FE0F>');
    expect(neutralise('1\ufe0f')).toBe('1<U+FE0F>');
    expect(neutralise('1\ufe0e\u20e3')).toBe('1<U+FE0E>\u20e3');
    expect(neutralise('\ufe0f\u200d☺')).toBe('<U+FE0F><U+200D>☺');
    expect(neutralise('a\ufe00b')).toBe('a<U+FE00>b');
    // Emoji smuggling: one visible emoji carrying bytes in a run of selectors.
    expect(neutralise('😀\ufe0f\u{e0100}\u{e01ef}')).toBe('😀<U+FE0F><U+E0100><U+E01EF>');
    expect(neutralise('😀\u{e0131}\u{e0132}')).toBe('😀<U+E0131><U+E0132>');
  });
  it('shows Hangul fillers and Khmer inherent vowels, which pass for blanks in a name', () => {
    expect(neutralise('admin\u3164')).toBe('admin<U+3164>');
    expect(neutralise('\u115f\u1160\uffa0')).toBe('<U+115F><U+1160><U+FFA0>');
    expect(neutralise('ro\u17b4ot\u17b5')).toBe('ro<U+17B4>ot<U+17B5>');
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
