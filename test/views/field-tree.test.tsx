// The full-record view is a folded field tree: the event's fields first, the raw record folded,
// Enter opens a branch, y copies the selected field's whole value — never raw JSON wrapped mid-word.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldRows, pathLabel, valueAt } from '../../views/field-tree.js';
import { Scratch, createJournal, mount, type Cockpit } from './harness.js';

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

/** The selected row of the detail frame (marked `>`, so it reads without colour too). */
function selected(frame: string): string | undefined {
  return /^│ ?>(.*?) *│$/m.exec(frame)?.[1]?.trim();
}

describe('the full-record view', () => {
  it('folds the raw record, opens it with Enter and copies a field with y', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const copied: string[] = [];
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, copy: (t) => copied.push(t) }));
    c.press('enter'); // the newest event, selected
    let f = await c.waitForText('▾ event');
    expect(f).toMatch(/action: GetObject/);
    expect(f).not.toContain('"eventVersion"'); // no raw JSON
    expect(f).not.toContain('principalId'); // folded below raw
    // Move down to the raw row and open it.
    for (let i = 0; i < 40 && selected(c.frame())?.startsWith('▸ raw') !== true; i++) {
      c.press('j');
      await c.waitFor(() => true);
    }
    expect(selected(c.frame())).toMatch(/^▸ raw \{\d+ fields\}/);
    c.press('y');
    f = await c.waitForText('copied data.event.raw');
    expect(JSON.parse(copied.at(-1)!)).toMatchObject({ eventName: 'GetObject', eventSource: 's3.amazonaws.com' });
    c.press('enter');
    f = await c.waitForText('▾ raw {');
    expect(f).toContain('eventSource: s3.amazonaws.com');
    expect(f).toContain('▸ userIdentity {4 fields}');
    // The raw record's fields in the order it was written (journal format 2 keeps it).
    c.press('j');
    c.press('y');
    await c.waitForText('copied data.event.raw.eventVersion (4 bytes)');
    expect(copied.at(-1)).toBe('1.09');
  });

  it('o opens every branch and folds them back', async () => {
    const { file, store } = await createJournal(scratch, { events: 2 });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 60 }));
    c.press('enter');
    await c.waitForText('▸ raw {');
    c.press('o');
    const f = await c.waitForText('▾ userIdentity {4 fields}');
    expect(f).toContain('principalId: AROA3EXAMPLEROLEID:i-0abc123def4567890');
    c.press('o');
    await c.waitFor((x) => x.includes('▸ raw {') && !x.includes('principalId'), 'everything folded back');
  });

  it('says why it cannot copy without a terminal', async () => {
    const { file, store } = await createJournal(scratch, { events: 2 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    c.press('enter');
    await c.waitForText('▾ event');
    c.press('y');
    await c.waitForText('copy needs a terminal (OSC 52)');
  });
});

describe('fieldRows', () => {
  it('keeps keys holding dots and brackets apart, and copies by keys, not by a parsed path', () => {
    const v = { data: { event: { 'a.b': { '[0]': 'x' }, a: { b: 'wrong' } } } };
    const rows = fieldRows(v, new Set([JSON.stringify(['data', 'event', 'a.b'])]), 80);
    const leaf = rows.find((r) => r.text.includes('[0]: x'))!;
    expect(valueAt(v, leaf.keys)).toBe('x');
    expect(pathLabel(v, leaf.keys)).toBe('data.event.a.b.[0]');
  });

  it('summarises a huge container instead of drawing every member', () => {
    const v = { data: { event: { list: Array.from({ length: 100_000 }, (_, i) => i) } } };
    const rows = fieldRows(v, new Set([JSON.stringify(['data', 'event', 'list'])]), 80);
    expect(rows.length).toBeLessThan(510);
    expect(rows.at(-1)!.text).toMatch(/… 99500 more/);
  });

  it('cuts a long value to the width until opened, then wraps it under its key', () => {
    const long = 'arn:aws:iam::123456789012:role/' + 'x'.repeat(200);
    const v = { data: { event: { policy: long } } };
    const closed = fieldRows(v, new Set(), 60);
    expect(closed.filter((r) => r.text.includes('policy')).length).toBe(1);
    expect(closed.at(-1)!.text.endsWith(' …')).toBe(true);
    const open = fieldRows(v, new Set([JSON.stringify(['data', 'event', 'policy'])]), 60);
    expect(open.length).toBeGreaterThan(closed.length);
    expect(open.every((r) => r.text.length <= 60)).toBe(true);
    expect(open.map((r) => r.text.trim()).join('')).toContain('x'.repeat(100));
  });
});
