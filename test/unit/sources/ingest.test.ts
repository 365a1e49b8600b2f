import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngest } from '../../../app/commands/ingest.js';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';
import { newIncident, openIncident } from '../../../store/open.js';
import type { IncidentEvent } from '../../../src/domain/event.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ct(id: string, eventName: string, extra: Record<string, unknown> = {}): IncidentEvent {
  const r = normaliseCloudTrailRecord(
    {
      eventID: id,
      eventTime: '2026-04-20T14:39:10Z',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.45',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/s' },
      requestParameters: { name: 'prod-audit-trail' },
      ...extra,
    },
    '2026-04-20T14:45:00.000Z',
  );
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

describe('ingest: journal new events, then detect on exactly those', () => {
  it('raises a detection after its event, once, and skips events already held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-ingest-'));
    dirs.push(dir);
    const file = join(dir, 'j.jsonl');
    const { store, journal } = await newIncident(file, { incidentId: 'INC-2026-042', title: 't', mode: 'live' });
    const ingest = createIngest(store, 'cloudtrail');
    const first = await ingest([ct('e1', 'StopLogging'), ct('e2', 'DescribeTrails')]);
    expect(first).toEqual({ fresh: 2, detections: 1 });
    const again = await ingest([ct('e1', 'StopLogging')]);
    expect(again).toEqual({ fresh: 0, detections: 0 });
    await journal!.close();

    const { store: back } = await openIncident(file, { readOnly: true });
    const s = back.getState().state;
    expect(s.events.length).toBe(2);
    const det = s.detections.at(0)!;
    expect(det.text).toMatch(/trail-tampering/);
    expect(det.eventKeys).toEqual(['cloudtrail:e1']);
    expect(det.seq).toBeGreaterThan(s.events.at(0)!.seq);
  });
});
