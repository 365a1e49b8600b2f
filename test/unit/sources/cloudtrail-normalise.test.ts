import { describe, expect, it } from 'vitest';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';

const NOW = '2026-04-20T14:40:00.000Z';
const assumed = {
  eventVersion: '1.11',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:sess',
    arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/sess',
    accountId: '123456789012',
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  },
  eventTime: '2026-04-20T14:31:05Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.45',
  userAgent: 'aws-cli/2.15.30',
  requestParameters: { bucketName: 'orders-prod-data', key: 'exports/customers.csv' },
  responseElements: null,
  eventID: '3f0c6c4e-1b1a-4a43-9b1e-6f1a2b3c4d5e',
  readOnly: true,
  eventType: 'AwsApiCall',
  recipientAccountId: '123456789012',
};

describe('CloudTrail record → IncidentEvent', () => {
  it('names the account it belongs to: recipientAccountId, else the caller’s, twelve digits only', () => {
    const account = (over: Record<string, unknown>) => {
      const r = normaliseCloudTrailRecord({ ...assumed, ...over }, NOW);
      return r.ok ? r.event.account : 'rejected';
    };
    expect(account({ recipientAccountId: '222222222222' })).toBe('222222222222');
    expect(account({ recipientAccountId: undefined })).toBe('123456789012');
    // A forged account is not a place to act in: the caller's account, or none.
    expect(account({ recipientAccountId: '2222 or 1=1' })).toBe('123456789012');
    expect(account({ recipientAccountId: 5, userIdentity: { type: 'IAMUser', arn: 'x', accountId: 'evil' } })).toBe(
      undefined,
    );
  });

  it('keeps the identity, action, target, region, IP and both times', () => {
    const r = normaliseCloudTrailRecord(assumed, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({
      source: 'cloudtrail',
      id: assumed.eventID,
      eventTime: '2026-04-20T14:31:05.000Z',
      discoveredAt: NOW,
      actor: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/sess',
      action: 'GetObject',
      targets: ['arn:aws:s3:::orders-prod-data/exports/customers.csv'],
      region: 'us-east-1',
      sourceIp: '203.0.113.45',
      outcome: 'success',
    });
    expect(r.event.raw).toBe(assumed);
  });

  it('marks failures with their error code and names other principals sensibly', () => {
    const r = normaliseCloudTrailRecord(
      {
        ...assumed,
        errorCode: 'AccessDenied',
        eventName: 'CreateAccessKey',
        requestParameters: { userName: 'dba-breakglass' },
      },
      NOW,
    );
    expect(r.ok && r.event.outcome).toBe('failure');
    expect(r.ok && r.event.errorCode).toBe('AccessDenied');
    expect(r.ok && r.event.targets).toEqual(['user/dba-breakglass']);
    const root = normaliseCloudTrailRecord(
      { ...assumed, userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } },
      NOW,
    );
    expect(root.ok && root.event.actor).toBe('arn:aws:iam::123456789012:root');
    const svc = normaliseCloudTrailRecord(
      { ...assumed, userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } },
      NOW,
    );
    expect(svc.ok && svc.event.actor).toBe('ec2.amazonaws.com');
  });

  it('refuses records of the wrong shape with the field that is wrong', () => {
    expect(normaliseCloudTrailRecord({ ...assumed, eventID: undefined }, NOW)).toEqual({
      ok: false,
      reason: expect.stringMatching(/eventID/),
    });
    expect(normaliseCloudTrailRecord({ ...assumed, eventTime: 'yesterday' }, NOW)).toEqual({
      ok: false,
      reason: expect.stringMatching(/eventTime: not a time/),
    });
    expect(normaliseCloudTrailRecord('nope', NOW).ok).toBe(false);
  });
});

describe('a malformed optional field costs that field, not the record', () => {
  it('userAgent as a number: the event is kept with a warning naming the field', () => {
    const r = normaliseCloudTrailRecord({ ...assumed, userAgent: 42 }, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.action).toBe('GetObject');
    expect(r.event.userAgent).toBeUndefined();
    expect(r.event.warnings).toEqual([expect.stringMatching(/^userAgent: .* — ignored$/)]);
    // The evidence itself is untouched.
    expect((r.event.raw as { userAgent: unknown }).userAgent).toBe(42);
  });

  it('a resources element that is not an object is dropped alone', () => {
    const r = normaliseCloudTrailRecord(
      {
        ...assumed,
        resources: ['oops', { ARN: 'arn:aws:s3:::orders-prod-data', type: 'AWS::S3::Bucket' }],
      },
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.warnings).toEqual([expect.stringMatching(/^resources\[0\]: .* — ignored$/)]);
  });

  it('a clean record carries no warnings', () => {
    const r = normaliseCloudTrailRecord(assumed, NOW);
    expect(r.ok && r.event.warnings).toBeUndefined();
  });

  it('without an eventID there is no event: refused, naming the field', () => {
    const { eventID: _drop, ...noId } = assumed;
    const r = normaliseCloudTrailRecord(noId, NOW);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^not a CloudTrail record: eventID: /);
    const wrong = normaliseCloudTrailRecord({ ...assumed, eventTime: 7 }, NOW);
    expect(!wrong.ok && wrong.reason).toMatch(/eventTime/);
  });

  it('a record with hundreds of malformed fields is refused after a bounded effort, warnings capped', () => {
    const bad: Record<string, unknown> = { ...assumed, userIdentity: { ...assumed.userIdentity, arn: 1 } };
    bad.resources = Array.from({ length: 500 }, () => 'x');
    const r = normaliseCloudTrailRecord(bad, NOW);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/too many malformed fields/);
    // Up to the bound, each bad field is one warning, at most ten kept, each short.
    const some = normaliseCloudTrailRecord({ ...assumed, resources: Array.from({ length: 20 }, () => 'x') }, NOW);
    expect(some.ok).toBe(true);
    if (!some.ok) return;
    expect(some.event.warnings).toHaveLength(10);
    const long = normaliseCloudTrailRecord(
      { ...assumed, ['k'.repeat(5000)]: 1, userAgent: { ['p'.repeat(5000)]: 1 } },
      NOW,
    );
    expect(long.ok && long.event.warnings?.every((w) => w.length <= 300)).toBe(true);
  });
});
