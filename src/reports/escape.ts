// How attacker-controlled text is written into each export format, in one place so every report
// escapes the same way. An export is read twice: on a terminal first (`firebreak export` prints to
// stdout), so every string is neutralised; then by the format's own reader, which must not act on
// it: a Markdown renderer (links, images, HTML, entities, strike-through), a spreadsheet
// (formulas), a JSON viewer or editor (invisible and bidi characters shown raw).

import { neutraliseLine, UNSAFE_CLASS } from '../safety/neutralise.js';

// CommonMark backslash-escapes any ASCII punctuation (https://spec.commonmark.org/0.31.2/#backslash-escapes):
// emphasis, code, links and images, table pipes, GFM strike-through (one or two `~`,
// https://github.github.com/gfm/#strikethrough-extension-) and `$` math on GitHub.
const MD_PUNCT = /[\\`*_[\]!|~$]/g;
// `&` first: `&#x202E;` or `&lt;` in an attacker's string would otherwise render as a real RLO or
// a real tag (https://spec.commonmark.org/0.31.2/#entity-and-numeric-character-references).
const MD_HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Line-start block syntax a quoted string could open when it begins a line: headings, quotes,
// lists, thematic breaks, setext underlines.
const MD_BLOCK_START = /^( *)(?:([#+=-])|(\d{1,9})([.)]))/;

/**
 * One line of quoted text, safe in a paragraph, a list item or a table cell. Besides the syntax
 * above it stops GFM's bare autolinks (https://github.github.com/gfm/#autolinks-extension-): `//`
 * becomes `/\/` (http://, https://, ftp:// and protocol-relative //host), `www.` becomes `www\.`
 * and the `@` of an e-mail address `\@`. A renderer shows the same characters, as plain text.
 */
export function mdText(s: string): string {
  return neutraliseLine(s)
    .replace(MD_PUNCT, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => MD_HTML[c]!)
    .replace(/\/(?=\/)/g, '/\\')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/(?<=[\w.+-])@(?=[\w-])/g, '\\@')
    .replace(MD_BLOCK_START, (_m, sp: string, mark?: string, n?: string, end?: string) =>
      mark ? `${sp}\\${mark}` : `${sp}${n}\\${end}`,
    );
}

/**
 * Text as an inline code span: shown verbatim (no escapes, entities or autolinks inside one), with
 * a fence longer than any backtick run in it (https://spec.commonmark.org/0.31.2/#code-spans). Not
 * for table cells: a GFM table splits on `|` even inside code.
 */
export function mdCode(s: string): string {
  const text = neutraliseLine(s);
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * One CSV cell: RFC 4180 quoting, and a leading `'` on a cell a spreadsheet would run as a formula
 * (https://owasp.org/www-community/attacks/CSV_Injection: `=`, `+`, `-`, `@`, tab, CR). The check
 * runs on the neutralised text, which is what the file holds.
 */
export function csvCell(s: string): string {
  let v = neutraliseLine(s);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

// What JSON.stringify leaves raw but a terminal or editor would act on or hide: the neutraliser's
// class (DEL and C1, invisible and bidi characters, variation selectors, tags; C0 and lone
// surrogates JSON.stringify already escapes).
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_CLASS}]`, 'gu');
const jsonEscape = (c: string): string =>
  Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/** Pretty JSON with every unsafe character written as a \u escape: lossless, and inert on a terminal. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, jsonEscape) + '\n';
}
