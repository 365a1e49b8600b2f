import { describe, expect, it } from 'vitest';
import {
  cutoffAt,
  decodePolicy,
  revokeSessionsDocument,
  samePolicy,
  trustedPrincipals,
} from '../../../src/actions/aws/iam/policies.js';

describe('IAM containment policies', () => {
  it('the cut-off is now rounded up to the second, never down (no session issued before now is spared)', () => {
    expect(cutoffAt(new Date('2026-03-14T02:17:03.001Z'))).toBe('2026-03-14T02:17:04Z');
    expect(cutoffAt(new Date('2026-03-14T02:17:03.000Z'))).toBe('2026-03-14T02:17:03Z');
    expect(cutoffAt(new Date('2026-12-31T23:59:59.999Z'))).toBe('2027-01-01T00:00:00Z');
  });

  it("the revocation document is the console's AWSRevokeOlderSessions shape", () => {
    expect(JSON.parse(revokeSessionsDocument('2026-03-14T02:17:04Z'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: ['*'],
          Resource: ['*'],
          Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-03-14T02:17:04Z' } },
        },
      ],
    });
  });

  it("decodes IAM's URL-encoded documents and compares them as JSON", () => {
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    expect(decodePolicy(encodeURIComponent(doc))).toBe(doc);
    expect(decodePolicy('%E0%A4%A')).toBe('%E0%A4%A');
    expect(
      samePolicy(doc, '{ "Statement": [ {"Resource":"*","Action":"*","Effect":"Deny"} ], "Version": "2012-10-17" }'),
    ).toBe(true);
    expect(samePolicy(doc, doc.replace('Deny', 'Allow'))).toBe(false);
    expect(samePolicy(doc, undefined)).toBe(false);
    expect(samePolicy('not json', 'not json')).toBe(true);
  });

  it('lists who may assume a role from its trust policy', () => {
    const trust = encodeURIComponent(
      JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['ec2.amazonaws.com'], Federated: 'cognito-identity.amazonaws.com' },
          },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::1:root' } },
          { Effect: 'Allow', Principal: '*' },
        ],
      }),
    );
    expect(trustedPrincipals(trust)).toEqual([
      'Service ec2.amazonaws.com',
      'Federated cognito-identity.amazonaws.com',
      'anyone (Principal "*")',
    ]);
    expect(trustedPrincipals('garbage')).toEqual([]);
  });
});
