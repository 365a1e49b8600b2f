// Quitting asks first (and only y — or a second Ctrl-C — quits), and the `:` command palette
// completes, runs and refuses commands, writing the journal only for a valid one.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Scratch,
  createJournal,
  linesOf,
  mount,
  readJournal,
  recordsOf,
  sizeOf,
  until,
  type Cockpit,
} from './harness.js';

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

async function setup(cols = 80, rows = 24) {
  const { file, store } = await createJournal(scratch, { events: 10 });
  const c = (cockpit = await mount(store, file, { cols, rows }));
  return { file, store, c };
}

describe('quit', () => {
  it('q asks; x cancels; q then y quits exactly once', async () => {
    const { c } = await setup();
    c.press('q');
    await c.waitForText('Quit firebreak?', 'y quits · any other key stays');
    c.press('x');
    await c.waitFor((f) => !f.includes('Quit firebreak?') && f.includes('Live events'), 'the prompt to close');
    expect(c.quit).not.toHaveBeenCalled();

    c.press('q');
    await c.waitForText('Quit firebreak?');
    c.press('y');
    await until(() => c.quit.mock.calls.length > 0, 'deps.quit');
    // A barrier: a later key has been handled, and quit was still called only once.
    c.press('escape');
    await c.waitFor((f) => !f.includes('Quit firebreak?'), 'the prompt to close');
    expect(c.quit).toHaveBeenCalledTimes(1);
  });

  it('Ctrl-C asks; a second Ctrl-C quits', async () => {
    const { c } = await setup();
    c.press('ctrl-c');
    await c.waitForText('Quit firebreak?');
    expect(c.quit).not.toHaveBeenCalled();
    c.press('ctrl-c');
    await until(() => c.quit.mock.calls.length > 0, 'deps.quit');
    expect(c.quit).toHaveBeenCalledTimes(1);
  });

  it('Esc in the prompt stays', async () => {
    const { c } = await setup();
    c.press('q');
    await c.waitForText('Quit firebreak?');
    c.press('escape');
    await c.waitFor((f) => !f.includes('Quit firebreak?'), 'the prompt to close');
    expect(c.quit).not.toHaveBeenCalled();
  });
});

describe('command palette', () => {
  it('Tab completes "sev" to "severity " and then offers the levels', async () => {
    const { c } = await setup();
    c.press(':');
    await c.waitForText('Command', 'Tab completes · ↑↓ history · Enter runs · Esc cancels');
    c.write('sev');
    const typed = await c.waitForText(': sev');
    expect(typed).toContain('severity <0-3|critical|high|medium|low> [reason]');
    c.press('tab');
    const f = await c.waitForText(': severity', 'severity critical', 'severity high');
    expect(c.ui.getState().dialog).toMatchObject({ kind: 'palette', text: 'severity ' });
    expect(f).toContain('severity low');
    // "severity h" + Tab completes the argument too.
    c.press('h', 'tab');
    await c.waitFor(
      () => (c.ui.getState().dialog as { text?: string } | undefined)?.text === 'severity high ',
      '"severity high "',
    );
    await c.waitForText(': severity high');
  });

  it(':severity high compromised role + Enter records Sev1 with that reason', async () => {
    const { file, c } = await setup(200, 50);
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('sev');
    c.press('tab');
    await c.waitForText('severity critical');
    c.write('high compromised role');
    await c.waitForText(': severity high compromised role');
    c.press('enter');
    await c.waitForText('severity Sev1 High — recorded');
    expect(recordsOf(file, 'severity.set').map((r) => r.data)).toEqual([{ level: 1, reason: 'compromised role' }]);
    const f = c.frame();
    expect(linesOf(f)[0]).toContain('SEV1 HIGH');
    expect(f).toContain('why: compromised role');
    expect(f).not.toContain('Tab completes');
  });

  it('↑ and ↓ walk the history of this session, and ↓ past the newest brings back what was typed', async () => {
    const { c } = await setup();
    for (const line of ['filter GetObject', 'filter PutBucketPolicy']) {
      c.press(':');
      await c.waitForText('Tab completes');
      c.write(line);
      await c.waitForText(`: ${line}`);
      c.press('enter');
      await c.waitFor((f) => !f.includes('Tab completes'), 'the palette to close');
    }
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('sev');
    await c.waitForText(': sev');
    c.press('up');
    await c.waitForText(': filter PutBucketPolicy');
    c.press('up');
    await c.waitForText(': filter GetObject');
    c.press('up'); // the oldest stays
    await c.waitForText(': filter GetObject');
    c.press('down');
    await c.waitForText(': filter PutBucketPolicy');
    c.press('down');
    await c.waitFor((f) => f.includes(': sev') && !f.includes(': filter'), 'the draft back');
    expect(c.ui.getState().paletteHistory).toEqual(['filter GetObject', 'filter PutBucketPolicy']);
  });

  it('an unknown command, or a bad argument, shows an error and writes nothing', async () => {
    const { file, c } = await setup();
    const size = sizeOf(file);
    const records = readJournal(file).length;
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('frobnicate now');
    c.press('enter');
    await c.waitForText('✗ :frobnicate now — unknown command "frobnicate" (Tab lists the commands)');
    // A failed command closes the palette: the next ":" starts clean (it never appends to the
    // failed text), and ↑ brings the failed line back to fix it.
    expect(c.frame()).not.toContain('Tab completes');
    c.press(':');
    await c.waitForText('Tab completes');
    expect(c.frame()).not.toContain('frobnicate');
    c.press('up');
    await c.waitForText(': frobnicate now');
    c.press('ctrl-u');
    await c.waitFor((f) => !f.includes('frobnicate'), 'the field cleared');
    c.write('severity extreme');
    c.press('enter');
    await c.waitForText('✗ :severity extreme — usage: severity <0-3|critical|high|medium|low> [reason]');

    // Review-only commands are not available live.
    c.press(':');
    await c.waitForText('Tab completes');
    c.write('goto 3');
    c.press('enter');
    await c.waitForText('✗ :goto 3 — goto is not available in live mode');

    expect(sizeOf(file)).toBe(size);
    expect(readJournal(file)).toHaveLength(records);
  });
});
