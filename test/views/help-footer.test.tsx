// Help, footer hints and the README key table all come from the one key registry
// (views/keymap.ts): every binding is in the help, the footer hints are exactly the hinted bindings of the
// active scopes, review has no writing bindings at all, and a stale README fails.

import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpRows } from '../../views/dialogs/Dialogs.js';
import { footerHints } from '../../views/panes/Footer.js';
import { BINDINGS, bindingsFor, keyLabel, keyTableMarkdown, type Mode, type Scope } from '../../views/keymap.js';
import { KEYS_END, KEYS_START, withKeyTable } from '../../app/keys-doc.js';
import { paletteFor } from '../../views/palette.js';
import { computeLayout } from '../../views/layout.js';
import { PANES } from '../../views/ui-state.js';
import { Scratch, createJournal, linesOf, mount, openForReview, type Cockpit } from './harness.js';

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

const MODES: Mode[] = ['live', 'drill', 'review'];

/** A help row as the overlay draws it: inside the border, truncated to the frame's width. */
function visible(row: string, width: number): string {
  const room = width - 2;
  return row.length > room ? row.slice(0, room - 1) + '…' : row.trimEnd();
}

/** The help overlay's content lines (between the title line and the footer line). */
function overlayRows(frame: string): string[] {
  const lines = linesOf(frame);
  const title = lines.findIndex((l) => l.includes('Keys ('));
  const foot = lines.findIndex((l) => l.includes('j/k PgUp/PgDn scroll'));
  return lines.slice(title + 1, foot).map((l) => l.replace(/^│/, '').replace(/│$/, '').trimEnd());
}

describe('help overlay', () => {
  it('helpRows lists every binding of the mode with its keys and description, grouped by scope', () => {
    for (const mode of MODES) {
      const rows = helpRows(mode);
      for (const b of bindingsFor(mode)) {
        const row = rows.find((r) => r.includes(b.description));
        expect(row, `${b.id} in the ${mode} help`).toBeDefined();
        for (const k of b.keys) expect(row).toContain(keyLabel(k));
      }
      // One heading per scope, and nothing else.
      const headings = rows.filter((r) => !r.startsWith('  '));
      // …then every palette command of the mode, each with its arguments.
      for (const p of paletteFor(mode)) expect(rows.some((r) => r.startsWith(`  :${p.name}`))).toBe(true);
      expect(rows).toHaveLength(bindingsFor(mode).length + paletteFor(mode).length + headings.length);
      expect(new Set(headings).size).toBe(headings.length);
    }
    expect(helpRows('live').join('\n')).not.toContain('Review: step');
    expect(helpRows('live').join('\n')).not.toContain('drill clock');
    expect(helpRows('drill').join('\n')).toContain('Pause or resume the drill clock');
  });

  it('? shows the first rows, j and PgDn scroll it without skipping a row, Esc closes', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    const rows = helpRows('live');
    c.press('?');
    const f = await c.waitForText(`Keys (live) — ${rows.length} lines`);
    const shown = overlayRows(f);
    const inner = computeLayout(80, 24, 'events').body - 4;
    expect(shown).toHaveLength(inner);
    expect(rows.length).toBeGreaterThan(inner);
    for (let i = 0; i < inner; i++) expect(shown[i]).toBe(visible(rows[i]!, 80));

    c.press('j');
    const one = await c.waitFor((x) => overlayRows(x)[0] === visible(rows[1]!, 80), 'the help scrolled by one');
    expect(one).not.toContain(rows[0]!);

    // A page moves by what is shown, but never past the end: the last page ends on the last row.
    const pagedTop = Math.min(1 + inner, rows.length - inner);
    c.press('pagedown');
    const paged = await c.waitFor(
      (x) => overlayRows(x)[0] === visible(rows[pagedTop]!, 80),
      'the help scrolled by a page',
    );
    expect(overlayRows(paged).at(-1)).toBe(visible(rows[pagedTop + inner - 1]!, 80));
    // Page on until the end: the last page ends on the last row, and one more page stays there.
    const max = rows.length - inner;
    for (let top = pagedTop; top < max;) {
      top = Math.min(top + inner, max);
      c.press('pagedown');
      const want = visible(rows[top]!, 80);
      await c.waitFor((x) => overlayRows(x)[0] === want, `the help at row ${top}`);
    }
    c.press('pagedown');
    await c.waitFor(
      (x) => overlayRows(x)[0] === visible(rows[rows.length - inner]!, 80),
      'the help clamped at its end',
    );
    c.press('pageup');
    const backTop = Math.max(0, rows.length - inner - inner);
    await c.waitFor((x) => overlayRows(x)[0] === visible(rows[backTop]!, 80), 'the help back a page');

    c.press('escape');
    await c.waitFor((x) => !x.includes('Keys (live)') && x.includes('Live events'), 'the help to close');
  });

  it('in review the help has no writing bindings', async () => {
    const { file } = await createJournal(scratch, { events: 5 });
    await scratch.closeJournals();
    const store = await openForReview(file);
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 80, mode: 'review' }));
    c.press('?');
    const f = await c.waitForText('Keys (review)', 'Review: step to the next record', 'Review: jump to a time (UTC)');
    for (const b of BINDINGS.filter((x) => x.writes || x.dangerous)) {
      expect(f).not.toContain(b.description);
      expect(helpRows('review').join('\n')).not.toContain(b.description);
    }
    expect(f).not.toContain('Set the severity');
    expect(f).not.toContain('Pin the selected event');
    // Every review row fits on this screen: all of them are shown.
    for (const r of helpRows('review')) expect(f).toContain(r.trimEnd());
  });
});

