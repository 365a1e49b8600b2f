// Moving through 1,000 events: first/last, line and page steps, the filter, the detail view of the
// full journal record, key repeat and paste, and attacker-controlled text that must reach the
// screen only as visible, inert characters.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeLayout, listRows } from '../../views/layout.js';
import {
  Scratch,
  cloudTrailEvent,
  createJournal,
  linesOf,
  mount,
  paneLines,
  recordsOf,
  selectedRow,
  stripSgr,
  uuid,
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

/** 14:30:00 + n seconds, as the events pane shows event n's time. */
function hmsOf(n: number): string {
  const s = 30 * 60 + n;
  return `14:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Waits until the events pane's selected row is event n. */
async function expectSelected(c: Cockpit, n: number): Promise<string> {
  const f = await c.waitFor(
    (x) => selectedRow(x, 3)?.startsWith(`> ${hmsOf(n)} CT`) ?? false,
    `event ${n} (${hmsOf(n)}) selected`,
  );
  // Exactly one row of the events pane carries the marker.
  expect(paneLines(f, 3).filter((l) => l.startsWith('>'))).toHaveLength(1);
  return f;
}

describe('navigation over 1,000 events (80x24)', () => {
  async function setup() {
    const { file, store } = await createJournal(scratch, { events: 1000 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    c.press('3');
    await c.waitForText('▌3 Live events');
    return { file, store, c };
  }

  it('g, G, j, k, ↓, ↑, PgDn and PgUp move the selection', async () => {
    const { c } = await setup();
    // Following the newest event on open.
    expect(selectedRow(c.frame(), 3)).toMatch(/^> 14:46:39 CT/);
    expect(c.frame()).toContain('1000 of 1000 · following');

    c.press('g');
    const top = await expectSelected(c, 0);
    expect(top).toContain('1000 of 1000 · scrolled (G follows)');
    c.press('G');
    const bottom = await expectSelected(c, 999);
    expect(bottom).toContain('· following');

    c.press('g', 'j');
    await expectSelected(c, 1);
    c.press('j');
    await expectSelected(c, 2);
    c.press('k');
    await expectSelected(c, 1);
    c.press('down', 'down');
    await expectSelected(c, 3);
    c.press('up');
    await expectSelected(c, 2);

    // A page is the rows the pane shows (less its title and heading) less one row of context.
    const page = listRows('events', computeLayout(80, 24, 'events').panes.events.height) - 1;
    expect(page).toBeGreaterThan(1);
    c.press('pagedown');
    await expectSelected(c, 2 + page);
    c.press('pagedown');
    await expectSelected(c, 2 + 2 * page);
    c.press('pageup');
    await expectSelected(c, 2 + page);
    // k at the top and j at the bottom stay put.
    c.press('g', 'k');
    await expectSelected(c, 0);
    c.press('G', 'j');
    await expectSelected(c, 999);
  });

  it('the note and filter fields open under the panes at 80x24, not over them', async () => {
    const { c } = await setup();
    for (const [key, title] of [
      ['n', 'Add a note'],
      ['/', 'Filter the events'],
    ] as const) {
      c.press(key);
      const f = await c.waitForText(title);
      // The panes are still drawn above the field, the footer below it, inside 24 rows.
      expect(f).toContain('1 Severity');
      expect(f).toContain('3 Live events');
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(lines.findIndex((l) => l.includes(title))).toBeGreaterThan(
        lines.findIndex((l) => l.includes('3 Live events')),
      );
      c.press('escape');
      await c.waitFor((x) => !x.includes(title), 'the field closed');
    }
  });

  it('/ filters as you type ("N matching"); Enter keeps the filter, Esc on the pane clears it', async () => {
    const { c } = await setup();
    c.press('/');
    await c.waitForText('Filter the events');
    for (const ch of 'PutBucketPolicy') c.press(ch);
    // The list it filters stays in view under the field, narrowing as it is typed.
    const typing = await c.waitForText('/ PutBucketPolicy', '20 matching "PutBucketPolicy" of 1000');
    expect(paneLines(typing, 3).filter((l) => /\d\d:\d\d:\d\d CT PutBucketPolicy/.test(l)).length).toBeGreaterThan(3);
    c.press('enter');
    // Every 50th event is a PutBucketPolicy: 20 of the 1,000.
    const f = await c.waitFor(
      (x) => x.includes('20 matching "PutBucketPolicy" of 1000') && !x.includes('Filter the events'),
      'the filter kept, the field closed',
    );
    const rows = paneLines(f, 3).filter((l) => /\d\d:\d\d:\d\d CT/.test(l));
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r).toContain('PutBucketPolicy');
    expect(f).not.toContain('GetObject');
    // The newest match is selected: event 950, 14:45:50.
    expect(selectedRow(f, 3)).toMatch(/^> 14:45:50 CT PutBucketPolicy/);
    c.press('g');
    await expectSelected(c, 0);

    // Esc on the pane clears the filter.
    c.press('escape');
    await c.waitForText('1000 of 1000');

    // Esc in the filter dialog closes it but keeps what was typed (Esc again clears).
    c.press('/');
    await c.waitForText('Filter the events');
    c.write('customers-99');
    await c.waitForText('/ customers-99');
    c.press('escape');
    // customers-99 and customers-990 … 999.
    const kept = await c.waitFor(
      (x) => x.includes('11 matching "customers-99" of 1000') && !x.includes('Filter the events'),
      'the field closed, the filter kept',
    );
    expect(kept).toContain('11 matching');
    c.press('escape');
    await c.waitForText('1000 of 1000');

    // A filter that matches nothing says so, and how to clear it.
    c.press('/');
    await c.waitForText('Filter the events');
    c.write('no-such-bucket');
    c.press('enter');
    await c.waitForText('0 matching "no-such-bucket"', 'nothing matches "no-such-bucket" — Esc clears the filter');
  });

  it('Enter opens the full journal record as a field tree, and Esc closes it', async () => {
    const { c } = await setup();
    c.press('g');
    for (let i = 0; i < 7; i++) c.press('j');
    await expectSelected(c, 7);
    c.press('enter');
    const f = await c.waitForText(`GetObject · cloudtrail ${uuid(7)}`, 'type: event.ingested');
    expect(f).toContain('seq: 9');
    expect(f).toContain(`id: ${uuid(7)}`);
    expect(f).toMatch(/row 1\/\d+/);
    // G goes to the last field (the record's hash); the raw CloudTrail record, the event's last
    // field as it was built, is folded just above it.
    c.press('G');
    const end = await c.waitForText('hash: ');
    const total = Number(/row (\d+)\/(\d+)/.exec(end)![2]);
    expect(end).toContain(`row ${total}/${total}`);
    expect(end).toMatch(/^│>\s*hash: /m);
    expect(end).toMatch(/▸ raw \{\d+ fields\}/);
    // g goes back to the first row.
    c.press('g');
    const back = await c.waitForText('row 1/');
    expect(back).toMatch(/^│>\s*v: 2/m);
    expect(back).toMatch(/│ ▾ data \{1 field\}/);
    expect(back).toMatch(/│ {3}▾ event \{\d+ fields\}/);
    c.press('escape');
    await c.waitFor((x) => x.includes('▌3 Live events') && !x.includes('▾ data'), 'the detail view to close');
    await expectSelected(c, 7);
  });

  it('escape sequences and bidi overrides in an event reach the screen only as visible tokens', async () => {
    const { file, store } = await createJournal(scratch, { events: 20 });
    const evil = '\u001b]0;pwned\u0007';
    const actor = `arn:aws:iam::123456789012:user/${evil}\u202eexe.sh`;
    await store.getState().actions.ingestEvents([
      cloudTrailEvent(20, {
        actor,
        userAgent: `aws-cli ${evil}\u001b[2J\u202egnp.exe`,
        targets: [`arn:aws:s3:::prod-data/${evil}\u202eslx.csv`],
      }),
    ]);
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    const check = (raw: string) => {
      const text = stripSgr(raw);
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\u0007');
      expect(text).not.toContain('\u202e');
    };
    // Live events: the injected row is the newest, selected; its actor shows the tokens.
    let f = await c.waitForText('␛]0;pwned␇');
    // (The actor column at 80 columns may cut after the tokens; the detail view below shows it whole.)
    expect(selectedRow(f, 3)).toContain('␛]0;pwned␇<');
    check(c.rawFrame());

    // The detail view shows strings bare: every control and bidi override must become a token.
    c.press('enter');
    await c.waitForText('type: event.ingested');
    c.press('G');
    f = await c.waitForText('hash: ');
    expect(f).toContain('userAgent: aws-cli ␛]0;pwned␇␛[2J<U+202E>gnp.exe');
    c.press('escape');
    await c.waitForText('▌3 Live events');
    c.press('m');
    await c.waitForText('recorded');
    expect(recordsOf(file, 'event.pinned').map((r) => r.data.key)).toEqual([`cloudtrail:${uuid(20)}`]);
    for (const raw of c.framesAtSize()) check(raw);

    // The pin on the timeline (wide enough to show the actor), and its detail view.
    await c.resize(200, 50);
    c.press('2');
    f = await c.waitForText('▌2 Timeline');
    expect(f).toContain('Pinned: GetObject by arn:aws:iam::123456789012:user/␛]0;pwned␇<U+202E>exe');
    c.press('enter');
    f = await c.waitForText('Timeline entry 23');
    expect(f).toContain(`on arn:aws:s3:::prod-data/␛]0;pwned␇<U+202E>slx.csv`);
    for (const raw of c.framesAtSize()) check(raw);
    // The journal keeps the raw bytes as evidence.
    expect(recordsOf(file, 'event.ingested').at(-1)!.data.event.actor).toBe(actor);
  });
});

describe('key repeat and paste (one chunk, many characters)', () => {
  it('"jjj" as one chunk moves the selection by three; "kk" back by two', async () => {
    const { file, store } = await createJournal(scratch, { events: 100 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    c.press('3', 'g');
    await expectSelected(c, 0);
    c.write('jjj');
    await expectSelected(c, 3);
    c.write('kk');
    await expectSelected(c, 1);
    // Mixed keys in one chunk run in order: G then k k.
    c.write('Gkk');
    await expectSelected(c, 97);
  });

  it('"abc" as one chunk in the note dialog types "abc", and a pasted sentence keeps its spaces', async () => {
    const { file, store } = await createJournal(scratch, { events: 5 });
    const c = (cockpit = await mount(store, file, { cols: 80, rows: 24 }));
    c.press('n');
    await c.waitForText('Add a note');
    c.write('abc');
    await c.waitForText('note: abc');
    c.write(' GuardDuty finding confirmed');
    await c.waitForText('note: abc GuardDuty finding confirmed');
    // Letters that are keys elsewhere (q quits, s sets severity) are text here.
    c.write(' qs');
    await c.waitForText('note: abc GuardDuty finding confirmed qs');
    expect(c.frame()).not.toContain('Quit firebreak?');
    c.press('enter');
    await c.waitForText('note added — recorded');
    expect(recordsOf(file, 'note.added').map((r) => r.data.text)).toEqual(['abc GuardDuty finding confirmed qs']);
  });
});
