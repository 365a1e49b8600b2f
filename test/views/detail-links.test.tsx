// Detail that reads: a detection lists its events by time, action and actor; Tab picks one and
// Enter jumps to it in the live events (the first without Tab); long lines wrap at word boundaries.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wrapLines } from '../../views/format.js';
import { Scratch, createJournal, keyOf, mount, selectedRow, type Cockpit } from './harness.js';

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

describe('a detection in detail', () => {
  it('names its events and Enter selects the first one in the live events', async () => {
    const { file, store } = await createJournal(scratch, { events: 40 });
    await store.getState().actions.raiseDetection({
      ruleId: 'cloudtrail.s3-getobject-volume',
      title: 'Unusual S3 GetObject volume',
      severity: 1,
      eventKeys: [keyOf(7), keyOf(8)],
      why: 'test',
    });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
    c.press('2'); // the timeline: the detection is its newest entry, selected
    await c.waitFor((f) => /^>.*DET /m.test(f), 'the detection selected');
    c.press('enter');
    const f = await c.waitForText('events (2 — Tab picks one, Enter jumps to it):');
    expect(f).toMatch(/14:30:07 GetObject by ci-deployer\/i-0abc123def4567890/);
    c.press('enter');
    const g = await c.waitForText('event 1 of 2 linked to this entry');
    expect(c.ui.getState().focus).toBe('events');
    expect(selectedRow(g, 3)).toMatch(/^> 14:30:07 CT GetObject/);
  });

  it('Tab picks a later linked event, Shift-Tab goes back, Enter jumps to the one picked', async () => {
    const { file, store } = await createJournal(scratch, { events: 40 });
    await store.getState().actions.raiseDetection({
      ruleId: 'cloudtrail.s3-getobject-volume',
      title: 'Unusual S3 GetObject volume',
      severity: 1,
      eventKeys: [keyOf(7), keyOf(8), keyOf(9)],
      why: 'test',
    });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
    c.press('2');
    await c.waitFor((f) => /^>.*DET /m.test(f), 'the detection selected');
    c.press('enter');
    await c.waitForText('Tab picks an event');
    c.press('tab');
    c.press('tab');
    c.press('tab');
    c.press('shift-tab');
    // Picked: the second of three, marked on its line.
    const f = await c.waitFor((x) => /▸.*14:30:08 GetObject/.test(x), 'the second event marked');
    expect(f).not.toMatch(/▸.*14:30:07/);
    c.press('enter');
    const g = await c.waitForText('event 2 of 3 linked to this entry');
    expect(selectedRow(g, 3)).toMatch(/^> 14:30:08 CT GetObject/);
  });
});

describe('wrapping', () => {
  it('breaks at spaces or ARN separators, never inside a word', () => {
    const out = wrapLines(['    "principalId": "AROA3EXAMPLEROLEID:i-0abc123def4567890 principal session"'], 40);
    expect(out.every((l) => l.length <= 40)).toBe(true);
    expect(out.join(' ')).not.toMatch(/princ ipal/);
    expect(out[1]!.startsWith('      ')).toBe(true); // hangs under the text
    const arn = wrapLines(['arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-api-7c1e0f9d'], 30);
    expect(arn[0]).toBe('arn:aws:sts::123456789012:');
  });
});
