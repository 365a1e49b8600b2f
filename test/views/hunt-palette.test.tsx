// `:hunt` in the cockpit: parsing, the pivot's value from the selected event, the real hunt through
// the cockpit's own store against the simulated Lake (rows into the feed, hunt.ran journaled, the
// summary on the footer), and `:cancel` cancelling a query that runs.

import { AthenaSim, CloudTrailSim } from '@firebreak/cloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cockpitHunt } from '../../app/commands/hunt.js';
import { paletteFor, parseCommand } from '../../views/palette.js';
import { pivotValue } from '../../views/hunt-keys.js';
import { KEY, seedEvents } from '../wire/hunt-harness.js';
import { Scratch, T0, createJournal, mount, recordsOf, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
const sims: { close(): Promise<void> }[] = [];
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await Promise.all(sims.splice(0).map((s) => s.close()));
  await scratch.cleanup();
});

async function typeCommand(c: Cockpit, text: string) {
  c.press(':');
  await c.waitForText('Tab completes');
  c.write(text);
  await c.waitForText(`: ${text}`);
  c.press('enter');
}

describe(':hunt parsing', () => {
  it('a pivot with or without a value, a window, an engine; sql takes the rest; live and drill only', () => {
    expect(parseCommand(`hunt key ${KEY} --since 2026-04-20T11:00Z --engine athena`, 'live', T0)).toEqual({
      kind: 'hunt',
      pivot: { kind: 'access-key', value: KEY },
      sinceMs: Date.parse('2026-04-20T11:00Z'),
      engine: 'athena',
    });
    expect(parseCommand('hunt ip --since 24h --unbounded', 'drill', T0)).toEqual({
      kind: 'hunt',
      pivot: { kind: 'source-ip' },
      sinceMs: T0 - 24 * 3_600_000,
      unbounded: true,
    });
    expect(parseCommand("hunt sql SELECT * FROM t WHERE a = '--since'", 'live', T0)).toEqual({
      kind: 'hunt',
      sql: "SELECT * FROM t WHERE a = '--since'",
    });
    expect(parseCommand('hunt bogus', 'live', T0)).toHaveProperty('error');
    expect(parseCommand('hunt key --since never', 'live', T0)).toHaveProperty('error');
    expect(paletteFor('review').some((c) => c.name === 'hunt')).toBe(false);
  });

  it('takes the value from the selected event: its key, actor, role session or source IP', () => {
    const ev = {
      accessKeyId: KEY,
      actor: 'arn:aws:sts::1:assumed-role/admin/mallory-session',
      sourceIp: '203.0.113.9',
    } as Parameters<typeof pivotValue>[1];
    expect(pivotValue('access-key', ev)).toBe(KEY);
    expect(pivotValue('session', ev)).toBe('mallory-session');
    expect(pivotValue('principal', ev)).toBe('arn:aws:sts::1:assumed-role/admin/mallory-session');
    expect(pivotValue('source-ip', ev)).toBe('203.0.113.9');
    expect(pivotValue('access-key', undefined)).toHaveProperty('error');
  });
});

describe(':hunt in the cockpit', () => {
  async function setup() {
    const ct = new CloudTrailSim({ account: '111122223333', region: 'us-east-1', events: seedEvents() });
    const athena = new AthenaSim({}, () => ct.records());
    await ct.start();
    await athena.start();
    sims.push(ct, athena);
    const { file, store } = await createJournal(scratch, { events: 3 });
    const c = (cockpit = await mount(store, file, { cols: 200, rows: 40 }));
    c.deps.hunt = cockpitHunt(store, () =>
      Promise.resolve({
        lake: { eventDataStore: ct.eventDataStoreArn() },
        connection: {
          region: 'us-east-1',
          endpoint: ct.url,
          credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'x' },
          pollMs: 1,
        },
      }),
    );
    return { ct, file, store, c };
  }

  it('runs the hunt: the rows join the feed, hunt.ran is journaled, the summary is on the footer', async () => {
    const { file, store, c } = await setup();
    const before = store.getState().state.events.length;
    await typeCommand(c, `hunt key ${KEY} --since 2026-04-20T11:00Z --until 2026-04-20T13:00Z`);
    await c.waitForText('hunt finished: 7 rows, 7 new events');
    expect(store.getState().state.events.length).toBe(before + 7);
    const [rec] = recordsOf(file, 'hunt.ran');
    expect(rec!.data).toMatchObject({ engine: 'lake', state: 'succeeded', rows: 7, newEvents: 7 });
    // No Athena table in this session: said, not attempted.
    await typeCommand(c, `hunt key ${KEY} --since 24h --engine athena`);
    await c.waitForText('no Athena table in this session');
  });

  it('refuses an unbounded hunt with the price basis; :cancel cancels a running query', async () => {
    const { ct, c } = await setup();
    const eds = ct.eventDataStores[0]!;
    await typeCommand(c, `hunt sql SELECT eventID FROM ${eds}`);
    await c.waitForText('no time bound');
    await c.waitForText('$0.005 per GB');
    expect(ct.recorder.of('StartQuery')).toHaveLength(0);
    ct.lake.runs.pollsToFinish = 100_000;
    await typeCommand(c, `hunt key ${KEY} --since 24h`);
    await c.waitForText('running');
    await typeCommand(c, 'cancel');
    await c.waitForText('hunt cancelled while polling');
    expect(ct.recorder.of('CancelQuery')).toHaveLength(1);
  });
});
