/**
 * The one terminal-text neutraliser. Every attacker-controlled string (CloudTrail fields,
 * Kubernetes object names, event messages, pod logs) passes through here before it can
 * reach the terminal. Display only: the raw bytes stay untouched in the evidence journal.
 *
 * Policy: SHOW, DON'T DELETE (as git's CVE-2024-52005 fix does,
 * https://github.com/gitgitgadget/git/pull/1853). Each
 * dangerous character becomes a visible, inert token, so the responder sees that an
 * injection was attempted instead of reading a silently "cleaned" string.
 *
 * Why not a sequence tokenizer that drops whole CSI/OSC/DCS strings? Because terminals
 * disagree on where those strings end (PuTTY <= 0.76 ended an OSC on a 0x9C byte inside
 * UTF-8; the Linux console ends one on ESC + anything), and less CVE-2022-46663 shows that
 * a parser with an incomplete model of the grammar gets bypassed. Once ESC and every C1
 * byte are replaced, no terminal can start a sequence at all: `\x1b]0;pwned\x07` becomes
 * `␛]0;pwned␇`, whose remaining bytes are plain printable text. That also covers
 * unterminated strings and the tmux DCS passthrough wrapper with no special cases.
 *
 * Width capping and truncation happen after this, in the renderers.
 * Invalid UTF-8 is turned into U+FFFD by the decoder before a string exists; here we only
 * see lone UTF-16 surrogates.
 */

/**
 * `\t` is expanded to spaces rather than shown as `␉`: tabs are routine in pod logs (Java
 * stack traces) and are not a spoofing tool once the tab-stop-setting sequences (ESC H,
 * CSI g) are neutralised. A fixed expansion keeps the measured width equal to the drawn
 * width; a real tab's width depends on the terminal's tab stops, which breaks cell layout.
 */
const TAB = '    ';

// Characters that must never reach the terminal raw. Grouped so the why is reviewable:
//  - C0 controls except \n (CR overwrite `safe\rEVIL`, BS erase, BEL, VT/FF, NUL; ESC
//    starts every 7-bit sequence: CVE-2021-25743 was ESC in kubectl Event messages).
//  - DEL and the C1 block U+0080-U+009F: 8-bit CSI (U+009B), OSC (U+009D), DCS (U+0090),
//    ST (U+009C) are honoured by xterm-compatible terminals in some modes; kubectl's fix
//    missed them.
//  - U+00AD soft hyphen, U+034F CGJ, U+180B-F Mongolian variation selectors and vowel
//    separator, U+17B4/5 Khmer inherent vowels: invisible in most fonts.
//  - U+115F, U+1160, U+3164, U+FFA0 Hangul fillers: blank glyphs that pass for a name
//    ("admin" + U+3164 is a different user that looks the same).
//  - U+061C, U+200E/F, U+202A-E, U+2066-9: bidi marks, embeddings, overrides, isolates
//    (Trojan Source, CVE-2021-42574) make text read differently from its bytes.
//  - U+200B-D, U+2060-F, U+FEFF: zero-width / invisible format characters used to hide
//    text or forge look-alike names; U+2028/9 line and paragraph separators, which Ink
//    passes through and some terminals treat as line breaks.
//  - U+FE00-FE0F and U+E0100-E01EF variation selectors: invisible, and a run of them after
//    one visible character carries arbitrary bytes ("emoji smuggling"). One U+FE0E/FE0F
//    right after an emoji is its text/emoji presentation and is kept (see keepsSelector).
//  - U+FFF0-FFFB: unassigned specials (Default_Ignorable) and interlinear annotations.
//  - U+13430-1343F Egyptian hieroglyph format controls, U+1BCA0-3 shorthand format controls,
//    U+1D173-A musical format controls: invisible joiners outside their scripts.
//  - U+E0000-E0FFF: tag characters (ASCII smuggling; Ink 8 passes them), the variation
//    selector supplement and the rest of the Default_Ignorable plane-14 block.
// Together with the ranges above this is every Default_Ignorable_Code_Point and every bidi
// control (https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt), and every
// format character (Cf) except the visible prepended concatenation marks (U+0600-5, U+06DD …);
// the unit test checks that against the runtime's own Unicode tables.
//  - Lone surrogates: not text; terminals and width libraries disagree on them.
export const UNSAFE_CLASS =
  '\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F\\xAD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F' +
  '\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFB' +
  '\\u{13430}-\\u{1343F}\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E0FFF}\\uD800-\\uDFFF';

