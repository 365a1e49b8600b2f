// The reporting commands in the palette: parsing (what each takes, what it refuses, where it is
// offered) and, in a mounted cockpit, the effect — draft files beside the journal, post-mortem
// fields, action items, custody, and an edited draft recorded as sent.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complete, paletteFor, parseCommand } from '../../views/palette.js';
import { Scratch, T0, createJournal, mount, recordsOf, until, type Cockpit } from './harness.js';

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

async function typeCommand(c: Cockpit, text: string) {
  c.press(':');
  await c.waitForText('Tab completes');
  c.write(text);
  await c.waitForText(`: ${text}`);
  c.press('enter');
}

describe('report commands: parsing', () => {
  it('parses each command into its intent', () => {
    expect(parseCommand('update customers', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'update', audience: 'customers' },
    });
    expect(parseCommand('update-send Legal', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'update-send', audience: 'legal' },
    });
    expect(parseCommand('postmortem', 'live', T0)).toEqual({ kind: 'report', report: { cmd: 'postmortem' } });
    expect(parseCommand('pm root-cause A static key in a build log', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'pm', field: 'rootCause', text: 'A static key in a build log' },
    });
    expect(parseCommand('pm went-badly  slow snapshot', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'pm', field: 'wentBadly', text: 'slow snapshot' },
    });
    expect(parseCommand('item bob 2026-05-01 Rotate the CI keys', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'item', owner: 'bob', due: '2026-05-01', text: 'Rotate the CI keys' },
    });
    expect(parseCommand('item-done ai-2', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'item-done', itemId: 'AI-2' },
    });
    expect(parseCommand('custody ev-001 carol legal hold', 'live', T0)).toEqual({
      kind: 'report',
      report: { cmd: 'custody', evidenceId: 'EV-001', to: 'carol', reason: 'legal hold' },
    });
  });

  it('refuses what is missing or malformed, with the usage', () => {
    expect(parseCommand('update press', 'live', T0)).toEqual({
      error: 'usage: update <internal|leadership|legal|customers> (internal, leadership, legal, customers)',
    });
    expect(parseCommand('pm colour blue', 'live', T0)).toMatchObject({ error: expect.stringMatching(/^usage: pm </) });
    expect(parseCommand('pm why', 'live', T0)).toMatchObject({ error: expect.stringMatching(/^usage: pm /) });
    expect(parseCommand('item bob 2026-02-30 x', 'live', T0)).toMatchObject({
      error: expect.stringMatching(/^usage: item .* e\.g\. item bob 2026-05-01/),
    });
    expect(parseCommand('item bob 2026-05-01', 'live', T0)).toMatchObject({
      error: expect.stringMatching(/^usage: item/),
    });
    expect(parseCommand('custody EV-001', 'live', T0)).toMatchObject({
      error: expect.stringMatching(/^usage: custody/),
    });
  });

  it('review can draft but not record; completion knows audiences and fields', () => {
    const review = paletteFor('review').map((c) => c.name);
    expect(review).toEqual(expect.arrayContaining(['update', 'postmortem']));
    for (const w of ['update-send', 'pm', 'item', 'item-done', 'custody']) expect(review).not.toContain(w);
    expect(parseCommand('pm why x', 'review', T0)).toEqual({ error: 'pm is not available in review mode' });
    expect(complete('update cu', 'live')).toBe('update customers ');
    expect(complete('pm went-w', 'live')).toBe('pm went-well ');
  });
});

describe('report commands in the cockpit', () => {
  it(':pm, :item, :item-done and :custody are journaled', async () => {
    const { file, store } = await createJournal(scratch, { events: 3 });
    await store.getState().actions.recordEvidence({
      evidenceId: 'EV-001',
      path: 'ev.json',
      sha256: 'a'.repeat(64),
      size: 1,
      source: 's',
      description: 'd',
      collector: 'alice',
      toolVersion: 't',
      collectedAt: '2026-04-20T14:41:00Z',
    });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 40 }));
    await typeCommand(c, 'pm why The key was in a build log');
    await c.waitForText('why #1 — recorded');
    await typeCommand(c, 'item bob 2026-05-01 Rotate the CI keys');
    await c.waitForText('AI-1 for bob, due 2026-05-01 — recorded');
    await typeCommand(c, 'item-done AI-1');
    await c.waitForText('AI-1 done — recorded');
    await typeCommand(c, 'custody EV-001 carol legal hold');
    await c.waitForText('custody of EV-001: alice → carol — recorded');
    await typeCommand(c, 'custody EV-009 dave');
    await c.waitForText('no evidence EV-009 (EV-001)');
    expect(recordsOf(file, 'postmortem.updated').map((r) => r.data)).toEqual([
      { field: 'why', text: 'The key was in a build log' },
    ]);
    expect(recordsOf(file, 'action-item.added').map((r) => r.data)).toEqual([
      { itemId: 'AI-1', text: 'Rotate the CI keys', owner: 'bob', due: '2026-05-01' },
    ]);
    expect(recordsOf(file, 'action-item.updated').map((r) => r.data)).toEqual([{ itemId: 'AI-1', status: 'done' }]);
    expect(recordsOf(file, 'custody.transferred').map((r) => r.data)).toEqual([
      { evidenceId: 'EV-001', from: 'alice', to: 'carol', reason: 'legal hold' },
    ]);
  });

  it(':update writes the draft beside the journal; :update-send records it as edited', async () => {
    const { file, store } = await createJournal(scratch, { events: 3 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 40 }));
    await typeCommand(c, 'update-send customers');
    await c.waitForText('no customers draft beside the journal: write one with :update customers');
    await typeCommand(c, 'update customers');
    await c.waitForText('customers draft written — edit it, then :update-send customers');
    const drafts = () => readdirSync(scratch.dir).filter((n) => n.startsWith('incident.jsonl.update-customers-'));
    await until(() => drafts().length === 1, 'the draft file');
    // The cockpit's clock names the file (UTC, sortable).
    expect(drafts()[0]).toBe('incident.jsonl.update-customers-20260420T144100Z.md');
    const path = `${scratch.dir}/${drafts()[0]}`;
    expect(readFileSync(path, 'utf8')).toMatch(/^## Security incident update/);
    writeFileSync(path, 'Edited by comms: we contained it.\n');
    await typeCommand(c, 'update-send customers');
    await c.waitForText('customers update recorded as sent — recorded');
    expect(recordsOf(file, 'update.recorded').map((r) => r.data)).toEqual([
      { audience: 'customers', markdown: 'Edited by comms: we contained it.\n' },
    ]);

    await typeCommand(c, 'postmortem');
    await c.waitForText('post-mortem draft written');
    await until(
      () => readdirSync(scratch.dir).some((n) => n === 'incident.jsonl.postmortem-20260420T144100Z.md'),
      'the post-mortem file',
    );
    expect(readFileSync(`${scratch.dir}/incident.jsonl.postmortem-20260420T144100Z.md`, 'utf8')).toContain(
      '## 9. The review meeting',
    );
  });
});
