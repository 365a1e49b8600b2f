// What a chunk of terminal input means, before any binding sees it. Three ways a key press can
// arrive as something else, each seen at 03:00 in tmux:
// - Esc then a key inside the terminal's escape time (tmux's default escape-time is 500 ms) is
//   delivered as ONE Meta chord ("\x1bb"). firebreak binds no Meta/Alt keys, so a Meta chord is
//   always read as the two presses it was: Esc, then the key. A dialog never acts on it as the
//   plain key alone. https://github.com/tmux/tmux/wiki/FAQ#what-is-the-escape-time-option
// - Key repeat and fast typing deliver several characters in one chunk: typed Enter inside it is
//   Enter (it submits), the rest is text or one key each.
// - A paste comes bracketed (ESC[200~ … ESC[201~, enabled through Ink's usePaste) on its own
//   channel: it is only ever text, inserted literally into a text field (newlines and tabs as
//   spaces, controls dropped), never keys. https://invisible-island.net/xterm/ctlseqs/ctlseqs.html#h2-Bracketed-Paste-Mode

import type { Key } from 'ink';

/** One key press as the dispatcher takes it: the binding name and the text it types. */
export type KeyPress = [name: string, input: string];

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Does this Meta chord stand for Esc followed by the key (always, in firebreak)? */
export function isEscChord(key: Key): boolean {
  return key.meta && !key.ctrl;
}

/**
 * A chunk typed into a text field (several characters in one read): runs of text stay whole;
 * Enter (CR or LF; CRLF counts once) submits; Ctrl-U and backspace keep their meaning; a tab
 * becomes a space; any other control character is dropped.
 */
export function splitTyped(chunk: string): KeyPress[] {
  const out: KeyPress[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push([run, run]);
    run = '';
  };
  let prev = '';
  for (const ch of chunk) {
    if (ch === '\r' || ch === '\n') {
      if (!(ch === '\n' && prev === '\r')) (flush(), out.push(['enter', '']));
    } else if (ch === '\t') run += ' ';
    else if (ch === '\x15') (flush(), out.push(['ctrl-u', 'u']));
    else if (ch === '\x7f' || ch === '\b') (flush(), out.push(['backspace', '']));
    else if (!CONTROL.test(ch)) run += ch;
    prev = ch;
  }
  flush();
  return out;
}

/** A chunk typed outside a text field: one key press per character, Enter/Tab/Space by name. */
export function splitKeys(chunk: string): KeyPress[] {
  const out: KeyPress[] = [];
  let prev = '';
  for (const ch of chunk) {
    if (ch === '\r' || ch === '\n') {
      if (!(ch === '\n' && prev === '\r')) out.push(['enter', '']);
    } else if (ch === '\t') out.push(['tab', '']);
    else if (ch === ' ') out.push(['space', ' ']);
    else if (ch === '\x7f' || ch === '\b') out.push(['backspace', '']);
    else if (!CONTROL.test(ch)) out.push([ch, ch]);
    prev = ch;
  }
  return out;
}

/**
 * Pasted text (bracketed): literal text only. A paste must never submit a field or run a key,
 * so line breaks and tabs become single spaces and every control character is dropped.
 */
export function pastedText(text: string): string {
  let out = '';
  let prev = '';
  for (const ch of text) {
    if (ch === '\r' || ch === '\n' || ch === '\t') {
      if (!(ch === '\n' && prev === '\r')) out += ' ';
    } else if (!CONTROL.test(ch)) out += ch;
    prev = ch;
  }
  return out;
}

/**
 * Where the piece of `chunk` that starts at `i` ends: in a text field, at the next line break
 * (included; CRLF is one), else after one character (a CRLF pair together). The caller re-reads
 * the dialog between pieces, because a key ("n") can open the field the next piece types into.
 */
export function pieceEnd(chunk: string, i: number, text: boolean): number {
  if (text) {
    const cr = chunk.indexOf('\r', i);
    const lf = chunk.indexOf('\n', i);
    const at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
    if (at < 0) return chunk.length;
    return chunk[at] === '\r' && chunk[at + 1] === '\n' ? at + 2 : at + 1;
  }
  if (chunk[i] === '\r' && chunk[i + 1] === '\n') return i + 2;
  return i + (chunk.codePointAt(i)! > 0xffff ? 2 : 1);
}

/** Does text follow an Enter in this chunk (more than a trailing CR/LF)? */
export function hasTextAfterEnter(chunk: string): boolean {
  return /[\r\n][\s\S]*[^\r\n\s]/.test(chunk);
}
