// The cockpit fits the terminal: no frame taller than `rows` (a taller frame makes Ink clear the
// screen on every frame: flicker) and no line wider than `columns`, at the sizes responders use,
// across a resize, and below the minimum size it says what it needs instead of drawing garbage.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_COLS, MIN_ROWS } from '../../views/layout.js';
import { MONO } from '../../views/theme.js';
import { Scratch, createJournal, linesOf, mount, recordsOf, stripSgr, uuid, widest, type Cockpit } from './harness.js';

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

/** Every frame written at the current size fits it. */
function expectAllFramesFit(c: Cockpit): void {
  const { cols, rows } = c.size();
  const frames = c.framesAtSize();
  expect(frames.length).toBeGreaterThan(0);
  for (const f of frames) {
    const lines = linesOf(stripSgr(f));
    expect(
      lines.length,
      `a frame is ${lines.length} lines tall at ${cols}x${rows}:\n${stripSgr(f)}`,
    ).toBeLessThanOrEqual(rows);
    expect(widest(f), `a line is wider than ${cols} columns:\n${stripSgr(f)}`).toBeLessThanOrEqual(cols);
  }
}

describe('layout', () => {
  for (const [cols, rows] of [
    [80, 24],
    [200, 50],
    [120, 40],
  ] as const) {
    it(`fits ${cols}x${rows} and shows the incident and its severity in the header`, async () => {
      const { file, store } = await createJournal(scratch, { events: 300 });
      const c = (cockpit = await mount(store, file, { cols, rows }));
      const first = c.frame();
      expect(linesOf(first)).toHaveLength(rows);
      const header = linesOf(first)[0]!;
      expect(header).toContain('INC-2026-042');
      expect(header).toContain('SEVERITY NOT SET');
      expect(header).toContain('LIVE');

      c.press('s');
      await c.waitForText('Set the severity');
      c.press('1');
      const after = await c.waitFor((f) => linesOf(f)[0]!.includes('SEV1 HIGH'), 'SEV1 HIGH in the header');
      expect(linesOf(after)[0]).not.toContain('SEVERITY NOT SET');
      expect(recordsOf(file, 'severity.set').map((r) => r.data.level)).toEqual([1]);

      // The transient layers fit too: help, a text dialog, a detail view.
      c.press('?');
      await c.waitForText('Keys (live)');
      c.press('escape');
      await c.waitFor((f) => !f.includes('Keys (live)'), 'the help to close');
      c.press('n');
      await c.waitForText('Add a note');
      c.press('escape');
      await c.waitFor((f) => !f.includes('Add a note'), 'the note dialog to close');
      c.press('enter');
      await c.waitForText(`GetObject · cloudtrail ${uuid(299)}`, 'type: event.ingested');
      c.press('escape');
      await c.waitFor((f) => f.includes('Live events'), 'the detail view to close');
      expectAllFramesFit(c);
    });
  }

  it('re-lays out when the terminal shrinks from 200x50 to 80x24, and back', async () => {
    const { file, store } = await createJournal(scratch, { events: 300 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    // Wide: the severity matrix and the two columns (the events pane sits right of the timeline).
    expect(c.frame()).toContain('Sev0 Critical');
    expect(linesOf(c.frame()).some((l) => l.includes('1 Severity') && l.includes('3 Live events'))).toBe(true);
    expectAllFramesFit(c);

    const small = await c.resize(80, 24);
    expect(linesOf(small)).toHaveLength(24);
    expect(small).not.toContain('Sev0 Critical');
    expect(linesOf(small).some((l) => l.includes('1 Severity') && l.includes('3 Live events'))).toBe(false);
    expectAllFramesFit(c);

    // Keys still work after the resize, and every later frame still fits.
    c.press('g', 'j');
    await c.waitFor((f) => f.includes('>'.concat(' 14:30:01')), 'the second event selected');
    expectAllFramesFit(c);

    const big = await c.resize(200, 50);
    expect(big).toContain('Sev0 Critical');
    expectAllFramesFit(c);
  });

  for (const [cols, rows] of [
    [50, 12],
    [MIN_COLS - 1, 30],
    [100, MIN_ROWS - 1],
  ] as const) {
    it(`below the minimum (${cols}x${rows}) says what it needs`, async () => {
      const { file, store } = await createJournal(scratch, { events: 10 });
      const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
      const f = await c.resize(cols, rows);
      expect(f).toContain(`needs at least ${MIN_COLS}x${MIN_ROWS}`);
      expect(f).toContain(`this is ${cols}x${rows}`);
      expectAllFramesFit(c);
      // Growing again brings the cockpit back.
      const back = await c.resize(80, 24);
      expect(back).toContain('INC-2026-042');
      expect(back).not.toContain('needs at least');
    });
  }

  it('at 80 columns a DEGRADED source stays on the header when a regulatory clock takes line 2', async () => {
    const { file, store } = await createJournal(scratch, { events: 3 });
    await store
      .getState()
      .actions.flagPersonalData({ awareAt: new Date(Date.UTC(2026, 3, 20, 14, 0)).toISOString(), regimes: ['gdpr'] });
    const sources = {
      health: () => [{ name: 'CloudTrail us-east-1', state: 'degraded' as const, message: 'throttled' }],
      subscribe: () => () => undefined,
    };
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, sources }));
    const f = await c.waitForText('GDPR');
    const line2 = linesOf(f)[1]!;
    expect(line2).toContain('GDPR');
    expect(line2).toContain('CloudTrail us-east-1 DEGRADED');
  });

  it('with NO_COLOR (the MONO theme) the header still says the severity in words', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24, theme: MONO }));
    expect(linesOf(c.frame())[0]).toContain('SEVERITY NOT SET');
    await store.getState().actions.setSeverity(0, 'exfiltration confirmed');
    // The header and the severity pane may land in different frames on a loaded machine: wait for both.
    const f = await c.waitFor(
      (x) => linesOf(x)[0]!.includes('SEV0 CRITICAL') && x.includes('Sev0 Critical — Immediate, all hands'),
      'SEV0 CRITICAL in the header and the severity pane',
    );
    expect(linesOf(f)[0]).toContain('SEV0 CRITICAL');
  });
});
