import { describe, expect, it } from 'vitest';
import { splitPaste } from '../../views/App.js';

describe('a chunk typed or pasted into a text field', () => {
  it('keeps text whole, turns newlines and tabs into spaces, and keeps Ctrl-U and backspace', () => {
    expect(splitPaste('first line\nsecond\tthird')).toEqual([['first line second third', 'first line second third']]);
    expect(splitPaste('\x15xyz')).toEqual([
      ['ctrl-u', 'u'],
      ['xyz', 'xyz'],
    ]);
    expect(splitPaste('ab\x7fc')).toEqual([
      ['ab', 'ab'],
      ['backspace', ''],
      ['c', 'c'],
    ]);
  });

  it('drops every other control character, so a paste can neither submit nor inject', () => {
    expect(splitPaste('a\x1b]0;x\x07b\u009bc')).toEqual([['a]0;xbc', 'a]0;xbc']]);
  });
});
