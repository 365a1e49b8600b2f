import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeCloudTrail } from './fake-cloudtrail.js';
import { harness, MIN, T0 } from './cloudtrail-harness.js';

let fake: FakeCloudTrail;
beforeEach(async () => {
  fake = new FakeCloudTrail();
  await fake.start();
});
afterEach(async () => {
  await fake.close();
});

const ids = (n: number, prefix = 'ev') =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

describe('CloudTrailPoller over the wire (real SDK client)', () => {
  it('walks 4 pages of 180 events with identical parameters and delivers each once, in one batch', async () => {
    for (const [i, id] of ids(180).entries()) fake.add(id, T0 - 10 * MIN + i * 1000);
    const h = harness(fake);
    expect(await h.poller.pollOnce()).toBe(true);

    expect(fake.requests).toHaveLength(4);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
    expect(fake.requests.every((r) => r.target === 'CloudTrail_20131101.LookupEvents')).toBe(true);
    const [first, ...rest] = fake.requests.map((r) => r.body);
    expect(first!.NextToken).toBeUndefined();
    for (const b of rest) {
      expect(b.NextToken).toEqual(expect.any(String));
      expect({ ...b, NextToken: undefined }).toEqual({ ...first, NextToken: undefined });
    }
    // The window is [session start − 15 min, now], in epoch seconds on the wire.
    expect(first!.StartTime).toBe((T0 - 15 * MIN) / 1000);
    expect(first!.EndTime).toBe(T0 / 1000);
    expect(first!.MaxResults).toBe(50);

    expect(h.batches).toHaveLength(1);
    expect(new Set(h.delivered())).toEqual(new Set(ids(180)));
    expect(h.delivered()).toHaveLength(180);
    expect(h.batches[0]![0]).toMatchObject({
      source: 'cloudtrail',
      action: 'DescribeInstances',
      discoveredAt: new Date(T0).toISOString(),
    });
    expect(h.poller.getStatus()).toMatchObject({
      state: 'ok',
      events: 180,
      duplicates: 0,
      malformed: 0,
      requests: 4,
      lastEventTime: new Date(T0 - 10 * MIN + 179_000).toISOString(),
      message: '180 new events',
    });

    // The next, overlapping window returns them all again: dropped as duplicates, no empty batch.
    h.clock.now = T0 + 30_000;
    await h.poller.pollOnce();
    expect(fake.requests[4]!.body.StartTime).toBe((T0 - 15 * MIN) / 1000);
    expect(h.batches).toHaveLength(1);
    expect(h.poller.getStatus()).toMatchObject({ events: 180, duplicates: 180, requests: 8 });
  });

  it('picks up a late-delivered event inside the look-back window once, and only once', async () => {
    fake.add('early', T0 - 3 * MIN);
    fake.add('newest', T0 - 1 * MIN);
    const h = harness(fake);
    await h.poller.pollOnce();
    expect(h.delivered()).toEqual(['newest', 'early']);

    // CloudTrail delivers an event that happened BEFORE the newest one already seen.
    fake.add('late', T0 - 4 * MIN);
    h.clock.now = T0 + 30_000;
    await h.poller.pollOnce();
    expect(h.batches).toHaveLength(2);
    expect(h.batches[1]!.map((e) => e.id)).toEqual(['late']);

    h.clock.now = T0 + 60_000;
    await h.poller.pollOnce();
    expect(h.batches).toHaveLength(2);
    expect(h.poller.getStatus()).toMatchObject({ events: 3, duplicates: 5 });
    // lastEventTime is the newest eventTime, not the latest delivered one.
    expect(h.poller.getStatus().lastEventTime).toBe(new Date(T0 - MIN).toISOString());
  });

  it('starts each window at the previous cycle start minus the look-back', async () => {
    const h = harness(fake, { lookBackMs: 5 * MIN });
    await h.poller.pollOnce();
    h.clock.now = T0 + 20 * MIN;
    await h.poller.pollOnce();
    expect(fake.requests.map((r) => [r.body.StartTime, r.body.EndTime])).toEqual([
      [(T0 - 5 * MIN) / 1000, T0 / 1000],
      [(T0 - 5 * MIN) / 1000, (T0 + 20 * MIN) / 1000],
    ]);
  });

  it('forgets ids once no window can return them (bounded memory)', async () => {
    for (const id of ids(30)) fake.add(id, T0 - 2 * MIN);
    const h = harness(fake);
    await h.poller.pollOnce();
    expect(h.poller.rememberedIds).toBe(30);
    h.clock.now = T0 + 10 * MIN;
    await h.poller.pollOnce();
    expect(h.poller.rememberedIds).toBe(30);
    // Next window starts at T0 + 10 min − 15 min = T0 − 5 min; + 5 min margin → still kept.
    h.clock.now = T0 + 25 * MIN;
    await h.poller.pollOnce();
    expect(h.poller.rememberedIds).toBe(30);
    h.clock.now = T0 + 40 * MIN;
    await h.poller.pollOnce();
    h.clock.now = T0 + 41 * MIN;
    await h.poller.pollOnce();
    expect(h.poller.rememberedIds).toBe(0);
    expect(h.delivered()).toHaveLength(30);
  });

  it('counts malformed CloudTrailEvent strings once, skips them, and delivers the rest', async () => {
    fake.add('good-1', T0 - 2 * MIN);
    fake.addRaw({ id: 'bad-json', time: T0 - 3 * MIN, name: 'X', cloudTrailEvent: '{"eventID": "bad-json", ' });
    fake.addRaw({
      id: 'bad-shape',
      time: T0 - 4 * MIN,
      name: 'X',
      cloudTrailEvent: JSON.stringify({ eventID: 'bad-shape', eventTime: 'yesterday' }),
    });
    fake.addRaw({ id: 'missing', time: T0 - 5 * MIN, name: 'X', cloudTrailEvent: undefined });
    fake.add('good-2', T0 - 6 * MIN);
    const h = harness(fake);
    expect(await h.poller.pollOnce()).toBe(true);
    expect(h.delivered()).toEqual(['good-1', 'good-2']);
    expect(h.poller.getStatus()).toMatchObject({ state: 'ok', malformed: 3, events: 2 });
    expect(h.poller.getStatus().message).toMatch(/3 malformed records skipped/);

    h.clock.now = T0 + 30_000;
    await h.poller.pollOnce();
    expect(h.poller.getStatus()).toMatchObject({ malformed: 3, events: 2, duplicates: 2 });
  });

  it('start() polls on its interval until stop()', async () => {
    fake.add('one', T0 - MIN);
    const h = harness(fake, { intervalMs: 20, now: undefined });
    // With the real clock the window is around real now: put an event there.
    fake.add('two', Date.now() - MIN);
    h.poller.start();
    await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    await h.poller.stop();
    const n = fake.requests.length;
    expect(h.delivered()).toEqual(['two']);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'stopped' });
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.requests.length).toBe(n);
  });
});
