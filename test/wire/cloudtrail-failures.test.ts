import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_DENIED, EXPIRED, FakeCloudTrail, THROTTLE, THROTTLE_429 } from './fake-cloudtrail.js';
import { harness, MIN, T0 } from './cloudtrail-harness.js';

let fake: FakeCloudTrail;
beforeEach(async () => {
  fake = new FakeCloudTrail();
  await fake.start();
});
afterEach(async () => {
  await fake.close();
});

function seed(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `ev-${i}`;
    fake.add(id, T0 - 10 * MIN + i * 1000);
    out.push(id);
  }
  return out;
}

describe('CloudTrailPoller failures over the wire', () => {
  it.each([
    ['HTTP 400 ThrottlingException', THROTTLE],
    ['HTTP 429', THROTTLE_429],
  ])('throttling mid-pagination (%s) backs off, shows it, recovers, and loses nothing', async (_, failure) => {
    const all = seed(120);
    // Page 1 succeeds, then pages 2's first three attempts are throttled.
    fake.failNext(3, failure, 1);
    const h = harness(fake);
    expect(await h.poller.pollOnce()).toBe(true);

    const throttled = h.statuses.filter((s) => s.state === 'throttled');
    expect(throttled).toHaveLength(3);
    expect(throttled.map((s) => s.message)).toEqual([
      'throttled, retrying in 15ms',
      'throttled, retrying in 30ms',
      'throttled, retrying in 60ms',
    ]);
    expect(h.poller.getStatus()).toMatchObject({ state: 'ok', events: 120, requests: 6 });
    expect(fake.requests.map((r) => r.status)).toEqual([200, failure.status, failure.status, failure.status, 200, 200]);
    // The retried page repeats the same token: pagination resumed, not restarted.
    expect(fake.requests[1]!.body.NextToken).toEqual(expect.any(String));
    expect(fake.requests[4]!.body).toEqual(fake.requests[1]!.body);
    expect(h.batches).toHaveLength(1);
    expect(new Set(h.delivered())).toEqual(new Set(all));
  });

  it('formats a realistic throttle delay in seconds', async () => {
    seed(1);
    fake.failNext(1, THROTTLE);
    const h = harness(fake, {
      throttleBackoff: { baseMs: 4_000, maxMs: 30_000 },
      random: () => 1,
      clock: { now: () => 0, sleep: async () => {} },
    });
    await h.poller.pollOnce();
    expect(h.statuses.find((s) => s.state === 'throttled')?.message).toBe('throttled, retrying in 4s');
  });

  it('AccessDenied → status error with the message, no crash, and recovery when granted', async () => {
    seed(5);
    fake.failAll = ACCESS_DENIED;
    const h = harness(fake, { intervalMs: 10, now: undefined });
    // With the real clock the window is around real now.
    fake.add('now-ish', Date.now() - MIN);
    expect(await h.poller.pollOnce()).toBe(false);
    const s = h.poller.getStatus();
    expect(s.state).toBe('error');
    expect(s.message).toMatch(
      /^access denied to cloudtrail:LookupEvents in us-east-1 for profile incident: User: .* is not authorized/,
    );
    expect(h.batches).toHaveLength(0);

    // The loop keeps retrying with backoff, and says when.
    h.poller.start();
    await vi.waitFor(() => expect(h.statuses.some((x) => /retrying in \d+ms$/.test(x.message))).toBe(true));
    fake.failAll = undefined;
    await vi.waitFor(() => expect(h.poller.getStatus().state).toBe('ok'));
    await h.poller.stop();
    expect(h.delivered()).toEqual(['now-ish']);
  });

  it('expired credentials → tells the responder to run aws sso login for the profile', async () => {
    fake.failAll = EXPIRED;
    const h = harness(fake);
    await h.poller.pollOnce();
    expect(h.poller.getStatus()).toMatchObject({
      state: 'error',
      message:
        'credentials expired or invalid (ExpiredTokenException): run aws sso login --profile incident, or refresh your keys',
    });
  });

  it('an unreachable endpoint → network error status, no crash', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((r) => dead.close(() => r()));
    fake.endpoint = `http://127.0.0.1:${port}`;
    const h = harness(fake);
    expect(await h.poller.pollOnce()).toBe(false);
    expect(h.poller.getStatus()).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/^cannot reach CloudTrail in us-east-1 \(ECONNREFUSED\)/),
    });
  });

  it('a failing sink fails the cycle and the events come back next cycle', async () => {
    seed(3);
    let fail = true;
    const got: string[] = [];
    const h = harness(fake, {
      sink: async (events) => {
        if (fail) throw new Error('store is full');
        got.push(...events.map((e) => e.id));
      },
    });
    expect(await h.poller.pollOnce()).toBe(false);
    expect(h.poller.getStatus()).toMatchObject({ state: 'error', message: 'sink failed: store is full', events: 0 });
    fail = false;
    h.clock.now = T0 + 30_000;
    expect(await h.poller.pollOnce()).toBe(true);
    expect(got.sort()).toEqual(['ev-0', 'ev-1', 'ev-2']);
    // The failed cycle did not advance the window.
    expect(fake.requests[1]!.body.StartTime).toBe((T0 - 15 * MIN) / 1000);
  });

  it('a token sent with different parameters is refused like AWS does', async () => {
    seed(60);
    const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    const h = harness(fake);
    const base = { StartTime: new Date(T0 - 15 * MIN), EndTime: new Date(T0) };
    const first = await h.client.send(new LookupEventsCommand(base));
    expect(first.NextToken).toBeDefined();
    await expect(
      h.client.send(new LookupEventsCommand({ ...base, EndTime: new Date(T0 + 1000), NextToken: first.NextToken })),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });
});
