// The CloudTrail preservation window starts where the incident does for the target — the earliest
// event linked to it, else the first signal — or at `:act … --since TIME`; never simply "now − 24 h"
// when the store knows better.

import { describe, expect, it } from 'vitest';
import { PRESERVE_CLOUDTRAIL } from '../../../src/actions/evidence/preserve-cloudtrail.js';
import { RateLimiter } from '../../../src/sources/cloudtrail/limiter.js';
import type { ActionEnv, AwsClients, Target } from '../../../src/actions/types.js';
import { parseCommand } from '../../../views/palette.js';
import { emptyState, type EventRow } from '../../../store/state.js';
import { windowAnchorFor } from '../../../store/window-selectors.js';

const NOW = Date.parse('2026-04-22T12:00:00Z');
const KEY = 'AKIAEXAMPLEKEY123456';
const key: Target = { kind: 'access-key', id: KEY, label: `access key ${KEY}` };
const def = PRESERVE_CLOUDTRAIL.find((d) => d.id === 'aws.preserveCloudTrailKey')!;

function env(over: Partial<ActionEnv> = {}): ActionEnv {
  // plan() calls nothing: the clients are never used here.
  const aws = {
    region: 'us-east-1',
    account: '123456789012',
    cloudtrailLimiter: new RateLimiter(),
  } as unknown as AwsClients;
  return {
    incidentId: 'INC-2026-042',
    evidenceDir: '/tmp/x',
    now: () => new Date(NOW),
    collector: 't',
    toolVersion: 't',
    aws,
    ...over,
  };
}

function row(i: number, eventTime: string, over: Partial<EventRow> = {}): EventRow {
  return {
    seq: i + 1,
    key: `cloudtrail:e${i}`,
    source: 'cloudtrail',
    id: `e${i}`,
    eventTime: Date.parse(eventTime),
    discoveredAt: Date.parse(eventTime),
    actor: 'arn:aws:iam::123456789012:user/app',
    action: 'GetObject',
    target: '',
    scope: 'us-east-1',
    sourceIp: '',
    outcome: 'success',
    errorCode: undefined,
    accessKeyId: undefined,
    offset: 0,
    length: 0,
    ...over,
  };
}

describe('the preservation window', () => {
  it('starts 24 h before the earliest event linked to the target, not 24 h before now', async () => {
    const s = emptyState();
    s.events.push(row(0, '2026-04-19T08:00:00Z'));
    s.events.push(row(1, '2026-04-20T10:00:00Z', { accessKeyId: KEY }));
    s.events.push(row(2, '2026-04-20T09:30:00Z', { accessKeyId: KEY }));
    const anchor = windowAnchorFor(s, key);
    expect(anchor?.at.toISOString()).toBe('2026-04-20T09:30:00.000Z');
    const plan = await def.plan(key, env({ windowAnchor: (t) => windowAnchorFor(s, t) }));
    expect(plan.params.startTime).toBe('2026-04-19T09:30:00.000Z');
    expect(plan.params.endTime).toBe('2026-04-22T12:00:00.000Z');
    expect(plan.warnings.join('\n')).toMatch(/24 h before the earliest event of access key AKIA/);
  });

  it("falls back to the incident's first signal when no event names the target", () => {
    const s = emptyState();
    s.events.push(row(0, '2026-04-19T08:00:00Z'));
    s.detections.push({
      seq: 2,
      ts: '2026-04-21T00:00:00Z',
      kind: 'detection',
      actor: 'x',
      text: 'd',
      eventTime: Date.parse('2026-04-19T20:00:00Z'),
    });
    expect(windowAnchorFor(s, key)).toEqual({
      at: new Date('2026-04-19T20:00:00Z'),
      what: "the incident's first detection",
    });
  });

  it('starts exactly at --since when the responder gives it', async () => {
    const plan = await def.plan(
      { ...key, since: '2026-04-10T00:00:00.000Z' },
      env({ windowAnchor: () => ({ at: new Date(NOW - 1000), what: 'x' }) }),
    );
    expect(plan.params.startTime).toBe('2026-04-10T00:00:00.000Z');
    await expect(def.plan({ ...key, since: '2026-04-23T00:00:00.000Z' }, env())).rejects.toThrow(/not in the past/);
  });

  it(':act parses --since TIME onto the target', () => {
    expect(
      parseCommand(`act aws.preserveCloudTrailKey access-key:${KEY} --since 2026-04-10T06:00Z`, 'live', NOW),
    ).toEqual({
      kind: 'act',
      actionId: 'aws.preserveCloudTrailKey',
      target: { kind: 'access-key', id: KEY },
      since: '2026-04-10T06:00:00.000Z',
    });
    expect(parseCommand(`act aws.preserveCloudTrailKey access-key:${KEY} --since nonsense`, 'live', NOW)).toMatchObject(
      {
        error: expect.stringMatching(/--since/),
      },
    );
    expect(parseCommand(`act aws.preserveCloudTrailKey access-key:${KEY}`, 'live', NOW)).not.toHaveProperty('since');
  });
});
