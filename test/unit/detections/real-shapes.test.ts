// The misses seen when the rules met real, public CloudTrail and audit material: each
// fixture keeps the shape the service really logs, not a simplified one.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
// https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/

import { describe, expect, it } from 'vitest';
import { ALL_RULES, createDetector } from '../../../src/detections/index.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import { normaliseCloudTrailRecord } from '../../../src/sources/cloudtrail/normalise.js';
import { normaliseAuditEvent } from '../../../src/sources/kubernetes/audit.js';
import { detectFormat } from '../../../src/sources/files/detect.js';
import { ANONYMOUS, audit, ct, ROOT } from './fixtures.js';

function hits(ruleId: string, e: IncidentEvent) {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;
  return createDetector([rule]).observe(e);
}

describe('CloudTrail names and shapes as logged', () => {
  it('bucket-level DeleteBucketPublicAccessBlock raises the public-access rule', () => {
    const e = ct('s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', {
      requestParameters: {
        publicAccessBlock: '',
        bucketName: 'orders-prod-data',
        Host: 'orders-prod-data.s3.eu-west-1.amazonaws.com',
      },
    });
    const ids = ALL_RULES.flatMap((r) => createDetector([r]).observe(e)).map((d) => d.ruleId);
    expect(ids.length).toBe(1);
  });

  // The EC2 query API's older flat shape (aws ec2 authorize-security-group-ingress --cidr), as in
  // the flaws.cloud public CloudTrail dataset.
  const flat = (more: Record<string, unknown>) =>
    ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
      requestParameters: { groupId: 'sg-0a1b2c3d4e5f67890', ipPermissions: {}, ...more },
    });
  const items = (p: Record<string, unknown>) =>
    ct('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
      requestParameters: {
        groupId: 'sg-0a1b2c3d4e5f67890',
        ipPermissions: { items: [{ groups: {}, prefixListIds: {}, ipRanges: {}, ipv6Ranges: {}, ...p }] },
      },
    });
  it.each([
    ['flat cidrIp/fromPort/toPort', () => flat({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' })],
    [
      '::/0 in ipv6Ranges',
      () => items({ ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, ipv6Ranges: { items: [{ cidrIpv6: '::0/0' }] } }),
    ],
    [
      '0.0.0.0/0 spelt 0/0',
      () => items({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0/0' }] } }),
    ],
    [
      'a range covering 22',
      () => items({ ipProtocol: 'tcp', fromPort: 1, toPort: 1024, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    ],
    [
      'protocol -1 as a number',
      () => items({ ipProtocol: -1, fromPort: -1, toPort: -1, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    ],
  ])('security group opened to the world: %s', (_n, make) => {
    expect(hits('cloudtrail.sg-open-admin-port', make()).length).toBe(1);
  });
  it('a /0 on another port or a /8 on 22 stays quiet', () => {
    expect(
      hits(
        'cloudtrail.sg-open-admin-port',
        flat({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }),
      ),
    ).toEqual([]);
    expect(
      hits(
        'cloudtrail.sg-open-admin-port',
        flat({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/8' }),
      ),
    ).toEqual([]);
  });

  it('root acting in the console (invokedBy signin.amazonaws.com) is root activity', () => {
    const e = ct('iam.amazonaws.com', 'CreateAccessKey', {
      userIdentity: { ...ROOT, invokedBy: 'signin.amazonaws.com', accessKeyId: 'ASIA5ROOTCONSOLE0001' },
      sourceIPAddress: '203.0.113.45',
      userAgent: 'signin.amazonaws.com',
    });
    expect(hits('cloudtrail.root-activity', e).map((d) => d.severity)).toEqual([1]);
    const svc = ct('s3.amazonaws.com', 'GetBucketAcl', {
      userIdentity: { ...ROOT, invokedBy: 'cloudtrail.amazonaws.com' },
      sourceIPAddress: 'cloudtrail.amazonaws.com',
    });
    expect(hits('cloudtrail.root-activity', svc)).toEqual([]);
  });

  it('a failed root password change is titled as a failure, one level lower', () => {
    const e = ct('signin.amazonaws.com', 'PasswordUpdated', {
      userIdentity: ROOT,
      requestParameters: null,
      responseElements: { PasswordUpdated: 'Failure' },
      additionalEventData: { MFAUsed: 'No' },
    });
    const [d] = hits('cloudtrail.root-activity', e);
    expect(d?.title).toMatch(/\(failed\)/);
    expect(d?.severity).toBe(2);
  });

  it('null for optional fields is absent, the record is kept (ScheduleKeyDeletion)', () => {
    const raw = {
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::123456789012:user/alice',
        userName: 'alice',
        invokedBy: null,
      },
      eventTime: '2026-04-20T14:30:00Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'ScheduleKeyDeletion',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '203.0.113.45',
      userAgent: null,
      errorCode: null,
      requestParameters: { keyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd', pendingWindowInDays: 7 },
      responseElements: null,
      resources: null,
      eventID: '4a1b2c3d-0000-4000-8000-000000000001',
    };
    const r = normaliseCloudTrailRecord(raw, '2026-04-20T14:40:00Z');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.outcome).toBe('success');
    expect(hits('cloudtrail.kms-key-deletion', r.event).map((d) => d.severity)).toEqual([1]);
  });
});

describe('Kubernetes audit as logged', () => {
  it('controller-created privileged pods are raised (the workload is usually not in the log)', () => {
    const e = audit({
      verb: 'create',
      user: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        groups: ['system:serviceaccounts', 'system:authenticated'],
      },
      objectRef: { resource: 'pods', namespace: 'payments', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      requestObject: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { generateName: 'miner-7d9f8b6c5-', namespace: 'payments' },
        spec: { containers: [{ name: 'x', image: 'alpine', securityContext: { privileged: true } }] },
      },
    });
    const [d] = hits('k8s.privileged-pod', e);
    expect(d?.severity).toBe(2);
    expect(d?.title).toContain('payments/miner-7d9f8b6c5-');
    expect(d?.title).not.toContain('payments/pods');
  });

  it('an anonymous request with no responseStatus is not called allowed', () => {
    const e = audit({
      user: ANONYMOUS,
      requestURI: '/api/v1/secrets',
      verb: 'list',
      responseStatus: undefined,
      stage: 'ResponseStarted',
    });
    const [d] = hits('k8s.anonymous-request', e);
    expect(d?.title).not.toMatch(/allowed/);
    expect(d?.severity).toBe(2);
  });

  const v1beta1 = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1beta1',
    metadata: { creationTimestamp: '2019-05-12T02:53:40Z' },
    level: 'Metadata',
    timestamp: '2019-05-12T02:53:40Z',
    auditID: '9f3b2a64-1111-4000-8000-000000000001',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/payments/secrets/db',
    verb: 'get',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['198.51.100.7'],
    objectRef: { resource: 'secrets', namespace: 'payments', name: 'db', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  };
  it('an audit event without apiVersion is accepted and detected as audit', () => {
    const { apiVersion: _a, ...noVersion } = v1beta1;
    expect(normaliseAuditEvent(noVersion, '2026-05-12T03:00:00Z').ok).toBe(true);
    expect(detectFormat(Buffer.from(JSON.stringify(noVersion) + '\n')).format).toBe('k8s-audit');
    expect(normaliseAuditEvent(v1beta1, '2026-05-12T03:00:00Z').ok).toBe(true);
  });
  it('a wrong apiVersion is still refused: a core v1 Event is another object', () => {
    const r = normaliseAuditEvent({ ...v1beta1, apiVersion: 'v1', kind: 'Event', involvedObject: {} }, 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/apiVersion/);
  });
  it('a malformed optional field (userAgent as an object) is ignored with a warning, the event kept', () => {
    const r = normaliseAuditEvent({ ...v1beta1, userAgent: { evil: true }, sourceIPs: 'x' }, 'x');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.action).toBe('get');
    expect(r.event.warnings).toHaveLength(2);
    expect(r.event.warnings!.join('\n')).toMatch(/userAgent: .* — ignored/);
    expect(r.event.warnings!.join('\n')).toMatch(/sourceIPs: .* — ignored/);
  });
});
