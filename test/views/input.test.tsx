// Input that never misfires: Esc followed quickly by a key arrives as one Meta chord
// and must act as Esc then the key; Enter typed inside a chunk submits; a bracketed paste is
// literal text for the open field and is refused everywhere else.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scratch, createJournal, mount, recordsOf, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const PASTE = (text: string) => `\x1b[200~${text}\x1b[201~`;

async function setup() {
  const { file, store } = await createJournal(scratch, { events: 5 });
  const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
  return { file, c };
}

describe('Esc then a key, inside the terminal escape time', () => {
  it('closes the note field and then opens a new one: the key is never typed into the old text', async () => {
    const { file, c } = await setup();
    c.press('n');
    await c.waitForText('Add a note');
    c.write('draft');
    await c.waitForText('note: draft');
    c.write('\x1bn'); // what tmux sends for Esc, n within escape-time
    const f = await c.waitFor((x) => x.includes('Add a note') && !x.includes('draft'), 'a fresh, empty note field');
    expect(f).not.toContain('draftn');
    c.press('escape');
    await c.waitFor((x) => !x.includes('Add a note'), 'the note field closed');
    expect(recordsOf(file, 'note.added')).toEqual([]);
  });

  it('closes the severity picker and then focuses pane 1: no severity is chosen', async () => {
    const { file, c } = await setup();
    c.press('s');
    await c.waitForText('Set the severity');
    c.write('\x1b1');
    await c.waitFor((x) => !x.includes('Set the severity'), 'the picker closed');
    expect(c.ui.getState().focus).toBe('severity');
    expect(recordsOf(file, 'severity.set')).toEqual([]);
  });
});

describe('a typed chunk', () => {
  it('"n", text and Enter in one chunk add the note', async () => {
    const { file, c } = await setup();
    c.write('nfirst note\r');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data.text)).toEqual(['first note']);
  });
});

describe('an unbracketed multi-line chunk in a text field', () => {
  it('is kept as text in the field, never run as keys; Enter then submits it whole', async () => {
    const { file, c } = await setup();
    c.press('n');
    await c.waitForText('Add a note');
    // Without bracketed paste a multi-line paste is one chunk: the "n" of the second "line" would
    // open a new note, "s1" set the severity, "q" ask to quit.
    c.write('line one\rline s1 two q\r');
    await c.waitForText('note: line one line s1 two q');
    await c.waitForText('several lines arrived at once');
    expect(recordsOf(file, 'note.added')).toEqual([]);
    expect(recordsOf(file, 'severity.set')).toEqual([]);
    expect(c.quit).not.toHaveBeenCalled();
    c.press('enter');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data.text.trim())).toEqual(['line one line s1 two q']);
  });

  it('one line with its Enter still submits at once (fast typing)', async () => {
    const { file, c } = await setup();
    c.press('n');
    await c.waitForText('Add a note');
    c.write('typed fast\r');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data.text)).toEqual(['typed fast']);
  });
});

describe('a bracketed paste', () => {
  it('goes into the note field literally, line breaks as spaces, and does not submit it', async () => {
    const { file, c } = await setup();
    c.press('n');
    await c.waitForText('Add a note');
    c.write(PASTE('line one\rline two\r'));
    await c.waitForText('note: line one line two');
    expect(recordsOf(file, 'note.added')).toEqual([]);
    c.press('enter');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data.text.trim())).toEqual(['line one line two']);
  });

  it('outside a text field is refused, never run as keys', async () => {
    const { file, c } = await setup();
    c.write(PASTE('s1q'));
    await c.waitForText('paste ignored');
    expect(c.ui.getState().dialog).toBeUndefined();
    expect(recordsOf(file, 'severity.set')).toEqual([]);
    expect(c.quit).not.toHaveBeenCalled();
  });
});
