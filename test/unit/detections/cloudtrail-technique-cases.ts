// Positive and negative fixtures for the secret, session and S3 technique rules
// (src/detections/secret-rules.ts, session-rules.ts, s3-technique-rules.ts), merged into CASES
// by cases.ts. Shapes follow the records Stratus Red Team's detonations log:
// https://stratus-red-team.cloud/attack-techniques/list/
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html

import type { Case } from './cases.js';
import { ATTACKER_SESSION, ct, DENIED, IAM_USER } from './fixtures.js';

const T0 = Date.parse('2026-04-20T14:30:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MIN = 60_000;

/** The application's own session of orders-api-prod (an ECS task), reading from inside the VPC. */
const APP_TASK = {
  ...ATTACKER_SESSION,
  principalId: 'AROA5ORDERSAPIEXAMPLE:7c1e0f9a2b3d4e5f8a9b0c1d2e3f4a5b',
  arn: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/7c1e0f9a2b3d4e5f8a9b0c1d2e3f4a5b',
  accessKeyId: 'ASIA5ORDERSTASKEXMPL',
};
const SDK_UA =
  'aws-sdk-java/2.25.16 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE';

const secretValue = (secretId: string, time = at(0), more: Record<string, unknown> = {}) =>
  ct(
    'secretsmanager.amazonaws.com',
    'GetSecretValue',
    {
      readOnly: true,
      requestParameters: { secretId },
      resources: [
        {
          accountId: '123456789012',
          type: 'AWS::SecretsManager::Secret',
          ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${secretId}-Xk3P9q`,
        },
      ],
      ...more,
    },
    time,
  );
/** The application's read: its task session, a private address, through the VPC endpoint. */
const appRead = (time = at(-10 * MIN), ip = '10.20.14.31') =>
  secretValue('prod/orders-db/credentials', time, {
    userIdentity: APP_TASK,
    sourceIPAddress: ip,
    userAgent: SDK_UA,
    vpcEndpointId: 'vpce-0f1e2d3c4b5a69788',
  });
const parameter = (name: string, withDecryption: boolean, ip: string, time = at(0)) =>
  ct(
    'ssm.amazonaws.com',
    'GetParameter',
    { userIdentity: IAM_USER, sourceIPAddress: ip, readOnly: true, requestParameters: { name, withDecryption } },
    time,
  );
const reads = (n: number, stepMs: number, more: Record<string, unknown> = {}, name = (i: number) => `prod/app-${i}`) =>
  Array.from({ length: n }, (_, i) => secretValue(name(i), at(i * stepMs), more));

/** PutRolePolicy of `policy` on `role` by the responder (an IAM user). */
const revokeSessions = (role: string, policy: string, time: string, more: Record<string, unknown> = {}) =>
  ct(
    'iam.amazonaws.com',
    'PutRolePolicy',
    { userIdentity: IAM_USER, requestParameters: { roleName: role, policyName: policy }, ...more },
    time,
  );

/** The leaked IAM user's AssumeRole of orders-api-prod (INC-2026-042's assume-role-2). */
const reassume = (
  time: string,
  roleArn = 'arn:aws:iam::123456789012:role/orders-api-prod',
  more: Record<string, unknown> = {},
) =>
  ct(
    'sts.amazonaws.com',
    'AssumeRole',
    {
      userIdentity: IAM_USER,
      readOnly: true,
      requestParameters: { roleArn, roleSessionName: 'orders-debug', durationSeconds: 43200 },
      ...more,
    },
    time,
  );

const assumeRole = (roleArn: string, more: Record<string, unknown> = {}) =>
  ct('sts.amazonaws.com', 'AssumeRole', {
    readOnly: true,
    requestParameters: { roleArn, roleSessionName: 'orders-debug', durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId: 'ASIA5CHAINEDEXAMPLE1', expiration: 'Apr 20, 2026, 3:30:00 PM' },
      assumedRoleUser: {
        assumedRoleId: 'AROA5CHAINEDEXAMPLE0:orders-debug',
        arn: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/orders-debug',
      },
    },
    resources: [{ accountId: roleArn.split(':')[4], type: 'AWS::IAM::Role', ARN: roleArn }],
    ...more,
  });

const bucketPolicy = (policy: unknown, more: Record<string, unknown> = {}) =>
  ct('s3.amazonaws.com', 'PutBucketPolicy', {
    requestParameters: {
      bucketName: 'orders-prod-data',
      Host: 'orders-prod-data.s3.eu-west-1.amazonaws.com',
      bucketPolicy: policy,
      policy: '',
    },
    resources: [{ accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-prod-data' }],
    ...more,
  });
const statement = (
  principal: unknown,
  action: unknown = ['s3:GetObject', 's3:GetBucketLocation', 's3:ListBucket'],
) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: principal,
      Action: action,
      Resource: ['arn:aws:s3:::orders-prod-data/*', 'arn:aws:s3:::orders-prod-data'],
    },
  ],
});

/** An S3 data event on one object. */
const objectCall = (eventName: string, key: string, params: Record<string, unknown> = {}, time = at(0), more = {}) =>
  ct(
    's3.amazonaws.com',
    eventName,
    {
      managementEvent: false,
      eventCategory: 'Data',
      readOnly: eventName === 'GetObject',
      requestParameters: {
        bucketName: 'orders-prod-data',
        Host: 'orders-prod-data.s3.eu-west-1.amazonaws.com',
        key,
        'x-id': eventName,
        ...params,
      },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::orders-prod-data/${key}` },
        { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-prod-data' },
      ],
      ...more,
    },
    time,
  );
const SSE_C = { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' };
const deletes = (n: number, stepMs: number, more = {}, key = (i: number) => `exports/part-${i}.csv.gz`) =>
  Array.from({ length: n }, (_, i) => objectCall('DeleteObject', key(i), {}, at(i * stepMs), more));
const deleteObjects = (more = {}) =>
  ct('s3.amazonaws.com', 'DeleteObjects', {
    managementEvent: false,
    eventCategory: 'Data',
    requestParameters: {
      bucketName: 'orders-prod-data',
      Host: 'orders-prod-data.s3.eu-west-1.amazonaws.com',
      delete: '',
      'x-id': 'DeleteObjects',
    },
    resources: [
      { type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::orders-prod-data/' },
      { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-prod-data' },
    ],
    ...more,
  });

const lifecycle = (rule: unknown, more: Record<string, unknown> = {}) =>
  ct('s3.amazonaws.com', 'PutBucketLifecycle', {
    requestParameters: {
      bucketName: 'prod-audit-trail-logs',
      Host: 'prod-audit-trail-logs.s3.eu-west-1.amazonaws.com',
      LifecycleConfiguration: { Rule: rule, xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      lifecycle: '',
    },
    resources: [{ accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::prod-audit-trail-logs' }],
    ...more,
  });
const expiring = (days: unknown, status = 'Enabled') => ({
  Expiration: { Days: days },
  Filter: { Prefix: '*' },
  ID: 'nuke-cloudtrail-logs-after-1-day',
  Status: status,
});

export const TECHNIQUE_CASES: Record<string, Case> = {
  'cloudtrail.secret-read-unknown-ip': {
    pos: [
      [
        'the role read it from inside the VPC, now from a public address',
        () => [appRead(), secretValue('prod/orders-db/credentials')],
        2,
      ],
      [
        'a SecureString parameter read from a second public address',
        () => [
          parameter('/prod/orders/db-password', true, '198.51.100.7', at(-MIN)),
          parameter('/prod/orders/db-password', true, '203.0.113.45'),
        ],
        2,
      ],
      [
        'arrives after its baseline though it happened earlier',
        () => [appRead(at(0)), secretValue('prod/orders-db/credentials', at(-5 * MIN))],
        2,
      ],
    ],
    neg: [
      ['the first read seen for a role sets its baseline', () => secretValue('prod/orders-db/credentials')],
      [
        'the same public address again',
        () => [secretValue('prod/orders-db/credentials', at(-MIN)), secretValue('prod/orders-db/credentials')],
      ],
      ['a new private address inside the VPC', () => [appRead(), appRead(at(0), '10.20.3.14')]],
      [
        'a refused read from a new address',
        () => [appRead(), secretValue('prod/payments/stripe-api-key', at(0), DENIED)],
      ],
      [
        'a service reading on the caller’s behalf',
        () => [appRead(), secretValue('prod/orders-db/credentials', at(0), { sourceIPAddress: 'AWS Internal' })],
      ],
      [
        'a plain String parameter (no decryption) from a new address',
        () => [
          parameter('/prod/orders/db-password', true, '198.51.100.7', at(-MIN)),
          parameter('/prod/orders/feature-flags', false, '203.0.113.45'),
        ],
      ],
    ],
  },
  'cloudtrail.secrets-bulk-read': {
    pos: [
      ['5 distinct secrets within 2 minutes (GetSecretValue one by one)', () => reads(5, 20_000), 1],
      [
        'SSM GetParameters by batch of 10 with decryption',
        () =>
          ct('ssm.amazonaws.com', 'GetParameters', {
            userIdentity: IAM_USER,
            readOnly: true,
            requestParameters: {
              names: Array.from({ length: 10 }, (_, i) => `/credentials/stratus-red-team/credentials-${i}`),
              withDecryption: true,
            },
          }),
        1,
      ],
      [
        'BatchGetSecretValue with a secretIdList',
        () =>
          ct('secretsmanager.amazonaws.com', 'BatchGetSecretValue', {
            readOnly: true,
            requestParameters: { secretIdList: ['prod/a', 'prod/b', 'prod/c', 'prod/d', 'prod/e'] },
          }),
        1,
      ],
      ['5 distinct reads, all refused, is one lower', () => reads(5, 20_000, DENIED), 2],
      ['delivered out of order, within 10 minutes by event time', () => reads(5, 2 * MIN).reverse(), 1],
    ],
    neg: [
      ['4 distinct secrets', () => reads(4, 20_000)],
      ['one secret read 20 times (an application)', () => reads(20, 10_000, {}, () => 'prod/orders-db/credentials')],
      ['5 distinct secrets over 30 minutes', () => reads(5, 6 * MIN)],
      [
        'SSM GetParameters without decryption',
        () =>
          ct('ssm.amazonaws.com', 'GetParameters', {
            readOnly: true,
            requestParameters: { names: ['/a', '/b', '/c', '/d', '/e', '/f'], withDecryption: false },
          }),
      ],
      [
        '5 secrets split over two principals',
        () => [...reads(3, 20_000), ...reads(2, 20_000, { userIdentity: IAM_USER }, (i) => `prod/other-${i}`)],
      ],
    ],
  },
  'cloudtrail.role-reassumed': {
    pos: [
      [
        'the leaked user assumes the role again after AWSRevokeOlderSessions (INC-2026-042)',
        () => [revokeSessions('orders-api-prod', 'AWSRevokeOlderSessions', at(0)), reassume(at(5 * MIN))],
        1,
      ],
      [
        "after firebreak's deny-all, a role under a path",
        () => [
          revokeSessions('orders-api-prod', 'firebreak-deny-all', at(0)),
          reassume(at(MIN), 'arn:aws:iam::123456789012:role/service/orders-api-prod'),
        ],
        1,
      ],
    ],
    neg: [
      ['assumed, never revoked', () => [reassume(at(0)), reassume(at(MIN))]],
      [
        'assumed before the revocation only',
        () => [reassume(at(0)), revokeSessions('orders-api-prod', 'AWSRevokeOlderSessions', at(MIN))],
      ],
      [
        'another role revoked',
        () => [revokeSessions('dba-breakglass', 'AWSRevokeOlderSessions', at(0)), reassume(at(MIN))],
      ],
      [
        'an ordinary inline policy',
        () => [revokeSessions('orders-api-prod', 'read-reports', at(0)), reassume(at(MIN))],
      ],
      [
        'the revocation was refused',
        () => [revokeSessions('orders-api-prod', 'AWSRevokeOlderSessions', at(0), DENIED), reassume(at(MIN))],
      ],
      // Refused: the trust policy or a deny held, which is what containment wants.
      [
        'assumed again but refused',
        () => [
          revokeSessions('orders-api-prod', 'AWSRevokeOlderSessions', at(0)),
          reassume(at(MIN), undefined, DENIED),
        ],
      ],
    ],
  },
  'cloudtrail.role-chained': {
    pos: [
      ['a role session assumes another role', () => assumeRole('arn:aws:iam::123456789012:role/dba-breakglass'), 3],
      [
        'a role session assumes a role in another account',
        () => assumeRole('arn:aws:iam::210987654321:role/OrganizationAccountAccessRole'),
        3,
      ],
      ['a role session re-assumes its own role', () => assumeRole('arn:aws:iam::123456789012:role/orders-api-prod'), 3],
      [
        'refused is still the lowest level',
        () => assumeRole('arn:aws:iam::123456789012:role/dba-breakglass', DENIED),
        3,
      ],
    ],
    neg: [
      [
        'an IAM user assumes a role',
        () => assumeRole('arn:aws:iam::123456789012:role/orders-api-prod', { userIdentity: IAM_USER }),
      ],
      [
        'an AWS service assumes a role',
        () =>
          assumeRole('arn:aws:iam::123456789012:role/orders-api-task', {
            userIdentity: { type: 'AWSService', invokedBy: 'ecs-tasks.amazonaws.com' },
            sourceIPAddress: 'ecs-tasks.amazonaws.com',
            userAgent: 'ecs-tasks.amazonaws.com',
          }),
      ],
      [
        'GitHub OIDC web identity',
        () =>
          ct('sts.amazonaws.com', 'AssumeRoleWithWebIdentity', {
            userIdentity: {
              type: 'WebIdentityUser',
              userName: 'repo:acme/orders-api:ref:refs/heads/main',
              identityProvider: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
            },
            requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/github-actions-deploy' },
          }),
      ],
      ['a role session asks who it is', () => ct('sts.amazonaws.com', 'GetCallerIdentity', { readOnly: true })],
    ],
  },
  'cloudtrail.s3-policy-other-account': {
    pos: [
      [
        'Stratus backdoor: Principal AWS arn of another account',
        () => bucketPolicy(statement({ AWS: 'arn:aws:iam::193672423079:root' })),
        1,
      ],
      [
        'a JSON string policy with a bare account id in a list, refused',
        () => bucketPolicy(JSON.stringify(statement({ AWS: ['123456789012', '193672423079'] }, 's3:*')), DENIED),
        2,
      ],
      [
        'write-only grant (log delivery shape) is Sev3',
        () => bucketPolicy(statement({ AWS: 'arn:aws:iam::156460612806:root' }, 's3:PutObject')),
        3,
      ],
    ],
    neg: [
      [
        'a role of this account',
        () => bucketPolicy(statement({ AWS: 'arn:aws:iam::123456789012:role/orders-api-prod' })),
      ],
      ['Principal "*" (the public-bucket rule’s case)', () => bucketPolicy(statement('*'))],
      ['a service principal', () => bucketPolicy(statement({ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject'))],
      [
        'a Deny for another account',
        () =>
          bucketPolicy({
            Statement: [{ Effect: 'Deny', Principal: { AWS: '193672423079' }, Action: 's3:*', Resource: '*' }],
          }),
      ],
    ],
  },
  'cloudtrail.s3-sse-c-encryption': {
    pos: [
      [
        'Stratus CopyObject onto itself with a customer key',
        () =>
          objectCall('CopyObject', 'customers.sql', {
            ...SSE_C,
            'x-amz-copy-source': 'orders-prod-data/customers.sql',
          }),
        1,
      ],
      ['PutObject with SSE-C, refused', () => objectCall('PutObject', 'customers.sql', SSE_C, at(0), DENIED), 2],
      [
        'a run of 30 rewrites is one detection',
        () => Array.from({ length: 30 }, (_, i) => objectCall('CopyObject', `f-${i}.pdf`, SSE_C, at(i * 1_000))),
        1,
      ],
    ],
    neg: [
      ['PutObject with SSE-KMS', () => objectCall('PutObject', 'a.csv', { 'x-amz-server-side-encryption': 'aws:kms' })],
      ['GetObject with the customer key (reading)', () => objectCall('GetObject', 'a.csv', SSE_C)],
      ['plain PutObject', () => objectCall('PutObject', 'a.csv')],
    ],
  },
  'cloudtrail.s3-mass-deletion': {
    pos: [
      ['Stratus DeleteObjects batch', () => deleteObjects(), 1],
      ['DeleteObjects refused is one lower', () => deleteObjects(DENIED), 2],
      ['20 DeleteObject within 100 s', () => deletes(20, 5_000), 1],
      [
        '51 versions deleted one by one (Stratus individual deletion) is one detection',
        () =>
          Array.from({ length: 51 }, (_, i) =>
            objectCall('DeleteObject', `file-${i}.docx`, { versionId: `v${i}` }, at(i * 2_000)),
          ),
        1,
      ],
      ['20 DeleteObject all refused is one lower', () => deletes(20, 5_000, DENIED), 2],
    ],
    neg: [
      ['19 DeleteObject', () => deletes(19, 5_000)],
      ['one key deleted 20 times', () => deletes(20, 5_000, {}, () => 'tmp/lock')],
      ['20 DeleteObject over 2 hours', () => deletes(20, 6 * MIN)],
      [
        'DeleteBucketPolicy',
        () => ct('s3.amazonaws.com', 'DeleteBucketPolicy', { requestParameters: { bucketName: 'b' } }),
      ],
    ],
  },
  'cloudtrail.log-bucket-short-lifecycle': {
    pos: [
      ['Stratus: expire after 1 day', () => lifecycle(expiring(1)), 2],
      ['a list of rules, one of 7 days (as a string)', () => lifecycle([expiring(365), expiring('7')]), 2],
      ['refused is one lower', () => lifecycle(expiring(1), DENIED), 3],
    ],
    neg: [
      ['expire after 30 days', () => lifecycle(expiring(30))],
      ['a 1-day rule that is disabled', () => lifecycle(expiring(1, 'Disabled'))],
      [
        'a transition to Glacier only',
        () =>
          lifecycle({ ID: 'archive', Status: 'Enabled', Filter: {}, Transition: { Days: 1, StorageClass: 'GLACIER' } }),
      ],
    ],
  },
};