// `u` mode makes [\uD800-\uDFFF] match only unpaired surrogates, never halves of a pair.
const UNSAFE_TEST = new RegExp(`[${UNSAFE_CLASS}]`, 'u');
const UNSAFE_ALL = new RegExp(`[${UNSAFE_CLASS}]`, 'gu');
const UNSAFE_LINE_TEST = new RegExp(`[\\n${UNSAFE_CLASS}]`, 'u');
const UNSAFE_LINE_ALL = new RegExp(`[\\n${UNSAFE_CLASS}]`, 'gu');

const ZWJ = 0x200d;
// A ZWJ between two pictographs is part of an emoji sequence (👩‍💻, 👨‍👩‍👧): printable
// text that must survive unchanged. It is kept only in exactly that position, which the
// output never alters, so neutralise stays idempotent.
const JOINS_AFTER = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const JOINS_BEFORE = /^\p{Extended_Pictographic}$/u;

/** `<U+202E>`: ASCII only, so the token itself has a predictable width of 8-9 cells. */
function codeToken(cp: number): string {
  return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
}

function isEmojiJoiner(s: string, offset: number): boolean {
  const next = s.codePointAt(offset + 1);
  if (next === undefined || !JOINS_BEFORE.test(String.fromCodePoint(next))) return false;
  // Step back over a whole surrogate pair only when it really is a pair; a lone
  // surrogate becomes U+FFFD and must not count as a pictograph (idempotence).
  const lo = s.charCodeAt(offset - 1);
  const hi = s.charCodeAt(offset - 2);
  const pair = lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff;
  const prev = pair ? s.slice(offset - 2, offset) : s.charAt(offset - 1);
  // A selector joins only when it is kept itself (🏳️‍🌈); a shown one leaves the ZWJ stray.
  if (prev === '\ufe0f') return keepsSelector(s, offset - 1, 0xfe0f);
  return JOINS_AFTER.test(prev);
}

const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const KEYCAP_BASE = /^[0-9#*]$/;
const KEYCAP = 0x20e3;

/**
 * A single U+FE0E/U+FE0F straight after a pictograph picks its presentation (❤️, ☺︎, 🏳️‍🌈), and
 * one between a keycap base and U+20E3 makes a keycap (1️⃣): printable text, kept. Anywhere else
 * a selector is invisible (after a letter or digit it forges a look-alike name), and a run of them
 * carries smuggled bytes, so each one is shown. The check looks one code point either side, so
 * the whole pass stays linear in the input.
 */
function keepsSelector(s: string, offset: number, cp: number): boolean {
  if (cp !== 0xfe0f && cp !== 0xfe0e) return false;
  const next = s.codePointAt(offset + 1);
  if (next !== undefined && ((next >= 0xfe00 && next <= 0xfe0f) || (next >= 0xe0100 && next <= 0xe01ef))) return false;
  const lo = s.charCodeAt(offset - 1);
  const hi = s.charCodeAt(offset - 2);
  const pair = lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff;
  const prev = pair ? s.slice(offset - 2, offset) : s.charAt(offset - 1);
  if (prev === '') return false;
  return PICTOGRAPH.test(prev) || (cp === 0xfe0f && KEYCAP_BASE.test(prev) && next === KEYCAP);
}

function replaceOne(ch: string, offset: number, s: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x0a) return '\u240a'; // only reached from neutraliseLine
  if (cp === 0x09) return TAB;
  // Control Pictures block: U+2400 + code (ESC -> ␛, CR -> ␍, BEL -> ␇, NUL -> ␀).
  if (cp < 0x20) return String.fromCharCode(0x2400 + cp);
  if (cp === 0x7f) return '\u2421'; // ␡
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  if (cp === ZWJ && isEmojiJoiner(s, offset)) return ch;
  if (keepsSelector(s, offset, cp)) return ch;
  return codeToken(cp);
}

/**
 * Make `s` safe to write to a terminal, keeping `\n` as a real line break. Returns the
 * input string itself when there is nothing to neutralise (one regex test), which is the
 * common case for the hundreds of thousands of plain strings in a timeline.
 * Idempotent: neutralise(neutralise(x)) === neutralise(x).
 */
export function neutralise(s: string): string {
  if (!UNSAFE_TEST.test(s)) return s;
  return s.replace(UNSAFE_ALL, replaceOne);
}

/**
 * As {@link neutralise}, and also shows `\n` as `␊`, for single-line cells: a newline in a
 * resource name or user agent would otherwise push fake rows into a table.
 */
export function neutraliseLine(s: string): string {
  if (!UNSAFE_LINE_TEST.test(s)) return s;
  return s.replace(UNSAFE_LINE_ALL, replaceOne);
}
