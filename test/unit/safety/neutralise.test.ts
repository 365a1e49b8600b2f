import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutralise, neutraliseLine } from '../../../src/safety/neutralise.js';

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

// [name, payload, markers that must be visible in the output]
const PAYLOADS: Array<[string, string, string[]]> = [
  ['kubectl CVE-2021-25743 title', '\x1b]0;pwned\x07', ['␛]0;pwned␇']],
  ['OSC 2 title, ST-terminated', '\x1b]2;evil\x1b\\', ['␛]2;evil␛\\']],
  ['OSC 8 hyperlink', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', ['␛]8;;https://evil.example']],
  ['OSC 8 hyperlink, BEL', '\x1b]8;;http://x\x07ok\x1b]8;;\x07', ['␛]8;;http://x␇']],
  ['OSC 52 clipboard write', '\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07', ['␛]52;c;']],
  ['OSC 52 query', '\x1b]52;c;?\x07', ['␛]52;c;?␇']],
  ['OSC 10 colour query', '\x1b]10;?\x1b\\', ['␛]10;?']],
  ['OSC 777 notification', '\x1b]777;notify;title;body\x07', ['␛]777;notify']],
  ['OSC 1337 iTerm file', '\x1b]1337;File=inline=1:AAAA\x07', ['␛]1337;']],
  ['DCS tmux passthrough', '\x1bPtmux;\x1b\x1b]52;c;ZXZpbA==\x07\x1b\\', ['␛Ptmux;␛␛]52;']],
  ['DCS DECRQSS', '\x1bP$qm\x1b\\', ['␛P$qm']],
  ['DCS unterminated', '\x1bP1;1|payload', ['␛P1;1|payload']],
  ['SOS string', '\x1bXhidden\x1b\\', ['␛Xhidden']],
  ['PM string', '\x1b^hidden\x1b\\', ['␛^hidden']],
  ['APC string', '\x1b_Gf=100;AAAA\x1b\\', ['␛_Gf=100']],
  ['CSI clear screen', '\x1b[2J\x1b[H', ['␛[2J␛[H']],
  ['CSI alt screen', '\x1b[?1049h', ['␛[?1049h']],
  ['CSI cursor up overwrite', 'ok\x1b[1A\x1b[2Kfake row', ['␛[1A␛[2K']],
  ['CSI cursor position', '\x1b[10;20H', ['␛[10;20H']],
  ['CSI repeat char DoS', 'A\x1b[999999999b', ['␛[999999999b']],
  ['CSI title report (CVE-2003-0063)', '\x1b[21t', ['␛[21t']],
  ['CSI device status report', '\x1b[6n', ['␛[6n']],
  ['SGR hide text', '\x1b[8msecret\x1b[0m', ['␛[8m']],
  ['SGR private mode m', '\x1b[?25l\x1b[>4;2m', ['␛[?25l']],
  ['ESC c full reset', '\x1bc', ['␛c']],
  ['ESC G graphics (CVE-2021-33477)', '\x1bGQ', ['␛GQ']],
  ['ESC H tab stop', '\x1bH', ['␛H']],
  ['8-bit CSI', '\u009b31mred', ['<U+009B>31m']],
  ['8-bit OSC', '\u009d0;title\u009c', ['<U+009D>0;title<U+009C>']],
  ['8-bit DCS', '\u0090qpayload\u009c', ['<U+0090>']],
  ['standalone ST', 'a\u009cb', ['<U+009C>']],
  ['NEL', 'a\u0085b', ['<U+0085>']],
  ['CR overwrite', 'safe\rEVIL', ['safe␍EVIL']],
  ['CRLF', 'line\r\n', ['␍']],
  ['backspace erase', 'rm -rf /\b\b\b\b\b\b\bls     ', ['␈␈␈']],
  ['BEL spam', '\x07\x07\x07', ['␇␇␇']],
  ['NUL', 'a\x00b', ['␀']],
  ['VT and FF', 'a\x0bb\x0cc', ['␋', '␌']],
  ['DEL', 'a\x7fb', ['␡']],
  ['Trojan Source RLO', 'admin\u202e\u2066// check\u2069\u2066', ['<U+202E>', '<U+2066>', '<U+2069>']],
  ['bidi marks', 'a\u200eb\u200fc\u061cd', ['<U+200E>', '<U+200F>', '<U+061C>']],
  ['LRE/RLE/PDF', '\u202a\u202b\u202c', ['<U+202A>', '<U+202B>', '<U+202C>']],
  ['zero-width space in name', 'kube\u200bsystem', ['kube<U+200B>system']],
  ['zero-width joiner between letters', 'ad\u200dmin', ['ad<U+200D>min']],
  ['ZWNJ and word joiner', 'a\u200cb\u2060c', ['<U+200C>', '<U+2060>']],
  ['BOM', '\ufeffroot', ['<U+FEFF>root']],
  ['soft hyphen', 'pass\u00adword', ['<U+00AD>']],
  ['line separator', 'a\u2028b\u2029c', ['<U+2028>', '<U+2029>']],
  ['tag characters (ASCII smuggling)', 'hi\u{E0069}\u{E0067}\u{E006E}', ['<U+E0069>', '<U+E0067>']],
  ['lone high surrogate', 'a\ud800b', ['a\ufffdb']],
  ['lone low surrogate', '\udc00', ['\ufffd']],
];

describe('neutralise payload corpus', () => {
  it('has at least 40 payloads', () => expect(PAYLOADS.length).toBeGreaterThanOrEqual(40));
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
