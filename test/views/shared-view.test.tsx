// `:shared` in a live cockpit on a shared incident: the panes fold this cockpit's own journal, and
// the merged view shows every writer's timeline (bob's note beside alice's), each line naming its
// writer, under the merge's report with the open severity conflict. Without --share it refuses.

import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifySegments } from '../../src/journal/share/verify.js';
import { foldMerged } from '../../store/merged.js';
import { PREFIX, records, segmentOf, TestClock, testWriter } from '../helpers/share-writers.js';
import { Scratch, mount, type Cockpit } from './harness.js';

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

async function palette(c: Cockpit, text: string): Promise<void> {
  c.press(':');
  await c.waitForText('Tab completes');
  c.write(text);
  c.press('enter');
}

it('shows every writer’s timeline with its writer, and the conflict, while the panes stay local', async () => {
  const clock = new TestClock();
  const alice = await testWriter(scratch.dir, 'alice', clock);
  const bob = await testWriter(scratch.dir, 'bob', clock);
  clock.advance(60_000);
  await alice.store.getState().actions.addNote('alice: key AKIA…EXAMPLE revoked');
  await alice.store.getState().actions.setSeverity(1);
  clock.advance(60_000);
  await bob.store.getState().actions.addNote('bob: customer data bucket was read');
  await bob.store.getState().actions.setSeverity(2);
  const set = verifySegments(PREFIX, [
    await segmentOf(alice, 1, records(alice)),
    await segmentOf(bob, 1, records(bob)),
  ]);
  expect(set.refusals).toEqual([]);
  const merged = foldMerged(set.writers);

  const c = (cockpit = await mount(alice.store, alice.file, { cols: 120, rows: 40, shared: () => merged }));
  // The panes: alice's own journal only.
  expect(c.frame()).toContain('alice: key AKIA');
  expect(c.frame()).not.toContain('bob: customer data');
  await palette(c, 'shared');
  const f = await c.waitForText('Shared incident — 2 writer(s)');
  expect(f).toMatch(/NOTE alice-0a1b2c3d +alice: key AKIA/);
  expect(f).toMatch(/NOTE bob-0a1b2c3d +bob: customer data bucket was read/);
  expect(f).toMatch(/CONFLICT severity: Sev1 by alice-0a1b2c3d vs Sev2 by bob-0a1b2c3d/);
  // bob's note comes after alice's: merged by time.
  expect(f.indexOf('bob: customer data')).toBeGreaterThan(f.indexOf('alice: key AKIA'));
  c.press('escape');
  await c.waitFor((x) => !x.includes('Shared incident —'), 'the view closed');
  await alice.journal?.close();
  await bob.journal?.close();
});

it('refuses outside a shared incident', async () => {
  const alice = await testWriter(scratch.dir, 'alice');
  const c = (cockpit = await mount(alice.store, alice.file, { cols: 120, rows: 40 }));
  await palette(c, 'shared');
  await c.waitForText('not a shared incident: start the cockpit with --share s3://bucket/prefix');
  await alice.journal?.close();
});
