// `:policy approval destructive`, `:approve` and `:reject` from the palette: the policy is one
// journaled record; answering a request needs a shared incident, and a malformed line says the
// usage without writing anything.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../views/palette.js';
import { Scratch, createJournal, mount, recordsOf, type Cockpit } from './harness.js';

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

async function palette(c: Cockpit, line: string): Promise<void> {
  c.press(':');
  await c.waitForText('Tab completes');
  c.write(line);
  await c.waitForText(`: ${line}`);
  c.press('enter');
}

describe('approval commands', () => {
  it(':policy approval destructive 20 journals the policy', async () => {
    const { file, store } = await createJournal(scratch, { events: 3 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    await palette(c, 'policy approval destructive 20');
    await c.waitForText('two-person approval on');
    expect(recordsOf(file, 'approval.policy').map((r) => r.data)).toEqual([{ require: 'destructive', ttlMinutes: 20 }]);
  });

  it(':approve without a shared incident says how to share, and writes nothing', async () => {
    const { file, store } = await createJournal(scratch, { events: 3 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 50 }));
    await palette(c, 'approve apr-abc123-00');
    await c.waitForText('approvals need a shared incident');
    expect(recordsOf(file, 'approval.decided')).toEqual([]);
  });

  it('parses the lines and refuses malformed ones with the usage', () => {
    const now = Date.now();
    expect(parseCommand('policy approval off', 'live', now)).toEqual({
      kind: 'approval',
      op: 'policy',
      require: 'off',
    });
    expect(parseCommand('reject apr-abc123-00 wrong role', 'live', now)).toEqual({
      kind: 'approval',
      op: 'decide',
      requestId: 'apr-abc123-00',
      decision: 'rejected',
      reason: 'wrong role',
    });
    expect(parseCommand('reject apr-abc123-00', 'live', now)).toEqual({ error: expect.stringMatching(/say why/) });
    expect(parseCommand('approve nope', 'live', now)).toEqual({ error: 'usage: approve <apr-ID>' });
    expect(parseCommand('policy approval sometimes', 'live', now)).toMatchObject({
      error: expect.stringMatching(/^usage: policy/),
    });
    expect(parseCommand('approve apr-abc123-00', 'review', now)).toMatchObject({
      error: expect.stringMatching(/not available/),
    });
  });
});
