// Layout in a real terminal: the frame is never taller than the terminal (a taller frame scrolls
// the alternate screen, pushing the header off and flickering on every update), at the smallest
// supported size, a large one, and across a resize while the drill is running.

import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { killAll, sandbox, spawnCli, type Sandbox, type TerminalSession, quitCockpit } from './terminal.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(async () => {
  await killAll();
  box.remove();
});

const HEADER = /^ DRILL +SEVERITY NOT SET /;
const FOOTER = /^\? help {2}q quit {2}: cmd/;

/** Header on the first row, footer hints on the last, some events shown, in the alternate screen. */
function framed(t: TerminalSession, minEvents: number) {
  return function framed(s: string): boolean {
    const lines = s.split('\n');
    const m = /3 Live events {2}(\d+) of/.exec(s);
    return (
      HEADER.test(lines[0]!) &&
      FOOTER.test(lines.at(-1)!) &&
      !!m &&
      Number(m[1]) >= minEvents &&
      t.term.buffer.active.type === 'alternate'
    );
  };
}

function expectNeverScrolled(t: TerminalSession): void {
  expect(t.term.buffer.active.type).toBe('alternate');
  expect(t.term.buffer.active.baseY).toBe(0);
  // onScroll counts every line pushed off the top of the alternate screen (baseY alone stays 0 there).
  expect(t.altScrolls, 'lines scrolled off the alternate screen').toBe(0);
  expect(t.lines().filter((l) => HEADER.test(l))).toHaveLength(1);
}

it('fits 80x24 (stacked panes) and 200x50 (side by side) without ever scrolling', async () => {
  const small = spawnCli(['drill', '--journal', join(box.dir, 'small.jsonl'), '--speed', '120'], {
    env: box.env,
    cols: 80,
    rows: 24,
  });
  const big = spawnCli(['drill', '--journal', join(box.dir, 'big.jsonl'), '--speed', '120'], {
    env: box.env,
    cols: 200,
    rows: 50,
  });

  // Several live updates (events arriving) must each repaint in place.
  await small.waitFor(framed(small, 4), undefined, 'a full 80x24 frame with 4 events');
  expectNeverScrolled(small);
  // Stacked: every pane title starts at the left edge, one under the other.
  const titles = small
    .lines()
    .map((l) => /^[ ▌]([1-4]) /.exec(l)?.[1])
    .filter(Boolean);
  expect(titles).toEqual(['1', '2', '3', '4']);

  await big.waitFor(framed(big, 4), undefined, 'a full 200x50 frame with 4 events');
  expectNeverScrolled(big);
  // Wide: severity and live events share a row; the timeline is on the left half, actions on the right.
  expect(big.lines().some((l) => /^ 1 Severity .*▌3 Live events/.test(l))).toBe(true);
  expect(big.lines().some((l) => /^ 2 Timeline /.test(l))).toBe(true);
  expect(big.lines().some((l) => l.indexOf(' 4 Actions') >= 100)).toBe(true);

  // A dialog taller than the body would push the footer off: the help overlay at 80x24.
  small.press('?');
  await small.waitFor(
    (s) => s.includes('Keys (drill)') && FOOTER.test(s.split('\n').at(-1)!),
    undefined,
    'the help overlay inside the frame',
  );
  expectNeverScrolled(small);
});

it('keeps the header on the first row and the footer on the last across a resize from 200x50 to 80x24', async () => {
  const t = spawnCli(['drill', '--journal', join(box.dir, 'resize.jsonl'), '--speed', '120'], {
    env: box.env,
    cols: 200,
    rows: 50,
  });
  await t.waitFor(framed(t, 2), undefined, 'a full 200x50 frame');
  expectNeverScrolled(t);
  expect(t.lines().some((l) => /^ 1 Severity .*▌3 Live events/.test(l))).toBe(true);

  t.resize(80, 24);
  // Stacked again: the live-events title now starts at the left edge.
  await t.waitFor((s) => framed(t, 2)(s) && /^▌3 Live events/m.test(s), undefined, 'the 80x24 frame after the resize');
  expect(t.row(0)).toMatch(HEADER);
  expect(t.row(23)).toMatch(FOOTER);
  expect(t.lines().filter((l) => HEADER.test(l))).toHaveLength(1);

  // Shrinking is allowed to scroll once: Ink repaints the last (200x50) tree on SIGWINCH before
  // React sees the new size, then clears and redraws (the old, taller frame no longer fits: one
  // full clear). From here on, live updates and key presses must repaint in place at the new size.
  const scrolled = t.altScrolls;
  const before = /3 Live events {2}(\d+) of/.exec(t.screen())![1];
  t.press('2');
  await t.waitFor(
    (s) => /^▌2 Timeline/m.test(s) && /3 Live events {2}(\d+) of/.exec(s)?.[1] !== before,
    undefined,
    'the timeline focused and a new event delivered',
  );
  expect(t.altScrolls - scrolled, 'lines scrolled off after the resize').toBe(0);
  expect(t.row(0)).toMatch(HEADER);
  expect(t.row(23)).toMatch(FOOTER);

  await quitCockpit(t);
});
