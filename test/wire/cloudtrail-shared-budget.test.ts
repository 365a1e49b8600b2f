// One LookupEvents budget per account and Region, whoever calls: a live poller (which learns its
// account from STS GetCallerIdentity) and a CloudTrail preservation (whose env learned it the same
// way) run at once against one server that answers STS and CloudTrail and records when each
// LookupEvents arrives. Real clock on purpose: the claim is about arrival times at the server.
// Kept to 8 requests (~4 s at 2 req/s).

import { afterEach, expect, it } from 'vitest';
import { CloudTrailSim, listen, parseForm, serveQuery, StsSim, type RunningSim } from '@firebreak/cloud-sim';
import { createAwsClients, destroyAwsClients } from '../../src/actions/aws/clients.js';
import { PRESERVE_CLOUDTRAIL } from '../../src/actions/evidence/preserve-cloudtrail.js';
import { clearLimiters } from '../../src/sources/cloudtrail/limiter.js';
import { createLivePoller } from '../../src/sources/cloudtrail/live-poller.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import { baseEnv } from '../helpers/action-fixture.js';
import { tempDir } from '../helpers/tmp.js';

const ACCOUNT = '123456789012';
const KEY = 'AKIAEXAMPLEKEY123456';
const CREDS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' };

let running: RunningSim | undefined;
afterEach(async () => {
  await running?.close();
  clearLimiters();
});

it(
  'a poller and a preservation of one account and Region stay within 2 LookupEvents/s together',
  { timeout: 30_000 },
  async () => {
    const now = Date.now();
    // 100 calls of the leaked key in the last 10 minutes: the poller pages them 20 at a time (5
    // requests), the preservation 50 at a time (2 requests, plus its first page again in the dry run).
    const events = Array.from({ length: 100 }, (_, i) => ({
      eventId: `ev-${String(i).padStart(3, '0')}`,
      eventTime: now - 30_000 - i * 5_000,
      eventName: 'GetObject',
      accessKeyId: KEY,
      username: 'mallory',
    }));
    const ct = new CloudTrailSim({ events, account: ACCOUNT, region: 'us-east-1' });
    const sts = new StsSim({ account: ACCOUNT });
    const lookups: number[] = [];
    const agents: string[] = [];
    let identityCalls = 0;
    running = await listen((req, body, res) => {
      if (String(req.headers['x-amz-target'] ?? '').includes('CloudTrail')) {
        lookups.push(performance.timeOrigin + performance.now());
        agents.push(String(req.headers['user-agent'] ?? ''));
        return void ct.handle(req, body, res);
      }
      if (parseForm(body).Action === 'GetCallerIdentity') identityCalls++;
      return serveQuery([sts], req, body, res);
    });
    const endpoint = running.url;

    const delivered: IncidentEvent[] = [];
    const poller = createLivePoller({
      region: 'us-east-1',
      profile: 'incident',
      endpoint,
      credentials: CREDS,
      pageSize: 20,
      now: () => now,
      sink: async (evs) => void delivered.push(...evs),
    });
    const aws = await createAwsClients({ region: 'us-east-1', endpoint, credentials: CREDS });
    const dir = tempDir();
    const env = baseEnv(dir, { aws, now: () => new Date(now) });
    const def = PRESERVE_CLOUDTRAIL.find((d) => d.id === 'aws.preserveCloudTrailKey')!;
    const target = { kind: 'access-key' as const, id: KEY, label: `access key ${KEY}` };
    try {
      const plan = await def.plan(target, env);
      const [ok, result] = await Promise.all([
        poller.pollOnce(),
        (async () => {
          await def.dryRun(target, plan, env);
          return def.execute(target, plan, env, 'act-test-00000000');
        })(),
      ]);
      expect(ok).toBe(true);
      expect(delivered).toHaveLength(100);
      expect(result.outputs.lines).toBe(100);
    } finally {
      destroyAwsClients(aws);
      await poller.stop();
    }

    expect(lookups).toHaveLength(8);
    // Every request names firebreak; the preservation's also name the action.
    expect(agents.filter((a) => /\bfirebreak\/poller\b/.test(a))).toHaveLength(5);
    expect(agents.filter((a) => a.includes('firebreak-action/act-test-00000000'))).toHaveLength(2);
    lookups.sort((x, y) => x - y);
    // Sliding 1 s window: any 3 consecutive arrivals span at least 1 s.
    for (let i = 2; i < lookups.length; i++) expect(lookups[i]! - lookups[i - 2]!).toBeGreaterThanOrEqual(1000);
  },
);
