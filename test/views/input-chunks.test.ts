import { describe, expect, it } from 'vitest';
import { pastedText, pieceEnd, splitKeys, splitTyped, hasTextAfterEnter } from '../../views/input-chunks.js';

describe('a chunk typed into a text field', () => {
  it('keeps text whole, submits on Enter (CRLF once), and keeps Ctrl-U and backspace', () => {
    expect(splitTyped('line one\rline two\r\n')).toEqual([
      ['line one', 'line one'],
      ['enter', ''],
      ['line two', 'line two'],
      ['enter', ''],
    ]);
    expect(splitTyped('\x15xyz')).toEqual([
      ['ctrl-u', 'u'],
      ['xyz', 'xyz'],
    ]);
    expect(splitTyped('ab\x7fc\td')).toEqual([
      ['ab', 'ab'],
      ['backspace', ''],
      ['c d', 'c d'],
    ]);
  });

  it('drops every other control character, so typed bytes cannot inject', () => {
    expect(splitTyped('a\x1b]0;x\x07b\u009bc')).toEqual([['a]0;xbc', 'a]0;xbc']]);
  });
});

describe('a chunk typed outside a text field', () => {
  it('is one key press per character, with Enter, Tab and Space by name', () => {
    expect(splitKeys('jk\r\n \t\x07é')).toEqual([
      ['j', 'j'],
      ['k', 'k'],
      ['enter', ''],
      ['space', ' '],
      ['tab', ''],
      ['é', 'é'],
    ]);
  });
});

describe('pasted (bracketed) text', () => {
  it('is literal text: line breaks and tabs are spaces, controls are gone, nothing submits', () => {
    expect(pastedText('line one\r\nline two\rthree\n\tfour\x15\x7f\x1b[2J')).toBe('line one line two three  four[2J');
  });
});

describe('pieces of a chunk', () => {
  it('ends a text piece after its line break and a key piece after one character', () => {
    expect(pieceEnd('ab\r\ncd', 0, true)).toBe(4);
    expect(pieceEnd('ab\ncd', 0, true)).toBe(3);
    expect(pieceEnd('abcd', 1, true)).toBe(4);
    expect(pieceEnd('\r\nx', 0, false)).toBe(2);
    expect(pieceEnd('😀x', 0, false)).toBe(2);
    expect(pieceEnd('xy', 1, false)).toBe(2);
  });
});

it('text after an Enter is what marks an unbracketed multi-line paste', () => {
  expect(hasTextAfterEnter('line one\rline two\r')).toBe(true);
  expect(hasTextAfterEnter('a\r\nb')).toBe(true);
  expect(hasTextAfterEnter('typed fast\r')).toBe(false);
  expect(hasTextAfterEnter('typed fast\r\n')).toBe(false);
  expect(hasTextAfterEnter('no enter')).toBe(false);
});
