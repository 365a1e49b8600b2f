// Every target an event names survives the fold (store/apply.ts): a pod event names its pod AND the
// node it runs on, a CloudTrail call its principal, key and resources. Keeping only the first
// dropped the node, so cordon was never offered from the compromised pod's own event.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { targetsOf } from '../../../src/actions/catalog.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import type { AnyRecord } from '../../../src/journal/records.js';
import type { ScannedRecord } from '../../../src/journal/scan.js';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';
import { apply } from '../../../store/apply.js';
import { MAX_EVENT_TARGETS, eventTargets } from '../../../store/event-targets.js';
import { newIncident } from '../../../store/open.js';
import { reportFacts } from '../../../store/report-facts.js';
import { emptyState, type IncidentState } from '../../../store/state.js';
import { OPENED, scratch } from './fixtures.js';

const tmp = scratch();
beforeEach(() => tmp.setup());
afterEach(() => tmp.cleanup());

const SHA = '0'.repeat(64);

function ingest(s: IncidentState, seq: number, event: IncidentEvent): IncidentState {
  const record = {
    v: 1,
    seq,
    ts: '2026-04-20T14:40:00.000Z',
    type: 'event.ingested',
    actor: 'alice',
    data: { event },
    prev: SHA,
    hash: SHA,
  } as AnyRecord;
  const placed: ScannedRecord = { record, offset: seq * 100, length: 50 };
  return apply(s, placed);
}

function podEvent(targets: string[], id = 'uid-web-1@41'): IncidentEvent {
  return {
    source: 'kubernetes',
    id,
    eventTime: '2026-04-20T14:30:00.000Z',
    discoveredAt: '2026-04-20T14:30:00.000Z',
    actor: 'unknown',
    action: 'pod modified',
    targets,
    namespace: 'prod',
    outcome: 'success',
    raw: {},
  };
}

describe('the targets of an event (store/apply.ts event.ingested)', () => {
  it('a pod event with a node keeps both, and the node is offered as a target', () => {
    const s = ingest(emptyState(), 1, podEvent(['pods/web-1', 'nodes/ip-10-0-3-17.ec2.internal']));
    const row = s.events.at(0)!;
    // The first target stays the one the events table shows.
    expect(row.target).toBe('pods/web-1');
    expect(eventTargets(row)).toEqual(['pods/web-1', 'nodes/ip-10-0-3-17.ec2.internal']);
    expect(targetsOf(row).map((t) => `${t.kind}:${t.id}`)).toEqual([
      'pod:prod/web-1',
      'node:ip-10-0-3-17.ec2.internal',
      'namespace:prod',
    ]);
  });

  it('keeps every CloudTrail target (principal, the key named, the bucket, the instance), each offered once', () => {
    const e: IncidentEvent = {
      source: 'cloudtrail',
      id: '7f3c9a2e-51d4-4b8e-9c1a-000000000001',
      eventTime: '2026-04-20T14:30:00.000Z',
      discoveredAt: '2026-04-20T14:37:00.000Z',
      actor: 'arn:aws:iam::123456789012:user/ci-bot',
      action: 'PutBucketPolicy',
      targets: [
        'arn:aws:s3:::prod-data',
        'i-0abc123def4567890',
        'AKIAIOSFODNN7EXAMPLE',
        'user/backup-operator',
        'arn:aws:iam::123456789012:role/ops/prod-db-reader',
      ],
      region: 'eu-west-1',
      outcome: 'success',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      raw: {},
    };
    const row = ingest(emptyState(), 1, e).events.at(0)!;
    expect(targetsOf(row).map((t) => `${t.kind}:${t.id}`)).toEqual([
      'iam-user:ci-bot',
      'bucket:prod-data',
      'instance:i-0abc123def4567890',
      // The key the call names is also the key that signed it: offered once.
      'access-key:AKIAIOSFODNN7EXAMPLE',
      'iam-user:backup-operator',
      'iam-role:prod-db-reader',
    ]);
    expect(targetsOf(row).every((t) => t.scope === 'eu-west-1')).toBe(true);
  });

  it("a CloudTrail S3 data event's bucket (resources AWS::S3::Bucket, requestParameters.bucketName) is one bucket target", () => {
    const r = normaliseCloudTrailRecord(
      {
        eventVersion: '1.09',
        eventID: '7f3c9a2e-51d4-4b8e-9c1a-0000000000b1',
        eventTime: '2026-04-20T14:30:00Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        awsRegion: 'us-east-1',
        userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
        requestParameters: { bucketName: 'prod-data', key: 'exports/customers.csv' },
        resources: [
          { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::prod-data/exports/customers.csv' },
          { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::prod-data' },
        ],
      },
      '2026-04-20T14:37:00Z',
    );
    if (!r.ok) throw new Error(r.reason);
    const row = ingest(emptyState(), 1, r.event).events.at(0)!;
    // The bucket ARN after the object's names nothing new: one target, no second array on the row.
    expect(eventTargets(row)).toEqual(['arn:aws:s3:::prod-data/exports/customers.csv']);
    expect(row.targets).toBeUndefined();
    expect(targetsOf(row)).toEqual([
      { kind: 'bucket', id: 'prod-data', label: 'bucket prod-data', scope: 'us-east-1' },
    ]);
  });

  it('is bounded and deduplicated: a forged event naming thousands of targets keeps the first few, once each', () => {
    const many = ['pods/web-1', 'pods/web-1', ...Array.from({ length: 5000 }, (_, i) => `nodes/n-${i}`)];
    const row = ingest(emptyState(), 1, podEvent(many)).events.at(0)!;
    const kept = eventTargets(row);
    expect(kept).toHaveLength(MAX_EVENT_TARGETS);
    expect(new Set(kept).size).toBe(kept.length);
    expect(kept.slice(0, 2)).toEqual(['pods/web-1', 'nodes/n-0']);
  });

  it('an event with one target or none keeps it as before', () => {
    let s = ingest(emptyState(), 1, podEvent(['pods/web-2'], 'a'));
    s = ingest(s, 2, podEvent([], 'b'));
    expect(eventTargets(s.events.at(0)!)).toEqual(['pods/web-2']);
    expect(eventTargets(s.events.at(1)!)).toEqual([]);
    expect(s.events.at(1)!.target).toBe('');
  });

  it("a pinned pod event's node is one of the incident's internal names (never in a customer update)", async () => {
    const { store, journal } = await newIncident(tmp.file('incident.jsonl'), OPENED, { actor: 'alice' });
    tmp.track(journal);
    await store.getState().actions.ingestEvents([podEvent(['pods/web-1', 'nodes/ip-10-0-3-17.ec2.internal'])]);
    await store.getState().actions.pinEvent('kubernetes:uid-web-1@41');
    const names = reportFacts(store.getState().state, { now: new Date('2026-04-20T15:00:00Z') }).internalNames;
    expect(names).toEqual(
      expect.arrayContaining([
        { name: 'pods/web-1', kind: 'resource' },
        { name: 'nodes/ip-10-0-3-17.ec2.internal', kind: 'resource' },
      ]),
    );
  });
});
