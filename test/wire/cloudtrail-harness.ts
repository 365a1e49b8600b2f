// A poller wired to the fake server through the REAL SDK client, with a hand-moved `now`.

import type { IncidentEvent } from '../../src/domain/event.js';
import { createCloudTrailClient } from '../../src/sources/cloudtrail/client.js';
import { RateLimiter } from '../../src/sources/cloudtrail/limiter.js';
import {
  CloudTrailPoller,
  type CloudTrailPollerOptions,
  type CloudTrailPollerStatus,
} from '../../src/sources/cloudtrail/poller.js';
import type { FakeCloudTrail } from './fake-cloudtrail.js';

export const T0 = Date.parse('2026-04-20T14:40:00Z');
export const MIN = 60_000;

export function harness(fake: FakeCloudTrail, opts: Partial<CloudTrailPollerOptions> = {}) {
  const clock = { now: T0 };
  const batches: IncidentEvent[][] = [];
  const statuses: CloudTrailPollerStatus[] = [];
  const client = createCloudTrailClient({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    profile: 'incident',
    credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' },
  });
  const poller = new CloudTrailPoller({
    client,
    region: 'us-east-1',
    profile: 'incident',
    // Fast unless a test is about the rate: these tests are about the poller.
    limiter: new RateLimiter({ ratePerSec: 1000, marginMs: 0 }),
    now: () => clock.now,
    random: () => 0.5,
    throttleBackoff: { baseMs: 20, maxMs: 80 },
    errorBackoff: { baseMs: 20, maxMs: 80 },
    sink: async (events) => void batches.push(events),
    onStatus: (s) => void statuses.push(s),
    ...opts,
  });
  const delivered = () => batches.flat().map((e) => e.id);
  return { clock, batches, statuses, client, poller, delivered };
}
