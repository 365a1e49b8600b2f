// Real clock on purpose: the claim is about request arrival times at the server. Kept to 12
// requests (~6 s at 2 req/s).

import { afterEach, expect, it } from 'vitest';
import { clearLimiters, limiterFor } from '../../src/sources/cloudtrail/limiter.js';
import { FakeCloudTrail } from './fake-cloudtrail.js';
import { harness, T0 } from './cloudtrail-harness.js';

let fake: FakeCloudTrail | undefined;
afterEach(async () => {
  await fake?.close();
  clearLimiters();
});

it('two pollers of the same account and Region never exceed 2 req/s together', { timeout: 20_000 }, async () => {
  fake = new FakeCloudTrail();
  await fake.start();
  for (let i = 0; i < 150; i++) fake.add(`ev-${i}`, T0 - 60_000 - i * 1000);
  const shared = limiterFor('123456789012', 'us-east-1');
  expect(limiterFor('123456789012', 'us-east-1')).toBe(shared);
  // 150 events at 25 a page = 6 pages per poller, 12 requests in all.
  const a = harness(fake, { limiter: shared, pageSize: 25 });
  const b = harness(fake, { limiter: shared, pageSize: 25 });
  await Promise.all([a.poller.pollOnce(), b.poller.pollOnce()]);

  expect(fake.requests).toHaveLength(12);
  expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  const at = fake.requests.map((r) => r.at).sort((x, y) => x - y);
  // Sliding 1 s window: any 3 consecutive arrivals span at least 1 s.
  for (let i = 2; i < at.length; i++) expect(at[i]! - at[i - 2]!).toBeGreaterThanOrEqual(1000);
  // FIFO: neither poller waits for the other to finish; both advance page by page.
  const firstHalf = fake.requests.slice(0, 6).map((r) => r.body.NextToken ?? 'first');
  expect(firstHalf.filter((t) => t === 'first')).toHaveLength(2);
  expect(a.delivered()).toHaveLength(150);
  expect(b.delivered()).toHaveLength(150);
});
