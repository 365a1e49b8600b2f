// `:import PATH...` in the cockpit: evidence goes into the OPEN journal through the cockpit's own
// store (which holds the lock), a note on the timeline records it, the footer says how it went,
// and the cockpit keeps drawing while the import runs.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFilesInto } from '../../app/commands/import.js';
import { paletteFor, parseCommand, splitPaths } from '../../views/palette.js';
import { ctRecord, writeLog } from '../unit/import/helpers.js';
import { Scratch, T0, createJournal, mount, readJournal, recordsOf, sizeOf, type Cockpit } from './harness.js';

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

const now = () => new Date(T0 + 60_000);

async function setup(cols = 200, rows = 40) {
  const { file, store } = await createJournal(scratch, { events: 10 });
  const c = (cockpit = await mount(store, file, { cols, rows }));
  return { file, store, c };
}

async function typeCommand(c: Cockpit, text: string) {
  c.press(':');
  await c.waitForText('Tab completes');
  c.write(text);
  await c.waitForText(`: ${text}`);
  c.press('enter');
}

describe(':import parsing', () => {
  it('splits on whitespace; quotes keep spaces; an open quote or no path is an error', () => {
    expect(splitPaths('a  b\tc')).toEqual(['a', 'b', 'c']);
    expect(splitPaths(`"my logs/ct.json" 'x y' a"b c"d ""`)).toEqual(['my logs/ct.json', 'x y', 'ab cd', '']);
    expect(splitPaths('"open')).toBeUndefined();
    expect(parseCommand('import /e/ct.json "/e/k8s audit.log"', 'live', T0)).toEqual({
      kind: 'import',
      paths: ['/e/ct.json', '/e/k8s audit.log'],
    });
    expect(parseCommand('import', 'drill', T0)).toEqual({ error: 'usage: import <path...>' });
    expect(parseCommand('import "a b', 'live', T0)).toEqual({ error: 'unterminated quote in the paths' });
  });

  it('is offered live and in a drill, never in review (it writes)', () => {
    expect(paletteFor('live').some((c) => c.name === 'import')).toBe(true);
    expect(paletteFor('drill').some((c) => c.name === 'import')).toBe(true);
    expect(paletteFor('review').some((c) => c.name === 'import')).toBe(false);
    expect(parseCommand('import x', 'review', T0)).toEqual({ error: 'import is not available in review mode' });
  });
});

describe(':import in the cockpit', () => {
  it('imports into the open journal through its store, notes it on the timeline and summarises on the footer', async () => {
    const { file, store, c } = await setup();
    const dir = join(scratch.dir, 'evidence with spaces');
    writeLog(join(dir, 'ct.json'), [ctRecord(1), ctRecord(2), ctRecord(3)]);
    writeLog(join(dir, 'more.json'), [ctRecord(4)]);
    // One bad file: it is a problem, everything else still goes in.
    writeFileSync(join(scratch.dir, 'broken.json'), '{not json');
    c.deps.importFiles = importFilesInto(store, file, { now });
    const before = store.getState().state.events.length;

    await typeCommand(c, `import "${dir}" ${join(scratch.dir, 'broken.json')}`);
    const f = await c.waitFor((fr) => fr.includes('imported 4 new events from 3 files'), 'the import summary');
    expect(f).toContain('1 problem — see the timeline note');
    expect(f).toContain('✗ imported');
    expect(store.getState().state.events.length).toBe(before + 4);
    const notes = recordsOf(file, 'note.added').map((r) => r.data.text);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^evidence imported \(:import .*evidence with spaces.*broken\.json\): imported 4 new events into .* from 3 files/,
    );
    expect(notes[0]).not.toContain('\n');
    expect(c.frame()).toContain('evidence imported');

    // Again: everything is already there — a clean (✓) outcome, nothing new.
    await typeCommand(c, `import '${dir}'`);
    await c.waitForText('✓ imported 0 new events from 2 files (4 duplicates skipped)');
    expect(store.getState().state.events.length).toBe(before + 4);
  });

  it('shows "importing …" at once and keeps the cockpit live until the summary lands', async () => {
    const { c } = await setup();
    let finish: (r: { summary: string; ok: boolean }) => void = () => {};
    const calls: string[][] = [];
    c.deps.importFiles = (paths) => {
      calls.push(paths);
      return new Promise((res) => (finish = res));
    };
    await typeCommand(c, 'import /evidence/ct.json');
    await c.waitForText('importing /evidence/ct.json …');
    expect(calls).toEqual([['/evidence/ct.json']]);
    // The UI still answers keys while the import runs: the help overlay opens and closes.
    c.press('?');
    await c.waitFor((f) => c.ui.getState().dialog?.kind === 'help' && f.length > 0, 'the help overlay');
    c.press('escape');
    await c.waitFor(() => c.ui.getState().dialog === undefined, 'the overlay to close');
    // A second import while one runs is refused, not queued behind it.
    await typeCommand(c, 'import /more');
    await c.waitForText('an import is already running');
    expect(calls).toHaveLength(1);
    finish({ summary: 'imported 1,234 new events from 3 files', ok: true });
    await c.waitForText('✓ imported 1,234 new events from 3 files');
  });

  it('shows its progress on the footer, and :cancel stops it: what was read is journaled', async () => {
    const { file, store, c } = await setup();
    const dir = join(scratch.dir, 'big');
    for (let f = 0; f < 3; f++)
      writeLog(
        join(dir, `ct-${f}.json`),
        Array.from({ length: 3000 }, (_, i) => ctRecord(100 + f * 3000 + i)),
      );
    // The real import, held after its first batches (their detections wait) until :cancel is typed.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    c.deps.importFiles = importFilesInto(store, file, {
      now,
      onEvents: async () => {
        await held;
        return 0;
      },
    });
    await typeCommand(c, `import ${dir}`);
    // Held after its first batches: the footer counts the records read so far.
    await c.waitFor(
      (f) => /importing \d\/3 files · [1-9][\d,]* records .*:cancel stops it/.test(f),
      'the progress line',
    );
    await typeCommand(c, 'cancel');
    await c.waitForText('stopping the import after the current record');
    release();
    const f = await c.waitFor(
      (x) => /cancelled after/.test(x.split('\n').at(-1)!),
      'the stopped summary on the footer',
    );
    expect(f.split('\n').at(-1)).toMatch(/cancelled after [\d,]+ records/);
    const imported = store.getState().state.events.length - 10;
    expect(imported).toBeGreaterThanOrEqual(1000);
    expect(imported).toBeLessThan(9000);
    expect(recordsOf(file, 'event.ingested')).toHaveLength(10 + imported);
    await typeCommand(c, 'cancel');
    await c.waitForText('no import, hunt or evidence action is running');
  });

  it('an error (a missing path) is an error message and writes nothing', async () => {
    const { file, store, c } = await setup();
    c.deps.importFiles = importFilesInto(store, file, { now });
    const size = sizeOf(file);
    const records = readJournal(file).length;
    await typeCommand(c, 'import /no/such/evidence');
    await c.waitForText('✗ import failed: /no/such/evidence: no such file or directory');
    expect(sizeOf(file)).toBe(size);
    expect(readJournal(file)).toHaveLength(records);
  });

  it('without an importer wired, says so', async () => {
    const { c } = await setup();
    await typeCommand(c, 'import x');
    await c.waitForText('✗ import is not available in this session');
  });
});
