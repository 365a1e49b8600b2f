// Arming and read-only sessions: A asks for the account id or cluster name typed back and journals
// session.armed; the header says ARMED, READ-ONLY or not armed, and PROD (in words, so NO_COLOR
// shows it too). A --read-only session has no destructive binding, action or palette command at all.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindingsFor } from '../../views/keymap.js';
import { helpRows } from '../../views/help-rows.js';
import { paletteFor, parseCommand } from '../../views/palette.js';
import { footerHints } from '../../views/panes/Footer.js';
import { MONO } from '../../views/theme.js';
import { linesOf, mount, recordsOf, Scratch, createJournal, stripSgr, widest, type Cockpit } from './harness.js';
import { ACCOUNT, standIns, standInSession } from './stand-in-actions.js';

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

const header = (f: string) => linesOf(f)[0]!;
const footer = (f: string) => linesOf(f).at(-1)!;

for (const [cols, rows] of [
  [80, 24],
  [200, 50],
] as const) {
  it(`A arms the session once the account id is typed back exactly (${cols}x${rows})`, async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const c = (cockpit = await mount(store, file, {
      cols,
      rows,
      actions: standInSession(store, scratch.dir, standIns()),
      prod: 'context prod-eks',
    }));
    expect(header(c.frame())).toContain('not armed (A)');
    expect(header(c.frame())).toContain(' PROD ');
    c.press('A');
    const f = await c.waitForText(
      'Arm the session for destructive actions',
      `AWS account ${ACCOUNT}`,
      'cluster prod-eks',
      'arm:',
    );
    expect(f).toMatch(/cluster prod-eks {2}→ type prod-eks PROD/);
    c.write('12345678901');
    c.press('enter');
    await c.waitFor((x) => footer(x).includes('"12345678901" matches nothing'), 'the wrong id refused');
    expect(recordsOf(file, 'session.armed')).toHaveLength(0);
    c.write('2');
    c.press('enter');
    // For this account, with the time left.
    await c.waitFor((x) => /ARMED 123456789012 (30:00|29:5\d)/.test(header(x)), 'ARMED in the header');
    const [armed] = recordsOf(file, 'session.armed').map((r) => r.data);
    expect(armed).toMatchObject({ target: ACCOUNT, confirmedName: ACCOUNT, session: store.getState().meta.session });
    expect(Date.parse((armed as { until: string }).until) - Date.now()).toBeGreaterThan(29 * 60_000);
    for (const fr of c.framesAtSize()) {
      expect(linesOf(stripSgr(fr)).length).toBeLessThanOrEqual(rows);
      expect(widest(fr)).toBeLessThanOrEqual(cols);
    }
  });
}

it(':arm NAME arms from the palette; the monochrome theme still says PROD and ARMED in words', async () => {
  const { file, store } = await createJournal(scratch, { events: 5 });
  const c = (cockpit = await mount(store, file, {
    theme: MONO,
    actions: standInSession(store, scratch.dir, standIns()),
    prod: 'profile prod-admin',
  }));
  c.press(':');
  c.write('arm prod-eks');
  c.press('enter');
  await c.waitFor((x) => header(x).includes(' ARMED '), 'ARMED');
  expect(header(c.frame())).toContain(' PROD ');
  expect(recordsOf(file, 'session.armed').map((r) => r.data.target)).toEqual(['prod-eks']);
});

describe('--read-only', () => {
  it('has no destructive bindings, actions, arming or palette commands', async () => {
    const dangerous = bindingsFor('live')
      .filter((b) => b.dangerous)
      .map((b) => b.id);
    expect(dangerous).toEqual(expect.arrayContaining(['session.arm', 'actions.undo', 'plan.override']));
    expect(bindingsFor('live', true).filter((b) => b.dangerous)).toEqual([]);
    expect(helpRows('live', true).join('\n')).not.toContain('Arm the session');
    expect(footerHints('live', 'actions', false, true)).not.toContain('A arm');
    expect(footerHints('live', 'actions', false, true)).not.toContain('u undo');
    expect(paletteFor('live', true).map((p) => p.name)).not.toContain('arm');
    expect(parseCommand('arm 123456789012', 'live', 0, true)).toEqual({
      error: 'arm is not available in a read-only session',
    });

    const { file, store } = await createJournal(scratch, { events: 5 });
    const s = standIns();
    const c = (cockpit = await mount(store, file, {
      cols: 200,
      rows: 50,
      readOnly: true,
      actions: standInSession(store, scratch.dir, s),
    }));
    expect(header(c.frame())).toContain('READ-ONLY');
    c.press('4');
    const f = await c.waitForText('▌4 Actions', '[c] ◆ Capture the role');
    // Destructive actions are absent, not disabled.
    expect(f).not.toContain('Deny-all');
    expect(f).not.toContain('Block public access');
    c.press('A');
    c.press('x');
    c.press('?');
    const help = await c.waitForText('Keys (live)');
    expect(help).not.toContain('Arm the session');
    expect(help).not.toContain('Plan the undo');
    c.press('escape');
    await c.waitFor((x) => !x.includes('Keys (live)'), 'the help to close');
    c.press(':');
    c.write('act test.denyRole iam-role:ci-deployer');
    c.press('enter');
    await c.waitFor(
      (x) =>
        footer(x).includes('no action test.denyRole in this session (destructive actions are absent in --read-only)'),
      'the refusal',
    );
    expect(recordsOf(file, 'action.planned')).toHaveLength(0);
    expect(recordsOf(file, 'session.armed')).toHaveLength(0);
    // Evidence still works in a read-only session.
    c.press('4', 'c');
    await c.waitForText('Plan: Capture the role');
    c.press('y');
    await c.waitFor((x) => footer(x).includes('succeeded and verified'), 'the capture');
    expect(s.calls.execute).toEqual({ 'test.captureRole': 1 });
  });
});
