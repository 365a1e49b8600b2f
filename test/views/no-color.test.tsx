// NO_COLOR (no-color.org): the MONO theme must put no colour on screen at all, and every coloured
// fact must still be there in words. Ink's colour library (chalk) does not read NO_COLOR itself
// and writes no colour to a non-TTY test stream, so colour is forced on for this file: the COLOUR
// theme then shows colour codes, and the MONO theme must show none.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Harness = typeof import('./harness.js');
let h: Harness;
let MONO: typeof import('../../views/theme.js').MONO;
let COLOUR: typeof import('../../views/theme.js').COLOUR;
const saved = process.env.FORCE_COLOR;

beforeAll(async () => {
  // chalk picks its colour level when it is first imported: force it before Ink loads.
  process.env.FORCE_COLOR = '3';
  h = await import('./harness.js');
  ({ MONO, COLOUR } = await import('../../views/theme.js'));
});
afterAll(() => {
  if (saved === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = saved;
});

/** SGR parameter lists in a frame that set a colour (foreground or background, any depth). */
function colourCodes(raw: string): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex
  for (const m of raw.matchAll(/\u001b\[([0-9;]*)m/g)) {
    const params = m[1]!.split(';').map(Number);
    if (
      params.some((p) => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107))
    )
      out.push(m[0]);
  }
  return out;
}

describe('NO_COLOR', () => {
  async function run(theme: typeof MONO) {
    const scratch = new h.Scratch();
    try {
      const { file, store } = await h.createJournal(scratch, { events: 30 });
      // An error message too: it is red in colour, inverse in mono.
      const c = await h.mount(store, file, { cols: 200, rows: 50, theme });
      try {
        await store.getState().actions.setSeverity(1, 'compromised role');
        // Both the header and the pane: a frame may be drawn between the two panes' updates.
        const f = await c.waitFor(
          (x) => h.linesOf(x)[0]!.includes('SEV1 HIGH') && x.includes('Sev1 High — Within 1 hour'),
          'SEV1 HIGH in the header and the severity pane',
        );
        const raws = [c.rawFrame()];
        // The severity picker (it has the matrix too) and the help overlay.
        c.press('s');
        await c.waitForText('Set the severity', 'Sev0 Critical │');
        raws.push(c.rawFrame());
        c.press('escape');
        await c.waitFor((x) => !x.includes('Set the severity'), 'the picker to close');
        c.press('?');
        await c.waitForText('Keys (live)');
        raws.push(c.rawFrame());
        c.press('escape');
        await c.waitFor((x) => !x.includes('Keys (live)'), 'the help to close');
        c.press(':');
        await c.waitForText('Tab completes');
        c.write('frobnicate');
        c.press('enter');
        await c.waitForText('unknown command');
        raws.push(c.rawFrame());
        return { frame: f, raws };
      } finally {
        c.unmount();
      }
    } finally {
      await scratch.cleanup();
    }
  }

  it('colour is really on in this file (COLOUR shows colour codes)', async () => {
    const { raws } = await run(COLOUR);
    expect(colourCodes(raws[0]!).length).toBeGreaterThan(0);
  });

  it('the MONO theme shows the severity in words and puts no colour on screen', async () => {
    const { frame, raws } = await run(MONO);
    expect(h.linesOf(frame)[0]).toContain(' SEV1 HIGH ');
    expect(frame).toContain('Sev1 High — Within 1 hour');
    for (const raw of raws) expect(colourCodes(raw)).toEqual([]);
  });
});