describe('footer hints', () => {
  /** The scopes a key is looked up in for a focus (dispatch order: pane, list, drill, review, global). */
  function activeScopes(focus: string): Scope[] {
    const list = focus === 'timeline' || focus === 'events';
    return [
      ...(list ? [focus as Scope, 'list' as Scope] : []),
      ...(focus === 'actions' ? ['actions' as Scope] : []),
      'drill',
      'review',
      'global',
    ];
  }

  it('for each mode and focus, are exactly the hinted bindings of the active scopes', () => {
    for (const mode of MODES) {
      for (const focus of PANES) {
        const list = focus === 'timeline' || focus === 'events';
        const hints = footerHints(mode, focus, list).split('  ');
        const expected = bindingsFor(mode)
          .filter((b) => b.hint && activeScopes(focus).includes(b.scope))
          .map((b) => `${keyLabel(b.keys[0]!)} ${b.hint}`);
        expect(hints.sort(), `${mode}/${focus}`).toEqual(expected.sort());
        // Nothing that writes is hinted in review.
        if (mode === 'review')
          for (const b of BINDINGS.filter((x) => x.writes))
            expect(hints).not.toContain(`${keyLabel(b.keys[0]!)} ${b.hint}`);
      }
    }
  });

  it('have the counts the registry implies (a binding added or dropped shows up here)', () => {
    const count = (mode: Mode, focus: string) =>
      footerHints(mode, focus, focus === 'timeline' || focus === 'events').split('  ').length;
    expect(count('live', 'events')).toBe(11);
    expect(count('live', 'timeline')).toBe(11);
    expect(count('live', 'severity')).toBe(8);
    expect(count('live', 'actions')).toBe(13);
    // The drill's clock keys are on the footer, not only in help: space, + and N.
    expect(count('drill', 'events')).toBe(14);
    expect(footerHints('drill', 'events', true)).toMatch(/Space pause {2}\+ faster {2}N next$/);
    expect(count('review', 'events')).toBe(7);
    expect(count('review', 'severity')).toBe(5);
    expect(footerHints('live', 'events', true)).toBe(
      '? help  q quit  : cmd  s severity  p phase  n note  r role  A arm  Enter detail  / filter  m pin',
    );
    // A --read-only session drops arming and undo (dangerous); the pane keeps plan and verify.
    expect(footerHints('live', 'actions', false, true)).toBe(
      '? help  q quit  : cmd  s severity  p phase  n note  r role  Enter plan  v verify',
    );
    expect(footerHints('review', 'events', true)).toBe('? help  q quit  : cmd  Enter detail  / filter  ] step  t time');
  });

  it('the rendered footer follows the focus', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    const last = (f: string) => linesOf(f).at(-1)!.trimEnd();
    expect(last(c.frame())).toBe(footerHints('live', 'events', true));
    c.press('1');
    await c.waitFor((f) => last(f) === footerHints('live', 'severity', false), 'the severity pane hints');
    expect(last(c.frame())).not.toContain('m pin');
    c.press('2');
    await c.waitFor((f) => last(f) === footerHints('live', 'timeline', true), 'the timeline hints');
    c.press('tab');
    await c.waitFor((f) => last(f) === footerHints('live', 'events', true), 'tab to the events hints');
  });
});

describe('README key table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('is the table the registry generates (run `npm run keys` after changing a binding)', () => {
    expect(withKeyTable(readme)).toBe(readme);
    expect(readme).toContain(keyTableMarkdown());
  });

  it('a stale README is detected', () => {
    const row = readme.split('\n').find((l) => l.includes('| Set the severity |'))!;
    expect(row).toBeDefined();
    const stale = readme.replace(row + '\n', '');
    expect(withKeyTable(stale)).not.toBe(stale);
    expect(withKeyTable(stale)).toBe(readme);
    const between = stale.slice(stale.indexOf(KEYS_START), stale.indexOf(KEYS_END));
    expect(between).not.toContain('Set the severity');
  });
});
